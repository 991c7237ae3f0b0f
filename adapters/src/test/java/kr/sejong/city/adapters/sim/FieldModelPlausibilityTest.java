package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.CallEventDecoder;
import kr.sejong.city.codecs.ChargerSessionDecoder;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.EmergencyLine;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.FrequencyMeasurementDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.OnvifState;
import kr.sejong.city.codecs.RideRequestDecoder;
import kr.sejong.city.codecs.ShuttleStateDecoder;
import kr.sejong.city.codecs.VideoEventDecoder;
import kr.sejong.city.config.Camera;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Detector;
import kr.sejong.city.config.Ess;
import kr.sejong.city.config.EvCharger;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.Place;
import kr.sejong.city.config.PvArray;
import kr.sejong.city.config.Stop;
import kr.sejong.city.wire.FrameValidator;
import kr.sejong.city.wire.MessageCatalog;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An hour around the morning peak and an hour around 03:00 of a June Monday in the default city, checked
 * for what a traffic, mobility, energy or emergency engineer would expect to see.
 */
class FieldModelPlausibilityTest
{
    private static final CityConfig CITY = Recording.CITY;
    private static final long STEP_NS = CityClock.SECOND_NS;
    private static final long MORNING_NS = Recording.localNs(2025, 6, 16, 7, 30);
    private static final long NIGHT_NS = Recording.localNs(2025, 6, 16, 2, 30);
    private static final long SEED = 20240501L;

    private static FieldModel morningModel;
    private static Recording morning;
    private static FieldModel nightModel;
    private static Recording night;

    @BeforeAll
    static void runTheCity()
    {
        morningModel = new FieldModel(CITY, SEED);
        morning = Recording.run(morningModel, MORNING_NS, 3600, STEP_NS);
        nightModel = new FieldModel(CITY, SEED);
        night = Recording.run(nightModel, NIGHT_NS, 3600, STEP_NS);
    }

    @Test
    void theMorningPeakHasSeveralTimesTheTrafficOfThreeOClock()
    {
        final long morningVehicles = vehicles(morning);
        final long nightVehicles = vehicles(night);
        assertTrue(morningVehicles > 5 * nightVehicles, "07:30-08:30 " + morningVehicles + " vs 02:30-03:30 " + nightVehicles);

        // about peakVehiclesPerHourPerLane x the profile's mean over the hour on a car lane
        final double carLanes = CITY.traffic().detectors().size() - busLaneDetectors();
        final double perLane = morningVehicles / carLanes;
        assertTrue(perLane > 0.7 * 600 && perLane < 600, "vehicles per car lane in the peak hour: " + perLane);

        // every detector reports every second
        assertEquals(3600L * CITY.traffic().detectors().size(), morning.ofTemplate(DetectorObservationDecoder.TEMPLATE_ID).size());
    }

    @Test
    void detectorsReportOccupancySpeedAndPresenceConsistently()
    {
        final DetectorObservationDecoder decoder = new DetectorObservationDecoder();
        for (final byte[] frame : morning.ofTemplate(DetectorObservationDecoder.TEMPLATE_ID))
        {
            wrap(decoder, frame);
            final boolean present = decoder.vehicleCount() > 0;
            assertEquals(present, decoder.presence() == kr.sejong.city.codecs.BooleanType.TRUE);
            assertEquals(present, decoder.occupancyPermille() > 0);
            assertEquals(present, decoder.meanSpeedCmPerS() != DetectorObservationDecoder.meanSpeedCmPerSNullValue());
            if (present)
            {
                assertTrue(decoder.meanSpeedCmPerS() >= 100 && decoder.meanSpeedCmPerS() < 2000, "speed " + decoder.meanSpeedCmPerS());
            }
            assertEquals(CITY.simulator().detectorIntervalMs(), decoder.intervalMs());
        }
    }

    @Test
    void pvIsZeroAtOneOClockAndClearlyPositiveAtNoonInJune()
    {
        final FieldModel model = new FieldModel(CITY, SEED);
        final Recording oneOClock = Recording.run(model, Recording.localNs(2025, 6, 16, 1, 0), 60, STEP_NS);
        final Recording noon = Recording.run(model, Recording.localNs(2025, 6, 16, 12, 0), 60, STEP_NS);
        double peakW = 0;
        for (final PvArray pv : CITY.energy().pv())
        {
            peakW += pv.peakKw() * 1000;
        }
        assertEquals(0, pvTotalW(oneOClock), "PV at 01:00");
        final long noonW = pvTotalW(noon) / (60_000L / CITY.simulator().gridMeasurementIntervalMs()); // mean of a set
        assertTrue(noonW < -0.15 * peakW, "PV at 12:00 delivers (negative), at least 15 % of peak: " + noonW + " W");
        assertTrue(noonW > -peakW, "never more than the peak: " + noonW + " W");
    }

    @Test
    void thePccBalancesEveryMeasurementSet()
    {
        final GridMeasurementDecoder decoder = new GridMeasurementDecoder();
        final Map<Long, long[]> sets = new TreeMap<>(); // time -> {sum of devices, pcc, pcc count, ev charging, pv}
        for (final byte[] frame : morning.ofTemplate(GridMeasurementDecoder.TEMPLATE_ID))
        {
            wrap(decoder, frame);
            final long[] set = sets.computeIfAbsent(decoder.measuredAtNs(), t -> new long[5]);
            if (decoder.deviceKind() == DeviceKind.PCC_METER)
            {
                set[1] = decoder.activePowerW();
                set[2]++;
            }
            else
            {
                set[0] += decoder.activePowerW();
                if (decoder.deviceKind() == DeviceKind.EV_CHARGER)
                {
                    set[3] += decoder.activePowerW();
                }
                if (decoder.deviceKind() == DeviceKind.PV_INVERTER)
                {
                    assertTrue(decoder.activePowerW() <= 0, "PV delivers: negative");
                    set[4] += decoder.activePowerW();
                }
                if (decoder.deviceKind() == DeviceKind.LOAD)
                {
                    final double kw = decoder.activePowerW() / 1000.0;
                    assertTrue(kw > CITY.energy().loads().baseLoadKw() * 0.9 && kw < CITY.energy().loads().peakLoadKw() * 1.1, "load " + kw);
                }
            }
        }
        assertEquals(3_600_000L / CITY.simulator().gridMeasurementIntervalMs(), sets.size(), "one set per gridMeasurementIntervalMs over the hour");
        boolean charging = false;
        for (final Map.Entry<Long, long[]> entry : sets.entrySet())
        {
            final long[] set = entry.getValue();
            assertEquals(1, set[2], "one PCC measurement in the set at " + entry.getKey());
            assertEquals(set[0], set[1], "PCC = load - PV + ESS + EV charging at " + entry.getKey());
            assertTrue(set[4] < 0, "the sun is up after 07:30 in June");
            charging |= set[3] > 0;
        }
        assertTrue(charging, "EVs charge in the morning, so the balance includes them");
    }

    @Test
    void frequencyStaysNearNominal()
    {
        final FrequencyMeasurementDecoder decoder = new FrequencyMeasurementDecoder();
        final List<byte[]> frames = morning.ofTemplate(FrequencyMeasurementDecoder.TEMPLATE_ID);
        assertEquals(3_600_000L / CITY.simulator().gridMeasurementIntervalMs(), frames.size(), "one per gridMeasurementIntervalMs over the hour");
        final int nominal = (int)Math.round(CITY.energy().pcc().nominalFrequencyHz() * 1000);
        int outside = 0;
        for (final byte[] frame : frames)
        {
            wrap(decoder, frame);
            assertEquals(CITY.energy().pcc().id(), decoder.meterId());
            final int deviation = decoder.frequencyMilliHz() - nominal;
            assertTrue(deviation >= -(FrequencyGenerator.DIP_MAX_MILLI_HZ + 21) && deviation <= 21, "deviation " + deviation);
            outside += Math.abs(deviation) > 20 ? 1 : 0;
        }
        assertTrue(outside < 600, "only a dip leaves the noise band; seconds outside it: " + outside);
    }

    @Test
    void rideRequestsComeOnlyWithinServiceHours()
    {
        final FieldModel model = new FieldModel(CITY, SEED);
        final Recording dawn = Recording.run(model, Recording.localNs(2025, 6, 16, 5, 30), 3600, STEP_NS);
        final Recording midnight = Recording.run(model, Recording.localNs(2025, 6, 16, 23, 30), 3600, STEP_NS);
        final var zone = Recording.ZONE.getRules();
        final int start = CITY.mobility().service().serviceStartHour();
        final int end = CITY.mobility().service().serviceEndHour();
        final RideRequestDecoder decoder = new RideRequestDecoder();
        for (final Recording recording : new Recording[] { dawn, midnight, morning, night })
        {
            for (int i = 0; i < recording.frames.size(); i++)
            {
                if (Recording.templateId(recording.frames.get(i)) != RideRequestDecoder.TEMPLATE_ID)
                {
                    continue;
                }
                final long nowNs = recording.stepStartNs.get(i);
                final double hour = CityClock.localHourOfDay(zone, nowNs);
                wrap(decoder, recording.frames.get(i));
                final double pickupHour = CityClock.localHourOfDay(zone, decoder.earliestPickupTimeNs());
                assertTrue(hour >= start && hour < end, "request at " + hour);
                assertTrue(pickupHour >= start && pickupHour < end, "pickup at " + pickupHour);
                final long leadS = (decoder.earliestPickupTimeNs() - nowNs) / CityClock.SECOND_NS;
                assertTrue(leadS >= 60 && leadS <= 16 * 60, "pickup a few minutes ahead: " + leadS + " s");
                assertTrue(decoder.partySize() >= 1 && decoder.partySize() <= 4);
                assertTrue(decoder.wheelchairs() <= decoder.partySize());
            }
        }
        assertTrue(requestsBetween(dawn, start, start + 1) > 0, "requests once the service starts");
        assertEquals(0, requestsBetween(dawn, 0, start), "none before it");
        assertTrue(requestsBetween(midnight, 23, 24) > 0, "requests until the end of service");
        assertEquals(0, requestsBetween(midnight, 0, 1), "none after it");
        assertEquals(0, night.ofTemplate(RideRequestDecoder.TEMPLATE_ID).size());
    }

    @Test
    void morningRidesGoFromHomeToTheBrtAndHotspots()
    {
        final RideRequestDecoder decoder = new RideRequestDecoder();
        int fromHome = 0;
        int total = 0;
        int toBrtOrHotspot = 0;
        int sizeOne = 0;
        for (final byte[] frame : morning.ofTemplate(RideRequestDecoder.TEMPLATE_ID))
        {
            wrap(decoder, frame);
            total++;
            final boolean fromFeeder = decoder.originStopId() == RideRequestDecoder.originStopIdNullValue()
                || stop(decoder.originStopId()).kind() == Stop.Kind.FEEDER;
            fromHome += fromFeeder ? 1 : 0;
            if (decoder.destinationStopId() != RideRequestDecoder.destinationStopIdNullValue())
            {
                final Stop.Kind kind = stop(decoder.destinationStopId()).kind();
                toBrtOrHotspot += kind == Stop.Kind.BRT || kind == Stop.Kind.HOTSPOT ? 1 : 0;
            }
            sizeOne += decoder.partySize() == 1 ? 1 : 0;
        }
        // about peakRideRequestsPerHour x the profile's mean over 07:30-08:30 (0.93)
        assertTrue(total > 300 && total < 450, "requests in the peak hour: " + total);
        assertTrue(fromHome > 0.75 * total, "mostly from home in the morning: " + fromHome + " of " + total);
        assertTrue(toBrtOrHotspot > 0.7 * total, "mostly to the BRT and hotspots: " + toBrtOrHotspot + " of " + total);
        assertTrue(sizeOne > 0.6 * total, "mostly one rider: " + sizeOne + " of " + total);
    }

    @Test
    void everyFramePassesTheNodesValidator()
    {
        final FrameValidator validator = new FrameValidator(1024 * 1024);
        for (final Recording recording : new Recording[] { morning, night })
        {
            for (final byte[] frame : recording.frames)
            {
                assertNull(validator.validate(new UnsafeBuffer(frame), 0, frame.length),
                    "template " + Recording.templateId(frame) + " rejected");
                assertTrue(MessageCatalog.isIngressAllowed(validator.templateId()));
            }
        }
    }

    @Test
    void everyIdInEveryFrameIsInTheConfiguration()
    {
        final IdCheck check = new IdCheck(CITY);
        final Map<Integer, Integer> seen = new TreeMap<>();
        for (final Recording recording : new Recording[] { morning, night })
        {
            for (final byte[] frame : recording.frames)
            {
                check.check(frame);
                seen.merge(Recording.templateId(frame), 1, Integer::sum);
            }
        }
        for (final int templateId : new int[] { DetectorObservationDecoder.TEMPLATE_ID, RideRequestDecoder.TEMPLATE_ID,
            ShuttleStateDecoder.TEMPLATE_ID, GridMeasurementDecoder.TEMPLATE_ID, FrequencyMeasurementDecoder.TEMPLATE_ID,
            ChargerSessionDecoder.TEMPLATE_ID, VideoEventDecoder.TEMPLATE_ID, LaneObservationsDecoder.TEMPLATE_ID })
        {
            assertTrue(seen.containsKey(templateId), "template " + templateId + " generated");
        }
    }

    @Test
    void laneObservationsComeEveryStepForEveryIntersectionAscending()
    {
        final List<Long> ids = new ArrayList<>();
        CITY.traffic().intersections().forEach(i -> ids.add((long)i.id()));
        ids.sort(Long::compare);
        final List<byte[]> frames = morning.ofTemplate(LaneObservationsDecoder.TEMPLATE_ID);
        assertEquals(3600L * ids.size(), frames.size());
        final LaneObservationsDecoder decoder = new LaneObservationsDecoder();
        long halting = 0;
        long vehicles = 0;
        for (int i = 0; i < frames.size(); i++)
        {
            wrap(decoder, frames.get(i));
            assertEquals(ids.get(i % ids.size()).longValue(), decoder.intersectionId(), "ascending ids, every step");
            int lane = 0;
            for (final LaneObservationsDecoder.LanesDecoder l : decoder.lanes())
            {
                assertEquals(lane++, l.laneIndex());
                assertTrue(l.haltingVehicles() <= l.vehicles());
                assertTrue(l.occupancyPermille() <= 1000);
                final boolean noSpeed = l.meanSpeedCmPerS() == LaneObservationsDecoder.LanesDecoder.meanSpeedCmPerSNullValue();
                assertEquals(l.vehicles() == 0, noSpeed, "a mean speed exactly when there are vehicles");
                if (!noSpeed)
                {
                    assertTrue(l.meanSpeedCmPerS() <= 1390, "at most the 50 km/h of the BRT road");
                }
                halting += l.haltingVehicles();
                vehicles += l.vehicles();
            }
        }
        // at the peak a good share of the vehicles near a junction stand at its stop line, not all of them
        final double share = (double)halting / vehicles;
        assertTrue(share > 0.1 && share < 0.9, "halting share " + share);
        assertTrue(morningModel.signals().totalDelayS() > 0);
    }

    @Test
    void falseAlarmsHaveLowerConfidenceOnAverage()
    {
        final VideoEventDecoder decoder = new VideoEventDecoder();
        double falseSum = 0;
        int falseCount = 0;
        double realSum = 0;
        int realCount = 0;
        for (final Object[] pair : new Object[][] { { morning, morningModel }, { night, nightModel } })
        {
            final Recording recording = (Recording)pair[0];
            final FieldModel model = (FieldModel)pair[1];
            for (final byte[] frame : recording.ofTemplate(VideoEventDecoder.TEMPLATE_ID))
            {
                wrap(decoder, frame);
                if (model.isFalseAlarm(decoder.eventId()))
                {
                    falseSum += decoder.confidencePermille();
                    falseCount++;
                }
                else
                {
                    realSum += decoder.confidencePermille();
                    realCount++;
                }
            }
        }
        assertTrue(falseCount > 0 && realCount > 0);
        final double falseShare = (double)falseCount / (falseCount + realCount);
        assertTrue(falseShare > 0.15 && falseShare < 0.45, "false alarm share near falseAlarmPercent: " + falseShare);
        assertTrue(falseSum / falseCount < realSum / realCount - 100,
            "false " + falseSum / falseCount + " vs real " + realSum / realCount);
    }

    @Test
    void videoEventsFollowTheOnvifLifecycle()
    {
        final VideoEventDecoder decoder = new VideoEventDecoder();
        final Map<Long, List<OnvifState>> lifecycles = new TreeMap<>();
        final Map<Long, Long> lastTime = new TreeMap<>();
        for (final byte[] frame : morning.ofTemplate(VideoEventDecoder.TEMPLATE_ID))
        {
            wrap(decoder, frame);
            lifecycles.computeIfAbsent(decoder.eventId(), id -> new ArrayList<>()).add(decoder.state());
            final Long previous = lastTime.put(decoder.eventId(), decoder.observedAtNs());
            assertTrue(previous == null || previous < decoder.observedAtNs(), "each message later than the one before");
            if (decoder.eventClass() == EventClass.VEHICLE_STOPPED_IN_TUNNEL)
            {
                assertEquals(Place.Kind.TUNNEL, placeOf(decoder.cameraId()));
            }
        }
        int changed = 0;
        int complete = 0;
        for (final List<OnvifState> states : lifecycles.values())
        {
            assertEquals(OnvifState.INITIALIZED, states.get(0));
            for (int i = 1; i < states.size(); i++)
            {
                assertTrue(states.get(i).value() > states.get(i - 1).value(), "INITIALIZED, CHANGED, DELETED: " + states);
            }
            changed += states.contains(OnvifState.CHANGED) ? 1 : 0;
            complete += states.get(states.size() - 1) == OnvifState.DELETED ? 1 : 0;
        }
        assertTrue(changed > lifecycles.size() / 4, "often CHANGED: " + changed + " of " + lifecycles.size());
        assertTrue(complete > lifecycles.size() * 9 / 10, "DELETED within a minute (but those at the hour's end)");
    }

    @Test
    void chargerSessionsConnectThenDisconnectAtTheirDeparture()
    {
        final ChargerSessionDecoder decoder = new ChargerSessionDecoder();
        final Map<Long, Long> departures = new TreeMap<>();
        int disconnected = 0;
        for (int i = 0; i < morning.frames.size(); i++)
        {
            final byte[] frame = morning.frames.get(i);
            if (Recording.templateId(frame) != ChargerSessionDecoder.TEMPLATE_ID)
            {
                continue;
            }
            wrap(decoder, frame);
            if (decoder.state() == ChargerSessionState.CONNECTED)
            {
                assertNull(departures.put(decoder.sessionId(), decoder.departureTimeNs()), "one CONNECTED per session");
                assertTrue(decoder.energyNeededWh() >= 0 && decoder.vehicleSocPermille() <= 1000);
                assertTrue(decoder.departureTimeNs() > morning.stepStartNs.get(i));
            }
            else
            {
                assertEquals(ChargerSessionState.DISCONNECTED, decoder.state());
                final Long departure = departures.get(decoder.sessionId());
                assertNotNull(departure, "DISCONNECTED after CONNECTED");
                assertEquals(departure.longValue(), decoder.departureTimeNs());
                final long stepNs = morning.stepStartNs.get(i);
                assertTrue(departure >= stepNs && departure < stepNs + STEP_NS, "DISCONNECTED in the step of its departure");
                disconnected++;
            }
        }
        assertTrue(departures.size() > 10, "sessions in the morning hour: " + departures.size());
        assertTrue(disconnected > 0, "fast charging ends within the hour");
    }

    @Test
    void callsAreFewAndOnTheRightLine()
    {
        final CallEventDecoder decoder = new CallEventDecoder();
        final FieldModel model = new FieldModel(CITY, SEED);
        final Recording day = Recording.run(model, MORNING_NS, 24, CityClock.HOUR_NS); // coarse steps: only the rates matter here
        final List<byte[]> calls = day.ofTemplate(CallEventDecoder.TEMPLATE_ID);
        assertTrue(calls.size() > 10 && calls.size() < 70, "calls a day at 1.5 an hour: " + calls.size());
        for (final byte[] frame : calls)
        {
            wrap(decoder, frame);
            final EventClass category = decoder.category();
            final boolean fireOrMedical = category == EventClass.FIRE || category == EventClass.SMOKE ||
                category == EventClass.MEDICAL || category == EventClass.FALL;
            assertEquals(fireOrMedical ? EmergencyLine.FIRE_119 : EmergencyLine.POLICE_112, decoder.line());
            assertTrue(nearAPlace(decoder.position().eastMm() / 1000.0, decoder.position().northMm() / 1000.0));
        }
        assertFalse(day.ofTemplate(VideoEventDecoder.TEMPLATE_ID).isEmpty());
    }

    @Test
    void messageRatesPerMinuteAtEightAndAtThree()
    {
        final Map<Integer, Integer> atEight = new TreeMap<>();
        final Map<Integer, Integer> atThree = new TreeMap<>();
        for (final byte[] frame : morning.frames)
        {
            atEight.merge(Recording.templateId(frame), 1, Integer::sum);
        }
        for (final byte[] frame : night.frames)
        {
            atThree.merge(Recording.templateId(frame), 1, Integer::sum);
        }
        final StringBuilder table = new StringBuilder("messages per minute, mean over 07:30-08:30 and 02:30-03:30:\n");
        for (final int templateId : new java.util.TreeSet<>(atEight.keySet()))
        {
            table.append(String.format(java.util.Locale.ROOT, "  %-22s %9.2f %9.2f%n", MessageCatalog.name(templateId),
                atEight.getOrDefault(templateId, 0) / 60.0, atThree.getOrDefault(templateId, 0) / 60.0));
        }
        table.append(String.format(java.util.Locale.ROOT, "  %-22s %9.2f %9.2f%n", "all",
            morning.frames.size() / 60.0, night.frames.size() / 60.0));
        System.out.print(table);
        assertTrue(morning.frames.size() > night.frames.size());
    }

    private static long vehicles(final Recording recording)
    {
        final DetectorObservationDecoder decoder = new DetectorObservationDecoder();
        long count = 0;
        for (final byte[] frame : recording.ofTemplate(DetectorObservationDecoder.TEMPLATE_ID))
        {
            wrap(decoder, frame);
            if (!isBusLane(decoder.detectorId()))
            {
                count += decoder.vehicleCount();
            }
        }
        return count;
    }

    private static long busLaneDetectors()
    {
        return CITY.traffic().detectors().stream().filter(d -> isBusLane(d.id())).count();
    }

    private static boolean isBusLane(final long detectorId)
    {
        for (final Detector detector : CITY.traffic().detectors())
        {
            if (detector.id() == detectorId)
            {
                final var intersection = CITY.traffic().intersections().stream()
                    .filter(x -> x.id() == detector.intersection()).findFirst().orElseThrow();
                return intersection.approach(detector.approach()).busLane() && detector.lane() == 0;
            }
        }
        throw new AssertionError("detector " + detectorId);
    }

    private static long pvTotalW(final Recording recording)
    {
        final GridMeasurementDecoder decoder = new GridMeasurementDecoder();
        long total = 0;
        for (final byte[] frame : recording.ofTemplate(GridMeasurementDecoder.TEMPLATE_ID))
        {
            wrap(decoder, frame);
            if (decoder.deviceKind() == DeviceKind.PV_INVERTER)
            {
                total += decoder.activePowerW();
            }
        }
        return total;
    }

    private static int requestsBetween(final Recording recording, final int fromHour, final int toHour)
    {
        final var zone = Recording.ZONE.getRules();
        int count = 0;
        for (int i = 0; i < recording.frames.size(); i++)
        {
            final double hour = CityClock.localHourOfDay(zone, recording.stepStartNs.get(i));
            if (Recording.templateId(recording.frames.get(i)) == RideRequestDecoder.TEMPLATE_ID && hour >= fromHour && hour < toHour)
            {
                count++;
            }
        }
        return count;
    }

    private static Stop stop(final long id)
    {
        return CITY.mobility().stops().stream().filter(s -> s.id() == id).findFirst()
            .orElseThrow(() -> new AssertionError("unknown stop " + id));
    }

    private static Place.Kind placeOf(final long cameraId)
    {
        final Camera camera = CITY.emergency().cameras().stream().filter(c -> c.id() == cameraId).findFirst().orElseThrow();
        return CITY.emergency().places().stream().filter(p -> camera.hasPlace() && p.id() == camera.place())
            .map(Place::kind).findFirst().orElse(null);
    }

    private static boolean nearAPlace(final double eastM, final double northM)
    {
        for (final Place place : CITY.emergency().places())
        {
            if (place.contains(eastM, northM) || Math.hypot(eastM - place.eastM(), northM - place.northM()) <= place.radiusM() + 0.01)
            {
                return true;
            }
        }
        return false;
    }

    static void wrap(final org.agrona.sbe.MessageDecoderFlyweight decoder, final byte[] frame)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        header.wrap(buffer, 0);
        decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }

    /** Decodes each frame and checks every configuration id in it. */
    static final class IdCheck
    {
        private final CityConfig city;
        private final DetectorObservationDecoder detector = new DetectorObservationDecoder();
        private final RideRequestDecoder ride = new RideRequestDecoder();
        private final ShuttleStateDecoder shuttle = new ShuttleStateDecoder();
        private final GridMeasurementDecoder grid = new GridMeasurementDecoder();
        private final FrequencyMeasurementDecoder frequency = new FrequencyMeasurementDecoder();
        private final ChargerSessionDecoder charger = new ChargerSessionDecoder();
        private final VideoEventDecoder video = new VideoEventDecoder();
        private final CallEventDecoder call = new CallEventDecoder();
        private final LaneObservationsDecoder lanes = new LaneObservationsDecoder();

        IdCheck(final CityConfig city)
        {
            this.city = city;
        }

        void check(final byte[] frame)
        {
            final int templateId = Recording.templateId(frame);
            switch (templateId)
            {
                case DetectorObservationDecoder.TEMPLATE_ID ->
                {
                    wrap(detector, frame);
                    assertTrue(city.traffic().detectors().stream().anyMatch(d ->
                        d.id() == detector.detectorId() && d.intersection() == detector.intersectionId()),
                        "detector " + detector.detectorId() + " at " + detector.intersectionId());
                }
                case RideRequestDecoder.TEMPLATE_ID ->
                {
                    wrap(ride, frame);
                    checkStopOrPosition(ride.originStopId(), RideRequestDecoder.originStopIdNullValue(),
                        ride.origin().eastMm(), ride.origin().northMm());
                    checkStopOrPosition(ride.destinationStopId(), RideRequestDecoder.destinationStopIdNullValue(),
                        ride.destination().eastMm(), ride.destination().northMm());
                    assertTrue(ride.riderId() >= 1 && ride.riderId() <= city.city().residents());
                }
                case ShuttleStateDecoder.TEMPLATE_ID ->
                {
                    wrap(shuttle, frame);
                    final FleetGroup group = city.mobility().fleet().stream().filter(g -> g.contains((int)shuttle.shuttleId()))
                        .findFirst().orElseThrow(() -> new AssertionError("shuttle " + shuttle.shuttleId()));
                    assertEquals(group.depotStop(), shuttle.lastStopId());
                    assertEquals(group.type().name(), shuttle.shuttleType().name());
                    final Stop depot = stop(shuttle.lastStopId());
                    assertEquals(LocalFrame.mm(depot.eastM()), shuttle.position().eastMm());
                    assertEquals(LocalFrame.mm(depot.northM()), shuttle.position().northMm());
                    assertTrue(shuttle.socPermille() >= group.reservePercent() * 10 && shuttle.socPermille() <= 1000);
                }
                case GridMeasurementDecoder.TEMPLATE_ID ->
                {
                    wrap(grid, frame);
                    final long id = grid.deviceId();
                    final boolean known = switch (grid.deviceKind())
                    {
                        case PV_INVERTER -> city.energy().pv().stream().mapToInt(PvArray::id).anyMatch(x -> x == id);
                        case ESS -> city.energy().ess().stream().mapToInt(Ess::id).anyMatch(x -> x == id);
                        case EV_CHARGER -> city.energy().evChargers().stream().mapToInt(EvCharger::id).anyMatch(x -> x == id);
                        case PCC_METER, LOAD -> id == city.energy().pcc().id();
                        default -> false;
                    };
                    assertTrue(known, grid.deviceKind() + " " + id);
                }
                case FrequencyMeasurementDecoder.TEMPLATE_ID ->
                {
                    wrap(frequency, frame);
                    assertEquals(city.energy().pcc().id(), frequency.meterId());
                }
                case ChargerSessionDecoder.TEMPLATE_ID ->
                {
                    wrap(charger, frame);
                    assertTrue(city.energy().evChargers().stream().anyMatch(c -> c.id() == charger.chargerId()));
                    final EvCharger config = city.energy().evChargers().stream().filter(c -> c.id() == charger.chargerId()).findFirst().orElseThrow();
                    assertTrue(charger.maxChargePowerW() <= config.powerKw() * 1000);
                    assertTrue(config.v2g() || charger.v2gAllowed() == kr.sejong.city.codecs.BooleanType.FALSE);
                }
                case VideoEventDecoder.TEMPLATE_ID ->
                {
                    wrap(video, frame);
                    final Camera camera = city.emergency().cameras().stream().filter(c -> c.id() == video.cameraId()).findFirst()
                        .orElseThrow(() -> new AssertionError("camera " + video.cameraId()));
                    final double offM = Math.hypot(video.position().eastMm() / 1000.0 - camera.eastM(),
                        video.position().northMm() / 1000.0 - camera.northM());
                    assertTrue(offM <= VideoEventGenerator.POSITION_JITTER_M * Math.sqrt(2) + 0.01, "a few metres off: " + offM);
                }
                case CallEventDecoder.TEMPLATE_ID ->
                {
                    wrap(call, frame);
                    assertTrue(city.city().boundary().contains(call.position().eastMm() / 1000.0, call.position().northMm() / 1000.0));
                }
                case LaneObservationsDecoder.TEMPLATE_ID ->
                {
                    wrap(lanes, frame);
                    final kr.sejong.city.config.Intersection intersection = city.traffic().intersections().stream()
                        .filter(i -> i.id() == lanes.intersectionId()).findFirst()
                        .orElseThrow(() -> new AssertionError("intersection " + lanes.intersectionId()));
                    final int laneCount = intersection.approaches().stream().mapToInt(a -> a.lanes()).sum();
                    assertEquals(laneCount, lanes.lanes().count(), "one entry per lane of every approach");
                }
                default -> fail("unexpected template " + templateId);
            }
        }

        private void checkStopOrPosition(final long stopId, final long nullStopId, final int eastMm, final int northMm)
        {
            if (stopId != nullStopId)
            {
                final Stop stop = stop(stopId);
                assertTrue(stop.kind() != Stop.Kind.DEPOT, "nobody rides from or to a depot");
                assertEquals(kr.sejong.city.codecs.PositionDecoder.eastMmNullValue(), eastMm);
            }
            else
            {
                assertTrue(city.city().boundary().contains(eastMm / 1000.0, northMm / 1000.0), "door position inside the city");
            }
        }
    }
}
