package kr.sejong.city.adapters.sim;

/**
 * Where a {@link FieldSimulator}'s frames come from: the {@link FieldModel} itself, or something that stands between
 * the model and the node and keeps some of its frames for another path (the OPC UA field servers, which the node then
 * reads through its field adapter).
 */
public interface FrameSource
{
    /** The frames to send once, before the first step (the signalised intersections' topologies). */
    void topologies(FrameSink sink);

    /** The frames of the logical interval [fromNs, toNs), in order. */
    void step(long fromNs, long toNs, FrameSink sink);
}
