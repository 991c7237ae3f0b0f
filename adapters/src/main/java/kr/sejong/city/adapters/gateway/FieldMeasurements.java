package kr.sejong.city.adapters.gateway;

import kr.sejong.city.codecs.ChargerSessionDecoder;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Energy;
import kr.sejong.city.config.Ess;
import kr.sejong.city.config.EvCharger;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.config.PvArray;
import org.agrona.collections.Int2IntHashMap;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The field's latest measurements as the screens show them: lane queues per intersection, PCC and load
 * power, PV output, ESS state of charge and power, EV charger sessions, and the measured PCC power over the
 * last ten minutes. Read from the node's ingress by {@link MeasurementReader}; these are what the field
 * says, not what the node decided (that is on egress, in {@link LiveState}).
 * <p>
 * Bounded by the configuration: a slot per configured intersection and device, made at start and written
 * in place, so memory does not grow with time or with what arrives (an id the configuration does not know
 * is counted and dropped). The write path allocates nothing except when an {@code IntersectionTopology}
 * changes an intersection's lanes. One writer thread, readers on request threads: every method is
 * synchronized (each holds the lock for microseconds).
 */
public final class FieldMeasurements
{
    /** Measured PCC samples kept: at most one per second of measurement time, so ten minutes. */
    static final int PCC_HISTORY = LiveState.BALANCING_HISTORY;
    /** Largest lane count accepted from an IntersectionTopology (the signal loop's own limit is lower). */
    static final int MAX_LANES = 64;
    /** Largest approach index accepted from an IntersectionTopology. */
    static final int MAX_APPROACHES = 16;

    private static final int NO_VALUE = Integer.MIN_VALUE;
    private static final long NEVER = Long.MIN_VALUE;
    private static final long NS_PER_MS = 1_000_000L;
    private static final int SOC_MAX_PERMILLE = 1000;
    private static final String[] COMPASS = {"N", "NE", "E", "SE", "S", "SW", "W", "NW"};

    /** One intersection's queue: halting and moving vehicles per approach and in all. */
    public record QueueView(long intersectionId, String name, int halting, int vehicles, List<ApproachQueue> approaches,
        long receivedAtMs)
    {
    }

    /** @param from where the approach's traffic comes from (compass point), or its index when unknown. */
    public record ApproachQueue(String from, int halting, int vehicles)
    {
    }

    /** @param powerW null when the last reading was invalid. */
    public record PowerView(Integer powerW, long measuredAtMs, long receivedAtMs)
    {
    }

    /** @param outputW power delivered to the microgrid (the measurement's sign turned), null when invalid. */
    public record PvView(long deviceId, String name, double peakKw, Integer outputW, long receivedAtMs)
    {
    }

    /** @param powerW positive charging, negative discharging; null when invalid. */
    public record EssView(long deviceId, String name, Integer socPermille, Integer powerW, long receivedAtMs)
    {
    }

    /**
     * A charger with an open session.
     *
     * @param powerW             the charger's last measured power (V2G negative), null before one.
     * @param vehicleSocPermille the vehicle's state of charge, from the latest session or charger reading.
     * @param energyNeededWh     what the vehicle still needs, as its last session message said.
     * @param departureLocal     departure time of day in the city's time zone, HH:mm.
     */
    public record ChargerView(long chargerId, String name, double ratedKw, long sessionId, String state, Integer vehicleSocPermille,
        Integer powerW, int energyNeededWh, long departureMs, String departureLocal, long receivedAtMs)
    {
    }

    public record PccSample(long timeMs, int powerW)
    {
    }

    // ---------------------------------------------------------------------------------- intersections
    private final Intersection[] intersections;
    private final Int2IntHashMap intersectionIndex = new Int2IntHashMap(-1);
    private final int[][] laneApproach;
    private final String[][] approachFrom;
    private final int[][] laneVehicles;
    private final int[][] laneHalting;
    private final long[] lanesReceivedAtMs;

    // ---------------------------------------------------------------------------------- devices
    private final int pccId;
    private int pccPowerW = NO_VALUE;
    private long pccMeasuredAtMs;
    private long pccReceivedAtMs = NEVER;
    private int loadPowerW = NO_VALUE;
    private long loadMeasuredAtMs;
    private long loadReceivedAtMs = NEVER;

    private final PvArray[] pv;
    private final Int2IntHashMap pvIndex = new Int2IntHashMap(-1);
    private final int[] pvPowerW;
    private final long[] pvReceivedAtMs;

    private final Ess[] ess;
    private final Int2IntHashMap essIndex = new Int2IntHashMap(-1);
    private final int[] essPowerW;
    private final int[] essSocPermille;
    private final long[] essReceivedAtMs;

    private final EvCharger[] chargers;
    private final Int2IntHashMap chargerIndex = new Int2IntHashMap(-1);
    private final int[] chargerPowerW;
    private final boolean[] sessionOpen;
    private final long[] sessionId;
    private final ChargerSessionState[] sessionState;
    private final int[] vehicleSocPermille;
    private final int[] energyNeededWh;
    private final long[] departureMs;
    private final long[] chargerReceivedAtMs;

    // ---------------------------------------------------------------------------------- measured PCC history (a ring)
    private final long[] historyTimeMs = new long[PCC_HISTORY];
    private final int[] historyPowerW = new int[PCC_HISTORY];
    private int historyStart;
    private int historySize;

    // ---------------------------------------------------------------------------------- counters
    private long frames;
    private long undecodable;
    private long unknownIds;
    private long invalidValues;

    private final DateTimeFormatter timeOfDay;

    public FieldMeasurements(final CityConfig city)
    {
        final List<Intersection> configured = city.traffic() != null ? city.traffic().intersections() : List.of();
        intersections = configured.toArray(new Intersection[0]);
        final int n = intersections.length;
        laneApproach = new int[n][];
        approachFrom = new String[n][];
        laneVehicles = new int[n][];
        laneHalting = new int[n][];
        lanesReceivedAtMs = new long[n];
        Arrays.fill(lanesReceivedAtMs, NEVER);
        for (int i = 0; i < n; i++)
        {
            intersectionIndex.put(intersections[i].id(), i);
            configuredLanes(i);
        }

        final Energy energy = city.energy();
        pccId = energy != null && energy.pcc() != null ? energy.pcc().id() : -1;
        pv = energy != null ? energy.pv().toArray(new PvArray[0]) : new PvArray[0];
        ess = energy != null ? energy.ess().toArray(new Ess[0]) : new Ess[0];
        chargers = energy != null ? energy.evChargers().toArray(new EvCharger[0]) : new EvCharger[0];
        for (int i = 0; i < pv.length; i++)
        {
            pvIndex.put(pv[i].id(), i);
        }
        for (int i = 0; i < ess.length; i++)
        {
            essIndex.put(ess[i].id(), i);
        }
        for (int i = 0; i < chargers.length; i++)
        {
            chargerIndex.put(chargers[i].id(), i);
        }
        pvPowerW = filled(pv.length);
        pvReceivedAtMs = never(pv.length);
        essPowerW = filled(ess.length);
        essSocPermille = filled(ess.length);
        essReceivedAtMs = never(ess.length);
        chargerPowerW = filled(chargers.length);
        sessionOpen = new boolean[chargers.length];
        sessionId = new long[chargers.length];
        sessionState = new ChargerSessionState[chargers.length];
        vehicleSocPermille = filled(chargers.length);
        energyNeededWh = new int[chargers.length];
        departureMs = new long[chargers.length];
        chargerReceivedAtMs = never(chargers.length);
        final String zone = city.city() != null && city.city().timeZone() != null ? city.city().timeZone() : "UTC";
        timeOfDay = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of(zone));
    }

    // ----------------------------------------------------------------------------- written by the reader

    /** A frame of a message this store reads, counted before it is decoded. */
    synchronized void frame()
    {
        frames++;
    }

    /** A frame that failed the structural check (header, lengths, groups): counted, not shown. */
    synchronized void undecodable()
    {
        undecodable++;
    }

    /**
     * One intersection's lanes (the decoder wrapped at its body). The whole message is ignored, and counted as
     * invalid, unless it describes every lane of the intersection's layout exactly once.
     */
    synchronized void laneObservations(final LaneObservationsDecoder m, final long nowMs)
    {
        final int index = intersectionIndex.get((int)Math.min(Integer.MAX_VALUE, m.intersectionId()));
        if (index < 0)
        {
            unknownIds++;
            return;
        }
        final int laneCount = laneApproach[index].length;
        final int start = m.limit();
        final LaneObservationsDecoder.LanesDecoder lanes = m.lanes();
        if (lanes.count() != laneCount)
        {
            invalidValues++;
            return;
        }
        // first pass: every lane once (a bit per lane: at most MAX_LANES lanes)
        long seen = 0;
        while (lanes.hasNext())
        {
            final int lane = lanes.next().laneIndex();
            if (lane >= laneCount || (seen & (1L << lane)) != 0)
            {
                invalidValues++;
                return;
            }
            seen |= 1L << lane;
        }
        m.limit(start);
        final LaneObservationsDecoder.LanesDecoder again = m.lanes();
        final int[] vehicles = laneVehicles[index];
        final int[] halting = laneHalting[index];
        while (again.hasNext())
        {
            again.next();
            final int lane = again.laneIndex();
            vehicles[lane] = again.vehicles();
            halting[lane] = Math.min(again.haltingVehicles(), again.vehicles());
        }
        lanesReceivedAtMs[index] = nowMs;
    }

    /**
     * What a controller says its lanes are: which approach each lane belongs to (laneIndex in LaneObservations
     * is the position in this list). Replaces the layout derived from the configuration.
     */
    synchronized void topology(final IntersectionTopologyDecoder m)
    {
        final int index = intersectionIndex.get((int)Math.min(Integer.MAX_VALUE, m.intersectionId()));
        if (index < 0)
        {
            unknownIds++;
            return;
        }
        final IntersectionTopologyDecoder.LanesDecoder lanes = m.lanes();
        final int laneCount = lanes.count();
        if (laneCount == 0 || laneCount > MAX_LANES)
        {
            invalidValues++;
            return;
        }
        final int[] approachOf = new int[laneCount];
        int approaches = 0;
        for (int l = 0; l < laneCount; l++)
        {
            final int approach = lanes.next().approachIndex();
            if (approach >= MAX_APPROACHES)
            {
                invalidValues++;
                return;
            }
            approachOf[l] = approach;
            approaches = Math.max(approaches, approach + 1);
        }
        if (Arrays.equals(approachOf, laneApproach[index]))
        {
            return;
        }
        laneApproach[index] = approachOf;
        approachFrom[index] = matchesConfiguration(intersections[index], approachOf, approaches)
            ? compassLabels(intersections[index]) : indexLabels(approaches);
        laneVehicles[index] = new int[laneCount];
        laneHalting[index] = new int[laneCount];
        lanesReceivedAtMs[index] = NEVER;
    }

    /** A grid measurement (decoder wrapped at its body) of the PCC meter, the load, a PV inverter, an ESS or a charger. */
    synchronized void gridMeasurement(final GridMeasurementDecoder m, final long nowMs)
    {
        final int id = (int)Math.min(Integer.MAX_VALUE, m.deviceId());
        final int rawPowerW = m.activePowerW();
        final int powerW = rawPowerW == GridMeasurementDecoder.activePowerWNullValue() ? NO_VALUE : rawPowerW;
        final int rawSoc = m.socPermille();
        final boolean socNull = rawSoc == GridMeasurementDecoder.socPermilleNullValue();
        final int socPermille = socNull || rawSoc > SOC_MAX_PERMILLE ? NO_VALUE : rawSoc;
        final long measuredAtMs = m.measuredAtNs() / NS_PER_MS;
        switch (m.deviceKind())
        {
            case PCC_METER ->
            {
                if (id != pccId)
                {
                    unknownIds++;
                    return;
                }
                pccPowerW = powerW;
                pccMeasuredAtMs = measuredAtMs;
                pccReceivedAtMs = nowMs;
                if (powerW != NO_VALUE)
                {
                    pccSample(measuredAtMs, powerW);
                }
            }
            case LOAD ->
            {
                // the district's demand, measured at the PCC (the meter's id)
                if (id != pccId)
                {
                    unknownIds++;
                    return;
                }
                loadPowerW = powerW;
                loadMeasuredAtMs = measuredAtMs;
                loadReceivedAtMs = nowMs;
            }
            case PV_INVERTER ->
            {
                final int i = pvIndex.get(id);
                if (i < 0)
                {
                    unknownIds++;
                    return;
                }
                pvPowerW[i] = powerW;
                pvReceivedAtMs[i] = nowMs;
            }
            case ESS ->
            {
                final int i = essIndex.get(id);
                if (i < 0)
                {
                    unknownIds++;
                    return;
                }
                essPowerW[i] = powerW;
                essSocPermille[i] = socPermille;
                essReceivedAtMs[i] = nowMs;
            }
            case EV_CHARGER ->
            {
                final int i = chargerIndex.get(id);
                if (i < 0)
                {
                    unknownIds++;
                    return;
                }
                chargerPowerW[i] = powerW;
                if (socPermille != NO_VALUE && sessionOpen[i])
                {
                    vehicleSocPermille[i] = socPermille; // the vehicle's, reported with the charger's power
                }
                chargerReceivedAtMs[i] = nowMs;
            }
            default ->
            {
                return; // other assets (controllable loads, ...) are not shown
            }
        }
        if (powerW == NO_VALUE || (!socNull && socPermille == NO_VALUE))
        {
            invalidValues++; // kept as "no valid reading": the screen shows a dash, not an older value
        }
    }

    /** A charging session's news; DISCONNECTED closes it. */
    synchronized void chargerSession(final ChargerSessionDecoder m, final long nowMs)
    {
        final int i = chargerIndex.get((int)Math.min(Integer.MAX_VALUE, m.chargerId()));
        if (i < 0)
        {
            unknownIds++;
            return;
        }
        final ChargerSessionState state = m.state();
        final int soc = m.vehicleSocPermille();
        if (state == ChargerSessionState.NULL_VAL || soc > SOC_MAX_PERMILLE)
        {
            invalidValues++;
            return;
        }
        chargerReceivedAtMs[i] = nowMs;
        if (state == ChargerSessionState.DISCONNECTED)
        {
            sessionOpen[i] = false;
            vehicleSocPermille[i] = NO_VALUE;
            return;
        }
        sessionOpen[i] = true;
        sessionId[i] = m.sessionId();
        sessionState[i] = state;
        vehicleSocPermille[i] = soc;
        energyNeededWh[i] = m.energyNeededWh();
        departureMs[i] = m.departureTimeNs() / NS_PER_MS;
    }

    // ----------------------------------------------------------------------------- read

    /** A configured intersection's id and name, so the screens can name every one, measured or not. */
    public record IntersectionName(long intersectionId, String name)
    {
    }

    /** Every configured intersection, by id. */
    public List<IntersectionName> intersectionNames()
    {
        final List<IntersectionName> out = new ArrayList<>(intersections.length);
        for (final Intersection intersection : intersections)
        {
            out.add(new IntersectionName(intersection.id(), intersection.name()));
        }
        out.sort(Comparator.comparingLong(IntersectionName::intersectionId));
        return out;
    }

    /** Queues of the intersections observed so far, by id. */
    public synchronized List<QueueView> queues()
    {
        final List<QueueView> out = new ArrayList<>();
        for (int i = 0; i < intersections.length; i++)
        {
            if (lanesReceivedAtMs[i] == NEVER)
            {
                continue;
            }
            final String[] from = approachFrom[i];
            final int[] halting = new int[from.length];
            final int[] vehicles = new int[from.length];
            int haltingTotal = 0;
            int vehiclesTotal = 0;
            for (int l = 0; l < laneApproach[i].length; l++)
            {
                halting[laneApproach[i][l]] += laneHalting[i][l];
                vehicles[laneApproach[i][l]] += laneVehicles[i][l];
                haltingTotal += laneHalting[i][l];
                vehiclesTotal += laneVehicles[i][l];
            }
            final List<ApproachQueue> approaches = new ArrayList<>(from.length);
            for (int a = 0; a < from.length; a++)
            {
                approaches.add(new ApproachQueue(from[a], halting[a], vehicles[a]));
            }
            out.add(new QueueView(intersections[i].id(), intersections[i].name(), haltingTotal, vehiclesTotal, approaches,
                lanesReceivedAtMs[i]));
        }
        out.sort(Comparator.comparingLong(QueueView::intersectionId));
        return out;
    }

    /** The energy measurements: PCC, load, PV, ESS, open charger sessions, and the measured PCC history. */
    public synchronized Map<String, Object> energy()
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("pcc", pccReceivedAtMs == NEVER ? null : new PowerView(value(pccPowerW), pccMeasuredAtMs, pccReceivedAtMs));
        out.put("load", loadReceivedAtMs == NEVER ? null : new PowerView(value(loadPowerW), loadMeasuredAtMs, loadReceivedAtMs));
        final List<PvView> pvOut = new ArrayList<>();
        long pvTotalW = 0;
        for (int i = 0; i < pv.length; i++)
        {
            if (pvReceivedAtMs[i] != NEVER)
            {
                final Integer outputW = pvPowerW[i] == NO_VALUE ? null : -pvPowerW[i];
                pvOut.add(new PvView(pv[i].id(), pv[i].name(), pv[i].peakKw(), outputW, pvReceivedAtMs[i]));
                pvTotalW += outputW == null ? 0 : outputW;
            }
        }
        out.put("pv", pvOut);
        out.put("pvTotalW", pvOut.isEmpty() ? null : pvTotalW);
        final List<EssView> essOut = new ArrayList<>();
        for (int i = 0; i < ess.length; i++)
        {
            if (essReceivedAtMs[i] != NEVER)
            {
                essOut.add(new EssView(ess[i].id(), ess[i].name(), value(essSocPermille[i]), value(essPowerW[i]), essReceivedAtMs[i]));
            }
        }
        out.put("ess", essOut);
        final List<ChargerView> chargerOut = new ArrayList<>();
        long chargingW = 0;
        for (int i = 0; i < chargers.length; i++)
        {
            if (chargerPowerW[i] != NO_VALUE)
            {
                chargingW += chargerPowerW[i];
            }
            if (sessionOpen[i])
            {
                chargerOut.add(new ChargerView(chargers[i].id(), chargers[i].name(), chargers[i].powerKw(), sessionId[i],
                    sessionState[i].name(), value(vehicleSocPermille[i]), value(chargerPowerW[i]), energyNeededWh[i], departureMs[i],
                    timeOfDay.format(Instant.ofEpochMilli(departureMs[i])), chargerReceivedAtMs[i]));
            }
        }
        chargerOut.sort(Comparator.comparingLong(ChargerView::departureMs).thenComparingLong(ChargerView::chargerId));
        out.put("chargers", chargerOut);
        out.put("chargerCount", chargers.length);
        out.put("chargingW", chargingW);
        final List<PccSample> history = new ArrayList<>(historySize);
        for (int k = 0; k < historySize; k++)
        {
            final int slot = (historyStart + k) % PCC_HISTORY;
            history.add(new PccSample(historyTimeMs[slot], historyPowerW[slot]));
        }
        out.put("pccHistory", history);
        return out;
    }

    /** What was read: frames of the measurement messages, and those not shown (undecodable, unknown id, invalid value). */
    public synchronized Map<String, Long> counters()
    {
        final Map<String, Long> out = new LinkedHashMap<>();
        out.put("frames", frames);
        out.put("undecodable", undecodable);
        out.put("unknownIds", unknownIds);
        out.put("invalidValues", invalidValues);
        return out;
    }

    // ----------------------------------------------------------------------------- helpers

    /** At most one sample per second of measurement time (the latest of that second); time going back starts over. */
    private void pccSample(final long timeMs, final int powerW)
    {
        if (historySize > 0)
        {
            final int last = (historyStart + historySize - 1) % PCC_HISTORY;
            if (timeMs < historyTimeMs[last])
            {
                historyStart = 0;
                historySize = 0; // a restarted simulation, or a wrong clock: the old line would mislead
            }
            else if (timeMs / 1000 == historyTimeMs[last] / 1000)
            {
                historyTimeMs[last] = timeMs;
                historyPowerW[last] = powerW;
                return;
            }
        }
        if (historySize == PCC_HISTORY)
        {
            historyStart = (historyStart + 1) % PCC_HISTORY;
            historySize--;
        }
        final int slot = (historyStart + historySize) % PCC_HISTORY;
        historyTimeMs[slot] = timeMs;
        historyPowerW[slot] = powerW;
        historySize++;
    }

    /** The field simulator's lane order (IntersectionLayout): approach by approach in configuration order, lane 0 first. */
    private void configuredLanes(final int index)
    {
        final Intersection intersection = intersections[index];
        int laneCount = 0;
        for (final Intersection.Approach approach : intersection.approaches())
        {
            laneCount += approach.lanes();
        }
        laneCount = Math.min(laneCount, MAX_LANES);
        final int[] approachOf = new int[laneCount];
        int lane = 0;
        for (int a = 0; a < intersection.approaches().size(); a++)
        {
            for (int k = 0; k < intersection.approaches().get(a).lanes() && lane < laneCount; k++)
            {
                approachOf[lane++] = a;
            }
        }
        laneApproach[index] = approachOf;
        approachFrom[index] = compassLabels(intersection);
        laneVehicles[index] = new int[laneCount];
        laneHalting[index] = new int[laneCount];
    }

    /** Whether a topology's approaches have the configured approaches' lane counts, in order (then their bearings apply). */
    private static boolean matchesConfiguration(final Intersection intersection, final int[] approachOf, final int approaches)
    {
        if (approaches != intersection.approaches().size())
        {
            return false;
        }
        final int[] lanes = new int[approaches];
        for (final int a : approachOf)
        {
            lanes[a]++;
        }
        for (int a = 0; a < approaches; a++)
        {
            if (lanes[a] != intersection.approaches().get(a).lanes())
            {
                return false;
            }
        }
        return true;
    }

    /** Compass point each approach's traffic comes from; a point two approaches share gets the approach id. */
    static String[] compassLabels(final Intersection intersection)
    {
        final int n = intersection.approaches().size();
        final String[] base = new String[n];
        for (int a = 0; a < n; a++)
        {
            final double bearing = ((intersection.approaches().get(a).fromBearingDeg() % 360) + 360) % 360;
            base[a] = COMPASS[(int)Math.round(bearing / 45.0) % COMPASS.length];
        }
        final String[] labels = new String[n];
        for (int a = 0; a < n; a++)
        {
            final boolean shared = Collections.frequency(Arrays.asList(base), base[a]) > 1;
            labels[a] = shared ? base[a] + "#" + intersection.approaches().get(a).id() : base[a];
        }
        return labels;
    }

    private static String[] indexLabels(final int approaches)
    {
        final String[] labels = new String[approaches];
        for (int a = 0; a < approaches; a++)
        {
            labels[a] = "#" + (a + 1);
        }
        return labels;
    }

    private static int[] filled(final int n)
    {
        final int[] values = new int[n];
        Arrays.fill(values, NO_VALUE);
        return values;
    }

    private static long[] never(final int n)
    {
        final long[] times = new long[n];
        Arrays.fill(times, NEVER);
        return times;
    }

    private static Integer value(final int raw)
    {
        return raw == NO_VALUE ? null : raw;
    }
}
