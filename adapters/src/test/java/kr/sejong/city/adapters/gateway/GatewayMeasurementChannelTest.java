package kr.sejong.city.adapters.gateway;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway that stops reading the node's ingress must not hold the field back. With a small IPC term
 * (64 KiB, so a 32 KiB window), a field publication and a node subscription that keeps up: beside a
 * subscription on {@link MeasurementReader#untethered} that never polls, the field is held only until the driver's
 * untethered window-limit timeout (300 ms here) and then keeps publishing; beside a plain (tethered) one that
 * never polls, it is held at the window for good (the control, showing the test can fail).
 */
class GatewayMeasurementChannelTest
{
    private static final int TERM_LENGTH = 64 * 1024;
    private static final int STREAM = 1001;
    private static final long RUN_MS = 2_000;
    /** The driver's untetheredWindowLimitTimeout: 5 s by default (checked each 1 s timer tick), shorter here to keep the test short. */
    private static final long WINDOW_LIMIT_TIMEOUT_MS = 300;

    @TempDir
    Path dir;

    private MediaDriver driver;
    private Aeron aeron;

    @BeforeEach
    void start()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context().aeronDirectoryName(dir.resolve("aeron").toString())
            .ipcTermBufferLength(TERM_LENGTH).timerIntervalNs(100_000_000L)
            .untetheredWindowLimitTimeoutNs(WINDOW_LIMIT_TIMEOUT_MS * 1_000_000L).threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    void aStalledMeasurementReaderDoesNotHoldTheFieldBack() throws Exception
    {
        final long published = publishBeside(MeasurementReader.untethered("aeron:ipc"));
        assertTrue(published > 20L * TERM_LENGTH, "the field published " + published + " bytes in " + RUN_MS + " ms");
    }

    @Test
    void aStalledTetheredSubscriberWouldHoldItAtTheWindow() throws Exception
    {
        final long published = publishBeside("aeron:ipc");
        assertTrue(published <= 2L * TERM_LENGTH, "the field published " + published + " bytes in " + RUN_MS + " ms");
    }

    /** How far the field's publication got in RUN_MS with the node reading and a subscriber on {@code channel} not. */
    private long publishBeside(final String channel) throws Exception
    {
        try (Publication field = aeron.addExclusivePublication("aeron:ipc", STREAM);
            Subscription node = aeron.addSubscription("aeron:ipc", STREAM);
            Subscription stalled = aeron.addSubscription(channel, STREAM))
        {
            while (!field.isConnected() || node.imageCount() == 0 || stalled.imageCount() == 0)
            {
                Thread.onSpinWait();
            }
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread reader = new Thread(() ->
            {
                while (running.get())
                {
                    if (node.poll((buffer, offset, length, header) -> { }, 256) == 0)
                    {
                        Thread.yield();
                    }
                }
            });
            reader.start();
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
            final long endNs = System.nanoTime() + RUN_MS * 1_000_000L;
            try
            {
                while (System.nanoTime() < endNs)
                {
                    if (field.offer(frame, 0, frame.capacity()) < 0)
                    {
                        Thread.yield();
                    }
                }
            }
            finally
            {
                running.set(false);
                reader.join();
            }
            return field.position();
        }
    }
}
