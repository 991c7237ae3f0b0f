package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.twin.TwinFrames;
import kr.sejong.city.codecs.IntersectionTopologyEncoder;
import kr.sejong.city.codecs.MovementTurn;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an intersection controller's topology variables in one Read and publishes them as one
 * IntersectionTopology (docs/opcua.md), checking that the arrays agree with one another.
 */
final class TopologyReader
{
    private static final String[] NAMES = {
        FieldNodes.NAME, FieldNodes.LANE_APPROACHES, FieldNodes.LANE_LENGTHS_MM, FieldNodes.LANE_SPEED_LIMITS_CM_PER_S,
        FieldNodes.MOVEMENT_FROM_LANES, FieldNodes.MOVEMENT_TO_APPROACHES, FieldNodes.MOVEMENT_TURNS, FieldNodes.CONFLICTS,
        FieldNodes.PROGRAM_STATES, FieldNodes.PROGRAM_DURATIONS_MS, FieldNodes.PROGRAM_MIN_DURATIONS_MS, FieldNodes.PROGRAM_MAX_DURATIONS_MS };

    /** The topology does not hold together; the message names the variable. */
    static final class BadTopology extends Exception
    {
        private static final long serialVersionUID = 1L;

        BadTopology(final String message)
        {
            super(message);
        }
    }

    /** Lane and movement counts of a topology that was read and published. */
    record Shape(int lanes, int movements)
    {
    }

    private TopologyReader()
    {
    }

    static Shape readAndPublish(final OpcUaClient client, final int namespaceIndex, final int intersectionId, final FieldPublisher out)
        throws UaException, BadTopology
    {
        final List<NodeId> nodes = new ArrayList<>(NAMES.length);
        for (final String name : NAMES)
        {
            nodes.add(new NodeId(namespaceIndex, FieldNodes.node(FieldNodes.Kind.INTERSECTION, intersectionId, name)));
        }
        final List<DataValue> values = client.readValues(0, TimestampsToReturn.Neither, nodes);
        final Object[] v = new Object[NAMES.length];
        for (int i = 0; i < NAMES.length; i++)
        {
            final DataValue value = values.get(i);
            if (!value.getStatusCode().isGood() || value.getValue().isNull())
            {
                throw new BadTopology(NAMES[i] + ": " + value.getStatusCode());
            }
            v[i] = value.getValue().getValue();
        }
        final String name = text(v[0], NAMES[0]);
        final int lanes = array(v[1], NAMES[1], -1);
        array(v[2], NAMES[2], lanes);
        array(v[3], NAMES[3], lanes);
        final int movements = array(v[4], NAMES[4], -1);
        array(v[5], NAMES[5], movements);
        final String turns = text(v[6], NAMES[6]);
        if (turns.length() != movements)
        {
            throw new BadTopology(NAMES[6] + ": " + turns.length() + " letters for " + movements + " movements");
        }
        if (!(v[7] instanceof ByteString conflictBytes) || conflictBytes.length() < (movements * movements + 7) / 8)
        {
            throw new BadTopology(NAMES[7] + ": expected a ByteString of at least " + (movements * movements + 7) / 8 + " bytes");
        }
        if (!(v[8] instanceof String[] states))
        {
            throw new BadTopology(NAMES[8] + ": expected a String array, was " + Values.typeName(v[8]));
        }
        for (final String state : states)
        {
            if (state == null || state.length() != movements)
            {
                throw new BadTopology(NAMES[8] + ": state \"" + state + "\" does not have one letter per movement (" + movements + ")");
            }
        }
        array(v[9], NAMES[9], states.length);
        array(v[10], NAMES[10], states.length);
        array(v[11], NAMES[11], states.length);

        final FieldPublisher.Encoders e = out.encoders();
        final IntersectionTopologyEncoder m = e.topology.wrapAndApplyHeader(e.buffer, 0, e.header).intersectionId(intersectionId);
        final IntersectionTopologyEncoder.LanesEncoder laneGroup = m.lanesCount(lanes);
        for (int i = 0; i < lanes; i++)
        {
            laneGroup.next()
                .approachIndex(checked(v[1], i, 0, 65534, NAMES[1]))
                .lengthMm(checked(v[2], i, 0, Integer.MAX_VALUE, NAMES[2]))
                .speedLimitCmPerS(checked(v[3], i, 0, 65534, NAMES[3]));
        }
        final IntersectionTopologyEncoder.MovementsEncoder movementGroup = m.movementsCount(movements);
        for (int i = 0; i < movements; i++)
        {
            final int to = checked(v[5], i, -1, 65534, NAMES[5]);
            movementGroup.next()
                .fromLaneIndex(checked(v[4], i, 0, lanes - 1, NAMES[4]))
                .toApproachIndex(to < 0 ? IntersectionTopologyEncoder.MovementsEncoder.toApproachIndexNullValue() : to)
                .turn(turn(turns.charAt(i)));
        }
        final IntersectionTopologyEncoder.PhasesEncoder phaseGroup = m.phasesCount(states.length);
        for (int i = 0; i < states.length; i++)
        {
            phaseGroup.next()
                .durationMs(Values.element(v[9], i))
                .minDurationMs(Values.element(v[10], i))
                .maxDurationMs(Values.element(v[11], i));
        }
        m.name(name).programStates(String.join(";", states));
        final byte[] conflicts = conflictBytes.bytesOrEmpty();
        m.putConflicts(conflicts, 0, (movements * movements + 7) / 8);
        out.offer(e, m.encodedLength(), IntersectionTopologyEncoder.TEMPLATE_ID, 0);
        return new Shape(lanes, movements);
    }

    private static String text(final Object value, final String name) throws BadTopology
    {
        if (!(value instanceof String text))
        {
            throw new BadTopology(name + ": expected a String, was " + Values.typeName(value));
        }
        return text;
    }

    private static int array(final Object value, final String name, final int length) throws BadTopology
    {
        final int actual = Values.integralArrayLength(value);
        if (actual < 0)
        {
            throw new BadTopology(name + ": expected an integer array, was " + Values.typeName(value));
        }
        if (length >= 0 && actual != length)
        {
            throw new BadTopology(name + ": " + actual + " elements, expected " + length);
        }
        return actual;
    }

    private static int checked(final Object array, final int i, final long min, final long max, final String name) throws BadTopology
    {
        final long v = Values.element(array, i);
        if (v < min || v > max)
        {
            throw new BadTopology(name + "[" + i + "] = " + v + " out of range [" + min + ", " + max + "]");
        }
        return (int)v;
    }

    /** The model's direction letters are SUMO's ({@link TwinFrames#turn}); '?' is a movement of no known direction. */
    private static MovementTurn turn(final char letter) throws BadTopology
    {
        final MovementTurn turn = TwinFrames.turn(letter);
        if (turn == MovementTurn.NULL_VAL && letter != '?')
        {
            throw new BadTopology(FieldNodes.MOVEMENT_TURNS + ": unknown direction '" + letter + "' (one of s l r t L R, or ? for none)");
        }
        return turn;
    }
}
