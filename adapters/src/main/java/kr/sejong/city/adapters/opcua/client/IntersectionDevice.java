package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.codecs.SignalMode;

/**
 * An intersection controller: SignalState, PhaseIndex, Mode and PhaseElapsedMs make one SignalStatus per
 * notification message; each LaneObservations value one LaneObservations; each detector's Counts one
 * DetectorObservation. Lane and movement counts come from the topology read at connection.
 */
final class IntersectionDevice extends FieldDevice
{
    private static final int MODE = 0;
    private static final int PHASE_INDEX = 1;
    private static final int PHASE_ELAPSED_MS = 2;
    private static final int SIGNAL_STATE = 3;
    private static final int LANE_OBSERVATIONS = 4;
    private static final int DETECTOR_BASE = 100;
    private static final String SIGNAL_LETTERS = "rRgGyYuoOs";

    private final int[] detectorIds;
    private int lanes = -1;
    private int movements = -1;
    private SignalMode mode;
    private int phaseIndex = -1;
    private long phaseElapsedMs = -1;
    private String signalState;

    IntersectionDevice(final int id, final int[] detectorIds, final FieldPublisher out, final OpcUaCounters counters)
    {
        super(FieldNodes.Kind.INTERSECTION, id, out, counters);
        this.detectorIds = detectorIds.clone();
        monitor(FieldNodes.MODE, MODE);
        monitor(FieldNodes.PHASE_INDEX, PHASE_INDEX);
        monitor(FieldNodes.PHASE_ELAPSED_MS, PHASE_ELAPSED_MS);
        monitor(FieldNodes.SIGNAL_STATE, SIGNAL_STATE);
        monitorEveryReading(FieldNodes.LANE_OBSERVATIONS, LANE_OBSERVATIONS);
        for (int i = 0; i < detectorIds.length; i++)
        {
            monitor(FieldNodes.detectorCounts(id, detectorIds[i]), DETECTOR_BASE + i,
                FieldNodes.DETECTOR + "/" + detectorIds[i] + "/" + FieldNodes.COUNTS, true);
        }
    }

    /** What the topology read at connection says: observations must match it. */
    void topology(final int laneCount, final int movementCount)
    {
        this.lanes = laneCount;
        this.movements = movementCount;
    }

    @Override
    void reset()
    {
        super.reset();
        mode = null;
        phaseIndex = -1;
        phaseElapsedMs = -1;
        signalState = null;
    }

    @Override
    void onValue(final int variable, final String variableName, final Object value, final long atNs, final long arrivalNs)
    {
        switch (variable)
        {
            case MODE ->
            {
                if (inRange(variableName, value, 1, 7))
                {
                    mode = SignalMode.get((short)Values.longValue(value));
                    changed(atNs);
                }
            }
            case PHASE_INDEX ->
            {
                // 65535: no phase of its program (a central state of the node's own making), passed on as the field's null
                if (inRange(variableName, value, 0, 65535))
                {
                    phaseIndex = (int)Values.longValue(value);
                    changed(atNs);
                }
            }
            case PHASE_ELAPSED_MS ->
            {
                if (inRange(variableName, value, 0, 0xFFFF_FFFEL))
                {
                    phaseElapsedMs = Values.longValue(value);
                    changed(atNs);
                }
            }
            case SIGNAL_STATE ->
            {
                if (signalState(variableName, value))
                {
                    signalState = (String)value;
                    changed(atNs);
                }
            }
            case LANE_OBSERVATIONS -> laneObservations(variableName, value, atNs, arrivalNs);
            default -> detectorCounts(variable - DETECTOR_BASE, variableName, value, atNs, arrivalNs);
        }
    }

    private void changed(final long atNs)
    {
        dirty = true;
        good(atNs);
    }

    private boolean signalState(final String variableName, final Object value)
    {
        if (!(value instanceof String text))
        {
            reject(variableName, value, "wrong type " + Values.typeName(value) + ", expected a String");
            return false;
        }
        if (text.isEmpty() || movements >= 0 && text.length() != movements)
        {
            reject(variableName, value, "length " + text.length() + ", expected " + movements + " (one letter per movement)");
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (SIGNAL_LETTERS.indexOf(text.charAt(i)) < 0)
            {
                reject(variableName, value, "letter '" + text.charAt(i) + "' is not one of " + SIGNAL_LETTERS);
                return false;
            }
        }
        return true;
    }

    private void laneObservations(final String variableName, final Object value, final long atNs, final long arrivalNs)
    {
        if (!integralArray(variableName, value, -1))
        {
            return;
        }
        final int length = Values.integralArrayLength(value);
        // three values per lane, or four where the controller measures speed too
        final int width = lanes > 0 ? (length == lanes * FieldNodes.LANE_OBSERVATION_WIDTH_WITH_SPEED
            ? FieldNodes.LANE_OBSERVATION_WIDTH_WITH_SPEED : FieldNodes.LANE_OBSERVATION_WIDTH) : FieldNodes.LANE_OBSERVATION_WIDTH;
        if (lanes >= 0 && length != lanes * width)
        {
            reject(variableName, value, "length " + length + ", expected " + lanes * FieldNodes.LANE_OBSERVATION_WIDTH + " (or " +
                lanes * FieldNodes.LANE_OBSERVATION_WIDTH_WITH_SPEED + " with speeds)");
            return;
        }
        if (length == 0 || length % width != 0)
        {
            reject(variableName, value, "length " + length + " is not three values per lane");
            return;
        }
        for (int i = 0; i < length; i += width)
        {
            if (!elementInRange(variableName, value, i, 0, 65535) ||
                !elementInRange(variableName, value, i + 1, 0, Values.element(value, i)) ||
                !elementInRange(variableName, value, i + 2, 0, ValueRanges.OCCUPANCY_MAX))
            {
                return;
            }
        }
        good(atNs);
        out.laneObservations(id, value, length / width, width, arrivalNs);
    }

    private void detectorCounts(final int index, final String variableName, final Object value, final long atNs, final long arrivalNs)
    {
        if (!integralArray(variableName, value, FieldNodes.COUNTS_WIDTH) ||
            !elementInRange(variableName, value, 0, 1, 0xFFFF_FFFEL) ||
            !elementInRange(variableName, value, 1, 0, 65534) ||
            !elementInRange(variableName, value, 2, 0, ValueRanges.OCCUPANCY_MAX) ||
            !elementInRange(variableName, value, 3, 0, 1))
        {
            return;
        }
        good(atNs);
        out.detectorObservation(detectorIds[index], id, value, arrivalNs);
    }

    @Override
    void flush(final long arrivalNs)
    {
        if (dirty && mode != null && phaseIndex >= 0 && phaseElapsedMs >= 0 && signalState != null)
        {
            out.signalStatus(id, mode, phaseIndex, phaseElapsedMs, signalState, arrivalNs);
        }
        dirty = false;
    }
}
