package kr.sejong.city.bench.opcua;

import io.aeron.Publication;
import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.opcua.server.FieldServer;
import kr.sejong.city.adapters.opcua.server.FieldVariable;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The field devices' side: every {@code periodMs} one round, in which every item gets a value unique to the round
 * ({@link BenchField#value}) with the wall-clock time of the set as its SourceTimestamp, either in the field
 * server's variables (the OPC UA path) or encoded as a GridMeasurement and offered straight to the node's ingress
 * (the baseline). Rounds are numbered across the whole run. While no server is set (a restart) no round is made. Rounds
 * begin at least a period apart (a late one delays the next rather than crowding it).
 */
final class Feeder implements AutoCloseable
{
    private final int items;
    private final long periodNs;
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean feeding;

    // guarded by this
    private FieldServer server;
    private FieldVariable[] variables;
    private Publication direct;
    private long nextRound;
    private long offerRetries;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final GridMeasurementEncoder grid = new GridMeasurementEncoder();

    Feeder(final int items, final long periodMs)
    {
        this.items = items;
        this.periodNs = TimeUnit.MILLISECONDS.toNanos(periodMs);
        this.thread = new Thread(this::run, "bench-feeder");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Feed this server from now on; one round at once, so that it holds fresh values from its first moment. */
    synchronized void server(final FieldServer server)
    {
        this.direct = null;
        this.server = server;
        this.variables = new FieldVariable[items];
        for (int i = 0; i < items; i++)
        {
            variables[i] = server.variable(FieldNodes.Kind.PV, BenchField.id(i), FieldNodes.ACTIVE_POWER_W);
        }
        round();
        feeding = true;
    }

    /** Publish straight to Aeron from now on (the baseline). */
    synchronized void direct(final Publication publication)
    {
        this.server = null;
        this.variables = null;
        this.direct = publication;
        feeding = true;
    }

    /** No more rounds until a server or publication is set; returns when the round in progress is done. */
    synchronized long pause()
    {
        feeding = false;
        server = null;
        variables = null;
        direct = null;
        return nextRound;
    }

    /** The next round to be made: every round before it has been made (or is being made now). */
    synchronized long nextRound()
    {
        return nextRound;
    }

    synchronized long offerRetries()
    {
        return offerRetries;
    }

    private void run()
    {
        long dueNs = System.nanoTime();
        while (running)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - dueNs < 0)
            {
                LockSupport.parkNanos(Math.min(dueNs - nowNs, 1_000_000));
                continue;
            }
            // a round due a period after the last one began, never sooner: a late round is not followed by a catch-up round
            // closer than a period, which the server would merge with it (one value per item per sampling interval)
            dueNs = nowNs + periodNs;
            if (feeding)
            {
                synchronized (this)
                {
                    if (feeding)
                    {
                        round();
                    }
                }
            }
        }
    }

    /** One round: every item's new value (caller holds the lock). */
    private void round()
    {
        final long round = nextRound++;
        final int value = BenchField.value(round);
        if (variables != null)
        {
            for (int i = 0; i < items; i++)
            {
                variables[i].set(value, clock.nanoTime());
            }
        }
        else if (direct != null)
        {
            for (int i = 0; i < items; i++)
            {
                grid.wrapAndApplyHeader(buffer, 0, header)
                    .deviceId(BenchField.id(i))
                    .deviceKind(DeviceKind.PV_INVERTER)
                    .activePowerW(value)
                    .reactivePowerVar(0)
                    .socPermille(GridMeasurementEncoder.socPermilleNullValue())
                    .measuredAtNs(clock.nanoTime());
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + grid.encodedLength();
                while (direct.offer(buffer, 0, length) < 0)
                {
                    offerRetries++;
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
