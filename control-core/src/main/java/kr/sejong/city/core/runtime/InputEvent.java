package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.RejectReason;
import org.agrona.ExpandableArrayBuffer;

/**
 * One slot of the Disruptor ring: a stamped input frame on its way through journal, loops and egress,
 * and the decisions the loops made for it. Slots are preallocated and reused; a slot's buffers grow
 * only when it meets a frame (or output) larger than it has held before.
 */
final class InputEvent
{
    static final int FRAME_INITIAL_CAPACITY = 512;
    static final int OUTPUT_INITIAL_CAPACITY = 1024;
    /** Bytes of a rejected frame kept in the journal as evidence. */
    static final int REJECTED_FRAME_KEEP_BYTES = 256;

    // stamped by the ingress agent
    long sequence;
    long timeNs;
    /** Wall-clock nanos at ingress; for latency measurement only, never journaled or seen by loops. */
    long receivedNanos;
    boolean rejected;
    RejectReason rejectReason;
    int templateId;
    int schemaId;
    int version;
    int blockLength;
    /** Length of the frame as received. */
    int frameLength;
    /** Bytes of it held in {@link #frame}: all of it, or the first bytes of a rejected frame. */
    int storedLength;
    final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(FRAME_INITIAL_CAPACITY);

    /** Written by the loop agent, read by the egress agent. */
    final OutputBuffer output = new OutputBuffer(OUTPUT_INITIAL_CAPACITY);
}
