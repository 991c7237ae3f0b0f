package kr.sejong.city.bench;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import kr.sejong.city.codecs.DetectorObservationEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.RejectReason;
import org.agrona.ExpandableArrayBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * One input's hop through the Disruptor ring, producer and consumers on one thread as in the node's
 * low-resource threading: claim a slot the way the ingress agent does (capacity check, next, stamp,
 * publish), then poll it out with an {@link EventPoller}.
 * <ul>
 *   <li>{@code publishThenPoll}: one poller, gating the producer (the hop itself);</li>
 *   <li>{@code publishThenPollNodeTopology}: the node's ring (ControlNode): journal and loop pollers,
 *       an egress poller that follows both and alone gates the producer; one publish, three polls.</li>
 * </ul>
 * Slots mirror the node's InputEvent (package-private there): the stamp fields and its two
 * preallocated buffers, so a ring of the node's default size (65536) walks as much memory as the
 * node's does; 1024 slots is the small-ring baseline. The frame copy into the slot is not part of
 * the hop and is left out. Expected allocation: none.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingHopBenchmark extends BenchmarkDefaults
{
    /** The shape of the node's ring slot (kr.sejong.city.core.runtime.InputEvent). */
    public static final class Slot
    {
        long sequence;
        long timeNs;
        long receivedNanos;
        boolean rejected;
        RejectReason rejectReason;
        int templateId;
        int schemaId;
        int version;
        int blockLength;
        int frameLength;
        int storedLength;
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(512);
        final ExpandableArrayBuffer output = new ExpandableArrayBuffer(1024);
        int outputLength;
        int outputCount;
    }

    /** Reads what every consumer of a slot reads first, its stamp; keeps it so the work is not dead. */
    static final class Consumer implements EventPoller.Handler<Slot>
    {
        long lastSequence;
        long lastTimeNs;

        @Override
        public boolean onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
        {
            lastSequence = slot.sequence;
            lastTimeNs = slot.timeNs;
            return true;
        }
    }

    /** Stamps a slot as the ingress agent does for a DetectorObservation. */
    abstract static class Producer
    {
        RingBuffer<Slot> ring;
        long nextSequence;
        long timeNs = 1_764_000_000_000_000_000L;

        final void publishOne()
        {
            if (!ring.hasAvailableCapacity(1))
            {
                throw new IllegalStateException("ring full: the pollers fell behind");
            }
            final long ringSequence = ring.next();
            final Slot slot = ring.get(ringSequence);
            slot.sequence = nextSequence++;
            slot.timeNs = timeNs;
            slot.receivedNanos = timeNs;
            slot.templateId = DetectorObservationEncoder.TEMPLATE_ID;
            slot.schemaId = DetectorObservationEncoder.SCHEMA_ID;
            slot.version = DetectorObservationEncoder.SCHEMA_VERSION;
            slot.blockLength = DetectorObservationEncoder.BLOCK_LENGTH;
            slot.frameLength = MessageHeaderEncoder.ENCODED_LENGTH + DetectorObservationEncoder.BLOCK_LENGTH;
            slot.rejected = false;
            slot.rejectReason = null;
            slot.storedLength = slot.frameLength;
            ring.publish(ringSequence);
        }
    }

    @State(Scope.Thread)
    public static class OnePoller extends Producer
    {
        @Param({"1024", "65536"})
        public int ringSize;

        EventPoller<Slot> poller;
        final Consumer consumer = new Consumer();

        @Setup
        public void setUp()
        {
            ring = RingBuffer.createSingleProducer(Slot::new, ringSize, new BusySpinWaitStrategy());
            poller = ring.newPoller();
            ring.addGatingSequences(poller.getSequence());
        }
    }

    @State(Scope.Thread)
    public static class NodePollers extends Producer
    {
        @Param({"1024", "65536"})
        public int ringSize;

        EventPoller<Slot> journalPoller;
        EventPoller<Slot> loopPoller;
        EventPoller<Slot> egressPoller;
        final Consumer journal = new Consumer();
        final Consumer loops = new Consumer();
        final Consumer egress = new Consumer();

        @Setup
        public void setUp()
        {
            ring = RingBuffer.createSingleProducer(Slot::new, ringSize, new BusySpinWaitStrategy());
            journalPoller = ring.newPoller();
            loopPoller = ring.newPoller();
            egressPoller = ring.newPoller(journalPoller.getSequence(), loopPoller.getSequence());
            ring.addGatingSequences(egressPoller.getSequence());
        }
    }

    @Benchmark
    public long publishThenPoll(final OnePoller state) throws Exception
    {
        state.publishOne();
        state.poller.poll(state.consumer);
        return state.consumer.lastSequence;
    }

    @Benchmark
    public long publishThenPollNodeTopology(final NodePollers state) throws Exception
    {
        state.publishOne();
        state.journalPoller.poll(state.journal);
        state.loopPoller.poll(state.loops);
        state.egressPoller.poll(state.egress);
        return state.egress.lastSequence;
    }
}
