package kr.sejong.city.bench.mobility;

/**
 * A ride request known in advance, for the offline reference solution (issue 7).
 *
 * @param id                request id, unique within an instance.
 * @param originStopId      stop id of the pickup.
 * @param destinationStopId stop id of the drop-off; not the origin.
 * @param earliestPickupS   earliest pickup, seconds from the scenario start.
 * @param party             riders, wheelchair users included; at least 1.
 * @param wheelchairs       of the party, riders in a wheelchair (each takes a seat and a wheelchair place).
 */
public record OfflineRequest(long id, int originStopId, int destinationStopId, long earliestPickupS, int party, int wheelchairs)
{
    public OfflineRequest
    {
        if (party < 1)
        {
            throw new IllegalArgumentException("request " + id + ": party " + party + " < 1");
        }
        if (wheelchairs < 0 || wheelchairs > party)
        {
            throw new IllegalArgumentException("request " + id + ": wheelchairs " + wheelchairs + " not in 0.." + party);
        }
        if (originStopId == destinationStopId)
        {
            throw new IllegalArgumentException("request " + id + ": origin and destination are both stop " + originStopId);
        }
        if (earliestPickupS < 0)
        {
            throw new IllegalArgumentException("request " + id + ": earliest pickup " + earliestPickupS + " < 0");
        }
    }
}
