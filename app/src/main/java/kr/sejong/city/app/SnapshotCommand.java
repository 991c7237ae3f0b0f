package kr.sejong.city.app;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import kr.sejong.city.codecs.Center;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OperatorActionEncoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.core.runtime.NodeCounters;
import kr.sejong.city.core.runtime.NodeStatus;
import org.agrona.ExpandableArrayBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    header = "Ask a running node to snapshot every loop's state now.",
    description = { "Sends an OperatorAction SNAPSHOT through the node's ingress (so the request is journaled like any input) and waits until the node has written the snapshot. A later replay or restart can start from it." })
final class SnapshotCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The running node's data directory (default: data/ in the project).")
    Path dataDir;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "How long to wait for the snapshot (default: ${DEFAULT-VALUE}).")
    int timeoutS;

    @Override
    public Integer call()
    {
        final Path dir = dataDir != null ? dataDir : CityHome.defaultDataDir();
        final NodeStatus status;
        try
        {
            status = NodeStatus.read(dir);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        if (!status.isRunning(System.currentTimeMillis()))
        {
            throw new BadInputException("the node in " + dir + " is not running (" + status.state(System.currentTimeMillis()) + ")");
        }
        final Map<String, String> info = new HashMap<>();
        for (final String line : status.info().split("\n"))
        {
            final int eq = line.indexOf('=');
            if (eq > 0)
            {
                info.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        final String[] ingress = info.getOrDefault("ingress", "").split(" stream ");
        if (ingress.length != 2 || !info.containsKey("aeronDir"))
        {
            throw new BadInputException("the node's status in " + dir + " does not say where its ingress is");
        }
        final long before = status.value(NodeCounters.SNAPSHOTS, 0);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(info.get("aeronDir")));
            ExclusivePublication publication = aeron.addExclusivePublication(ingress[0], Integer.parseInt(ingress[1])))
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
            final OperatorActionEncoder action = new OperatorActionEncoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .actionId(System.currentTimeMillis())
                .center(Center.SYSTEM)
                .role(OperatorRole.CONFIGURE)
                .actionKind(OperatorActionKind.SNAPSHOT)
                .subjectKind(SubjectKind.NONE)
                .subjectId(0)
                .operatorName(System.getProperty("user.name", "operator"))
                .what("snapshot on demand (bin/city snapshot)")
                .before("")
                .after("");
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + action.encodedLength();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
            while (publication.offer(buffer, 0, length) < 0)
            {
                if (System.nanoTime() > deadline)
                {
                    spec.commandLine().getErr().println("city: could not reach the node's ingress within " + timeoutS + " s");
                    return ExitCodes.FAILURE;
                }
                Thread.onSpinWait();
            }
            while (NodeStatus.read(dir).value(NodeCounters.SNAPSHOTS, 0) <= before)
            {
                if (System.nanoTime() > deadline)
                {
                    spec.commandLine().getErr().println("city: the node took the request but wrote no snapshot within " + timeoutS
                        + " s (a node without loops has no state to snapshot)");
                    return ExitCodes.FAILURE;
                }
                Thread.yield();
            }
        }
        final NodeStatus after = NodeStatus.read(dir);
        spec.commandLine().getOut().printf("snapshot written at sequence %d (%d snapshots, %d bytes in all)%n",
            after.value(NodeCounters.LAST_SEQUENCE, -1), after.value(NodeCounters.SNAPSHOTS, 0),
            after.value(NodeCounters.SNAPSHOT_BYTES, 0));
        return ExitCodes.OK;
    }
}
