package kr.sejong.city.adapters.sim;

/**
 * One kind of simulated input. Each generator owns its random stream (the model's seed mixed with the
 * generator's own salt), its state and its encoders, and emits its frames for one step in time order.
 */
interface Generator
{
    /** Emit the frames of the logical interval [fromNs, toNs). Steps never go back in time. */
    void step(long fromNs, long toNs, FrameSink sink);
}
