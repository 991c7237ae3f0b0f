package kr.sejong.city.adapters.sim;

import org.agrona.DirectBuffer;

/**
 * Receives the frames a {@link FieldModel} step produces, one SBE message (header included) each.
 * The buffer is the generator's scratch space: it is valid only during the call, so a sink that keeps
 * a frame copies it.
 */
@FunctionalInterface
public interface FrameSink
{
    void onFrame(DirectBuffer buffer, int offset, int length);
}
