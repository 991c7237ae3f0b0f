package kr.sejong.city.replay.audit;

import java.util.Map;

/**
 * One line of an audit timeline: an input the node journaled (IN) or a decision it published (OUT).
 *
 * @param timeNs         the entry's logical time (for an output, the time of the input that caused it)
 * @param sequence       the ingress sequence of the input (for an output: of the input that caused it)
 * @param egressSequence the egress sequence of an output; null for an input
 * @param direction      IN or OUT
 * @param message        the message name, e.g. SignalCommand
 * @param reason         the message's reason or status code, "rejected: REASON" for a refused input; null when none
 * @param fields         every field, decoded (see {@link DecodedFrame} for the value types)
 */
public record AuditRow(long timeNs, long sequence, Long egressSequence, Direction direction, String message, String reason,
    Map<String, Object> fields)
{
    /** IN: what the node saw (ingress journal); OUT: what it said (egress journal). */
    public enum Direction
    {
        IN, OUT
    }

    /** "12" for an input, "out 7 for input 12" for an output. */
    public String sequenceText()
    {
        return direction == Direction.IN ? Long.toString(sequence) : "out " + egressSequence + " for input " + sequence;
    }
}
