package kr.sejong.city.core.runtime;

import io.aeron.Publication;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * In live mode, sends a Tick through ingress at every multiple of the tick period, so that periodic
 * work in the loops is driven by journaled input and replays exactly. Ticks that fall due while the
 * node is stalled are not sent in a burst: the next Tick carries the current period boundary.
 */
final class ClockAgent implements Agent
{
    private final Publication publication;
    private final EpochNanoClock clock;
    private final long periodNs;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + TickEncoder.BLOCK_LENGTH]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final TickEncoder tickEncoder = new TickEncoder();
    private long nextTickNs;
    private long tickNumber;

    ClockAgent(final Publication publication, final EpochNanoClock clock, final long periodNs)
    {
        this.publication = publication;
        this.clock = clock;
        this.periodNs = periodNs;
    }

    @Override
    public void onStart()
    {
        nextTickNs = (clock.nanoTime() / periodNs + 1) * periodNs;
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs < nextTickNs)
        {
            return 0;
        }
        final long dueNs = nowNs - (nowNs - nextTickNs) % periodNs; // latest boundary not after now
        tickEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .timeNs(dueNs)
            .periodNs(periodNs)
            .source(TickSource.CLOCK)
            .tickNumber(tickNumber);
        final long result = publication.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + TickEncoder.BLOCK_LENGTH);
        if (result > 0)
        {
            tickNumber++;
            nextTickNs = dueNs + periodNs;
            return 1;
        }
        // not connected yet or back-pressured: try again on the next duty cycle
        return 0;
    }

    @Override
    public String roleName()
    {
        return "clock";
    }
}
