package kr.sejong.city.app;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeContexts;
import kr.sejong.city.core.runtime.NodeMode;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.IoUtil;

/**
 * The node a {@code bin/city simulate} scenario runs through: simulated mode, Aeron, journal, the given loops, the
 * city's configuration journaled; its data directory is temporary (deleted afterwards) unless one is given. Keeps
 * the node's decision latency, split at the end of the first simulated hour (the JVM's warm-up) when the runner
 * says so. Shared by the scenario kinds.
 */
final class ScenarioNode
{
    /** What runs against the node: its ingress and egress are connected. */
    @FunctionalInterface
    interface Body
    {
        void run(ExclusivePublication ingress, Subscription egress) throws IOException;
    }

    private final LoadedConfig city;
    private final List<ControlLoop> loops;
    private final Path dataDir;
    private final Histogram warmUp = new Histogram(3);
    private Histogram steady = new Histogram(3);
    private int trackedTemplate = -1;
    private final Histogram trackedWarmUp = new Histogram(3);
    private Histogram trackedSteady = new Histogram(3);
    private ControlNode node;

    ScenarioNode(final LoadedConfig city, final List<ControlLoop> loops, final Path dataDir)
    {
        this.city = city;
        this.loops = loops;
        this.dataDir = dataDir;
    }

    /** --hours: above 0 and at most the scenario's. */
    static void checkHours(final Double hours, final double scenarioHours)
    {
        if (hours != null && (!(hours > 0) || hours > scenarioHours))
        {
            throw new BadInputException("--hours must be above 0 and at most the scenario's " + scenarioHours + ", was " + hours);
        }
    }

    /** --data: a directory without a journal yet. */
    static void checkDataDir(final Path dataDir)
    {
        if (dataDir != null && Files.isDirectory(dataDir.resolve("journal")))
        {
            throw new BadInputException(dataDir + " already holds a journal: give an empty --data directory");
        }
    }

    /** Launch the node, wait for ingress and egress to connect, run {@code body}, close everything. */
    void run(final long scenarioStartNs, final Body body) throws IOException
    {
        final Path dir = dataDir == null ? Files.createTempDirectory("city-simulate") : dataDir;
        final ControlNode.Context ctx = NodeContexts.fromConfig(city.config().node(), dir)
            .mode(NodeMode.SIMULATED)
            .loops(loops)
            .configSnapshot(city.source().toString(), city.yamlBytes())
            .errorHandler(error -> System.err.println("city: node error: " + error));
        try (ControlNode launched = ControlNode.launch(ctx);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()));
            ExclusivePublication ingress = aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
            Subscription egress = aeron.addSubscription(ctx.egressChannel(), ctx.egressStreamId()))
        {
            node = launched;
            if (launched.recoveredTimeNs() >= scenarioStartNs)
            {
                throw new BadInputException(dir + " holds a journal that runs past the scenario's start: give an empty --data directory");
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(ingress.isConnected() && egress.isConnected()) && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            body.run(ingress, egress);
            steady = launched.egressLatency().getIntervalHistogram();
            trackedSteady = tracked(launched);
        }
        finally
        {
            node = null;
            if (dataDir == null)
            {
                IoUtil.delete(dir.toFile(), true);
            }
        }
    }

    /** From the runner's progress: the first call ends the warm-up (the first simulated hour). */
    void progressed()
    {
        if (warmUp.getTotalCount() == 0 && node != null)
        {
            // the first simulated hour is the JVM's warm-up (interpreted code, first journal pages)
            warmUp.add(node.egressLatency().getIntervalHistogram());
            trackedWarmUp.add(tracked(node));
        }
    }

    /** Keep the decision latency of the inputs of one kind (SBE template id) apart as well; call before {@link #run}. */
    void trackInput(final int templateId)
    {
        trackedTemplate = templateId;
    }

    private Histogram tracked(final ControlNode launched)
    {
        final org.HdrHistogram.Recorder recorder = trackedTemplate < 0 ? null : launched.decisionLatency(trackedTemplate);
        return recorder == null ? new Histogram(3) : recorder.getIntervalHistogram();
    }

    /**
     * Decision latency of the tracked kind of input (input reaching ingress to its last output on egress), after the
     * warm-up when {@link #split()}, else of the whole run.
     */
    Histogram trackedAfterWarmUp()
    {
        if (split())
        {
            return trackedSteady;
        }
        final Histogram all = trackedSteady.copy();
        all.add(trackedWarmUp);
        return all;
    }

    /** Whether the latency after the warm-up is apart from it. */
    boolean split()
    {
        return warmUp.getTotalCount() > 0 && steady.getTotalCount() > 0;
    }

    /** In-node decision latency after the warm-up when {@link #split()}, else of the whole run. */
    Histogram afterWarmUp()
    {
        return split() ? steady : all();
    }

    /** In-node decision latency of the whole run. */
    Histogram all()
    {
        final Histogram all = steady.copy();
        all.add(warmUp);
        return all;
    }

    /** Where the journal is, for the report. */
    String journal()
    {
        return dataDir == null ? "temporary, deleted" : dataDir.toString();
    }
}
