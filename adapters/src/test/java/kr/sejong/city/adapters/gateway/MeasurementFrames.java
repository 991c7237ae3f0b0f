package kr.sejong.city.adapters.gateway;

import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.ChargerSessionEncoder;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.IntersectionTopologyEncoder;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Field measurement frames as the field simulator and the OPC UA adapter send them, with values a test
 * chooses. Each method encodes into {@link #buffer} at 0 and returns the frame's length.
 */
final class MeasurementFrames
{
    static final long NS_PER_MS = 1_000_000L;

    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final GridMeasurementEncoder grid = new GridMeasurementEncoder();
    private final ChargerSessionEncoder session = new ChargerSessionEncoder();
    private final LaneObservationsEncoder lanes = new LaneObservationsEncoder();
    private final IntersectionTopologyEncoder topology = new IntersectionTopologyEncoder();

    /** Frames offered on the node's ingress ({@link GatewayTesting#feed}), or fed straight to a reader. */
    @FunctionalInterface
    interface Sink
    {
        void frame(UnsafeBuffer buffer, int length);
    }

    /** Departure of the known charging session, ms: a whole minute, 95 minutes after {@code nowMs}. */
    static long knownDepartureMs(final long nowMs)
    {
        return (nowMs / 60_000 + 95) * 60_000;
    }

    /**
     * The known field of the gateway tests, in the default city (ids of config/sejong-5-1.yaml):
     * <ul>
     *   <li>intersection 101 (approaches from N 1 lane, E 2, S 1, W 2): halting per lane 3 | 4 2 | 0 | 5 1, so
     *       N 3, E 6, S 0, W 6, 15 in all; vehicles 5 | 6 4 | 1 | 7 2, 25 in all;</li>
     *   <li>intersection 102 with 5 lanes where it has 6: invalid, not shown;</li>
     *   <li>PV 201 350.0 kW, PV 221 612.4 kW (962.4 kW in all), PV 222 with a null power (invalid, shown as a dash),
     *       PV 999 (unknown);</li>
     *   <li>ESS 301 at 62.3 % charging 150.0 kW, ESS 302 at 41.5 % discharging 80.0 kW;</li>
     *   <li>PCC: 60 samples a second apart ending at 4,321.0 kW; load 5,100.0 kW;</li>
     *   <li>charger 427 (Mobility Hub Super 1): session 77 CHARGING, vehicle at 42.0 %, 31.5 kWh still needed,
     *       leaving at {@link #knownDepartureMs}; charging at 180.0 kW; charger 401: a session that ended;</li>
     *   <li>one LaneObservations frame cut short (undecodable).</li>
     * </ul>
     * Without {@code withBadFrames}, the invalid, unknown and undecodable ones are left out.
     *
     * @return the number of measurement frames sent (the reader's {@code frames} counter after them).
     */
    int sendKnownField(final Sink sink, final long nowMs, final boolean withBadFrames)
    {
        int sent = 0;
        sink.frame(buffer, lanes(101, new int[] {5, 6, 4, 1, 7, 2}, new int[] {3, 4, 2, 0, 5, 1}));
        sent++;
        if (withBadFrames)
        {
            sink.frame(buffer, lanes(102, new int[] {1, 1, 1, 1, 1}, new int[] {1, 1, 1, 1, 1}));
            final int cut = lanes(103, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
            sink.frame(buffer, cut - 7);
            sink.frame(buffer, grid(222, DeviceKind.PV_INVERTER, GridMeasurementEncoder.activePowerWNullValue(), -1, nowMs));
            sink.frame(buffer, grid(999, DeviceKind.PV_INVERTER, -1_000, -1, nowMs));
            sent += 4;
        }
        sink.frame(buffer, grid(201, DeviceKind.PV_INVERTER, -350_000, -1, nowMs));
        sink.frame(buffer, grid(221, DeviceKind.PV_INVERTER, -612_400, -1, nowMs));
        sink.frame(buffer, grid(301, DeviceKind.ESS, 150_000, 623, nowMs));
        sink.frame(buffer, grid(302, DeviceKind.ESS, -80_000, 415, nowMs));
        sink.frame(buffer, grid(1, DeviceKind.LOAD, 5_100_000, -1, nowMs));
        sent += 5;
        for (int k = 59; k >= 0; k--)
        {
            // a ramp from 3,731.0 kW up to 4,321.0 kW, one sample a second
            sink.frame(buffer, grid(1, DeviceKind.PCC_METER, 4_321_000 - k * 10_000, -1, nowMs - k * 1000L));
            sent++;
        }
        sink.frame(buffer, session(401, 76, ChargerSessionState.CONNECTED, 300, 20_000, nowMs + 3_600_000));
        sink.frame(buffer, session(401, 76, ChargerSessionState.DISCONNECTED, 500, 0, nowMs + 3_600_000));
        sink.frame(buffer, session(427, 77, ChargerSessionState.CHARGING, 420, 31_500, knownDepartureMs(nowMs)));
        sink.frame(buffer, grid(427, DeviceKind.EV_CHARGER, 180_000, -1, nowMs));
        sent += 4;
        return sent;
    }

    /** @param socPermille negative: null (not a storage device, or not known). */
    int grid(final long deviceId, final DeviceKind kind, final int powerW, final int socPermille, final long atMs)
    {
        grid.wrapAndApplyHeader(buffer, 0, header).deviceId(deviceId).deviceKind(kind).activePowerW(powerW).reactivePowerVar(0)
            .socPermille(socPermille < 0 ? GridMeasurementEncoder.socPermilleNullValue() : socPermille).measuredAtNs(atMs * NS_PER_MS);
        return MessageHeaderEncoder.ENCODED_LENGTH + grid.encodedLength();
    }

    int session(final long chargerId, final long sessionId, final ChargerSessionState state, final int socPermille, final int neededWh,
        final long departureMs)
    {
        session.wrapAndApplyHeader(buffer, 0, header).chargerId(chargerId).sessionId(sessionId).state(state).vehicleSocPermille(socPermille)
            .energyNeededWh(neededWh).departureTimeNs(departureMs * NS_PER_MS).maxChargePowerW(200_000).maxDischargePowerW(0)
            .v2gAllowed(BooleanType.FALSE);
        return MessageHeaderEncoder.ENCODED_LENGTH + session.encodedLength();
    }

    /** LaneObservations: lane i has vehicles[i] vehicles of which halting[i] halt. */
    int lanes(final long intersectionId, final int[] vehicles, final int[] halting)
    {
        final LaneObservationsEncoder.LanesEncoder group = lanes.wrapAndApplyHeader(buffer, 0, header).intersectionId(intersectionId)
            .lanesCount(vehicles.length);
        for (int i = 0; i < vehicles.length; i++)
        {
            group.next().laneIndex(i).vehicles(vehicles[i]).haltingVehicles(halting[i]).occupancyPermille(100)
                .meanSpeedCmPerS(LaneObservationsEncoder.LanesEncoder.meanSpeedCmPerSNullValue());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + lanes.encodedLength();
    }

    /** An IntersectionTopology with only its lanes (approach index of each), no movements or phases. */
    int topology(final long intersectionId, final int[] laneApproach)
    {
        final IntersectionTopologyEncoder.LanesEncoder group = topology.wrapAndApplyHeader(buffer, 0, header).intersectionId(intersectionId)
            .lanesCount(laneApproach.length);
        for (final int approach : laneApproach)
        {
            group.next().approachIndex(approach).lengthMm(100_000).speedLimitCmPerS(833);
        }
        topology.movementsCount(0);
        topology.phasesCount(0);
        topology.name("test");
        topology.programStates("");
        topology.putConflicts(new byte[0], 0, 0);
        return MessageHeaderEncoder.ENCODED_LENGTH + topology.encodedLength();
    }
}
