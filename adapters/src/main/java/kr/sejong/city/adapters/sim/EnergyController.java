package kr.sejong.city.adapters.sim;

import org.agrona.DirectBuffer;

/**
 * What balances the simulated microgrid: the real node over Aeron ({@link AeronEnergyController}), or
 * a strategy run in the same process (the bench's references). Lockstep: the field hands over a step's
 * measurements, then asks for the Tick's answer and applies it before the next step.
 */
public interface EnergyController
{
    /** One measurement or session frame of the field (valid only during the call). */
    void onFrame(DirectBuffer buffer, int offset, int length);

    /**
     * The Tick at {@code timeNs}; every frame that answers it goes to {@code answers} before this returns.
     */
    void tick(long timeNs, long periodNs, long tickNumber, FrameSink answers);
}
