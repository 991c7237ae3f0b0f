package kr.sejong.city.replay.indiana;

/**
 * One hi-resolution event.
 *
 * @param signalId the intersection id
 * @param timeNs   the logical time of the journal entry it comes from
 * @param sequence the ingress sequence of that entry (for an output: of the input that caused it), for ordering and --from/--to
 */
public record IndianaEvent(long signalId, long timeNs, long sequence, IndianaEventCode code, int param)
{
}
