package kr.sejong.city.core.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wrong node setting fails in conclude() with a message naming it; nothing starts. */
class ContextTest
{
    @TempDir
    Path dataDir;

    private void assertRejected(final String setting, final UnaryOperator<ControlNode.Context> change)
    {
        final ControlNode.Context ctx = change.apply(new ControlNode.Context().dataDir(dataDir));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude, setting);
        assertTrue(ex.getMessage().startsWith("node setting '" + setting + "'"), ex.getMessage());
    }

    @Test
    void eachWrongSettingIsNamed()
    {
        assertRejected("dataDir", ctx -> ctx.dataDir(null));
        assertRejected("ringSize", ctx -> ctx.ringSize(1000));
        assertRejected("idleStrategy", ctx -> ctx.idleStrategy("nap"));
        assertRejected("tickPeriod", ctx -> ctx.tickPeriodNs(10));
        assertRejected("journalRollCycle", ctx -> ctx.journalRollCycle("MONTHLY"));
        assertRejected("ingressChannel", ctx -> ctx.ingressChannel("tcp://localhost"));
        assertRejected("egressStreamId", ctx -> ctx.egressStreamId(ctx.ingressStreamId()));
        assertRejected("termBufferLength", ctx -> ctx.termBufferLength(100_000));
        assertRejected("maxFrameLength", ctx -> ctx.maxFrameLength(32));
        assertRejected("egressRetryLimit", ctx -> ctx.egressRetryLimit(-1));
        assertRejected("loops", ctx -> ctx.addLoop(new kr.sejong.city.core.testing.TestLoop()).addLoop(new kr.sejong.city.core.testing.TestLoop()));
    }

    @Test
    void theConfigurationSnapshotMustFitInAFrame()
    {
        assertRejected("maxFrameLength", ctx -> ctx.maxFrameLength(4096).configSnapshot("big.yaml", new byte[5000]));
        final ControlNode.Context fits = new ControlNode.Context().dataDir(dataDir).maxFrameLength(4096)
            .configSnapshot("small.yaml", new byte[3000]).conclude();
        assertEquals(4096, fits.maxFrameLength());
    }

    @Test
    void defaultsAreFilledIn()
    {
        final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).conclude();
        assertNotNull(ctx.aeronDirectoryName());
        assertTrue(ctx.aeronDirectoryName().contains("sejong-city"), ctx.aeronDirectoryName());
        assertNotNull(ctx.epochNanoClock());
        assertEquals(NodeMode.LIVE, ctx.mode());
        assertEquals(NodeThreading.LOW_RESOURCE, ctx.threading());
    }
}
