package kr.sejong.city.bench.e2e;

import kr.sejong.city.bench.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A load generator whose benchmark process dies stops by itself, instead of loading the machine until its own
 * deadline. The generator is started by a shell that exits after a second (the "benchmark process" that dies);
 * the generator talks TCP to a server here that accepts and never answers, and is asked to run for a minute.
 */
class LoadGeneratorOrphanTest
{
    @TempDir
    Path tmp;

    @Test
    void stopsWhenTheProcessThatStartedItIsGone() throws IOException, InterruptedException
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final List<Socket> accepted = new ArrayList<>();
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    accepted.add(server.accept()); // never read from: the generator keeps trying to send
                }
                catch (final IOException ex)
                {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            final StringBuilder java = new StringBuilder();
            java.append(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            for (final String flag : JvmFlags.FLAGS)
            {
                java.append(' ').append(quote(flag));
            }
            java.append(" -Xmx256m -cp ").append(quote(System.getProperty("java.class.path")))
                .append(' ').append(LoadGenerator.class.getName())
                .append(" transport=tcp host=127.0.0.1 port=").append(server.getLocalPort())
                .append(" rate=1000 warmupMs=0 durationMs=60000 drainMs=10000 out=").append(quote(tmp.resolve("result").toString()));
            final Path pidFile = tmp.resolve("generator.pid");
            // the shell starts the generator in the background, writes its pid, and is gone a second later
            final Process shell = new ProcessBuilder("bash", "-c",
                java + " > " + quote(tmp.resolve("generator.log").toString()) + " 2>&1 & echo $! > " + quote(pidFile.toString()) + "; sleep 1")
                .start();
            assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "the starting shell ends");

            final long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
            final Optional<ProcessHandle> generator = ProcessHandle.of(pid);
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (generator.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline)
                {
                    Thread.sleep(50);
                }
                assertFalse(generator.map(ProcessHandle::isAlive).orElse(false),
                    "the generator is still running 10 s after its parent died (asked for 60 s); its log:\n"
                        + Files.readString(tmp.resolve("generator.log")));
                assertTrue(Files.readString(tmp.resolve("generator.log")).contains("is gone; stopping"),
                    Files.readString(tmp.resolve("generator.log")));
            }
            finally
            {
                generator.ifPresent(ProcessHandle::destroyForcibly);
                for (final Socket socket : accepted)
                {
                    socket.close();
                }
            }
        }
    }

    private static String quote(final String word)
    {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
