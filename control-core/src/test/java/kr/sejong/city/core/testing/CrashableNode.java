package kr.sejong.city.core.testing;

import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A node in a JVM of its own, to be killed with SIGKILL by a test: {@code CrashableNode DATA_DIR}.
 * Prints "READY aeronDir" once it takes input, then runs until killed.
 */
public final class CrashableNode
{
    public static final byte[] CONFIG = "crash-test: 1\n".getBytes(StandardCharsets.UTF_8);
    public static final long SNAPSHOT_INTERVAL = 500;

    private CrashableNode()
    {
    }

    public static ControlNode.Context context(final Path dataDir)
    {
        return new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .snapshotInterval(SNAPSHOT_INTERVAL)
            .configSnapshot("crash-test.yaml", CONFIG)
            .loops(List.of(new SummingLoop()));
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final ControlNode node = ControlNode.launch(context(Path.of(args[0])));
        System.out.println("READY " + node.context().aeronDirectoryName());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
