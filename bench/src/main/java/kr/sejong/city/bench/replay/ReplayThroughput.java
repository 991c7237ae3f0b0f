package kr.sejong.city.bench.replay;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import kr.sejong.city.adapters.sim.FieldModel;
import kr.sejong.city.adapters.sim.FieldSimulator;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeContexts;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.replay.Replayer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How fast {@code replay --verify} goes on a large journal of mixed messages: records one through the
 * real node (simulated mode, the field simulator as fast as the node takes it, the node's own loops),
 * then verifies it with the replay tool, timing both.
 */
public final class ReplayThroughput
{
    /** Figures of one run. */
    public record Result(long inputs, long outputs, double recordSeconds, double verifySeconds, boolean verified, String digest)
    {
        public double verifyRatePerS()
        {
            return inputs / verifySeconds;
        }

        public double recordRatePerS()
        {
            return inputs / recordSeconds;
        }
    }

    private ReplayThroughput()
    {
    }

    public static Result run(final LoadedConfig city, final Path dataDir, final long messages, final Consumer<String> log,
        final Replayer.Progress progress)
    {
        final long recordStart = System.nanoTime();
        final ControlNode.Context ctx = NodeContexts.fromConfig(city.config().node(), dataDir)
            .mode(NodeMode.SIMULATED)
            .loops(Loops.create(city.config()))
            .configSnapshot(city.source().toString(), city.yamlBytes());
        try (ControlNode node = ControlNode.launch(ctx))
        {
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()));
            AgentRunner runner = null;
            try
            {
                final ExclusivePublication publication = aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
                final FieldSimulator simulator = new FieldSimulator(new FieldSimulator.Context()
                    .model(new FieldModel(city.config()))
                    .publication(publication)
                    .pacing(FieldSimulator.Pacing.SIMULATED)
                    .startTimeNs(1_780_000_000_000_000_000L)); // a fixed logical start: the same journal every run
                runner = new AgentRunner(new BusySpinIdleStrategy(), Throwable::printStackTrace, null, simulator);
                AgentRunner.startOnThread(runner);
                long nextLog = System.nanoTime();
                while (node.counters().inputs() < messages)
                {
                    if (System.nanoTime() >= nextLog)
                    {
                        log.accept(String.format("recording: %,d of %,d inputs journaled", node.counters().inputs(), messages));
                        nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    }
                    sleep();
                }
            }
            finally
            {
                CloseHelper.closeAll(runner, aeron);
            }
        }
        final double recordSeconds = (System.nanoTime() - recordStart) / 1e9;

        final Replayer.Result verify = new Replayer(new Replayer.Options(dataDir).verify(true).progress(progress)).run();
        return new Result(verify.inputs(), verify.outputs(), recordSeconds, verify.wallSeconds(), verify.ok(), verify.stateDigest());
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(50);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
