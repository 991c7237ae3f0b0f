package kr.sejong.city.adapters.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser: Debian's {@code chromium}, headless, driven by {@code playwright-core}
 * (installed by bin/test into {@code .tools/playwright}) from {@code adapters/src/test/js/console-browser.cjs},
 * against a real node and gateway. An emergency operator logs in, sees a new P1 incident appear with its
 * deadline counting down, acknowledges it and sees it become IN_PROGRESS; a viewer sees the next incident
 * without any action button, and the API refuses its acknowledgement when forced.
 * <p>
 * Without chromium or playwright-core the test is skipped on a developer's machine (bin/test installs
 * both) and fails under CI, where bin/test must have installed them.
 */
class GatewayConsoleBrowserTest
{
    @TempDir
    Path dataDir;

    @Test
    void anOperatorAcknowledgesANewP1IncidentAndAViewerCannot() throws Exception
    {
        final Path root = Path.of(System.getProperty("user.dir")).getParent();
        final Path playwright = root.resolve(".tools/playwright/node_modules/playwright-core");
        final Path chromium = Path.of("/usr/bin/chromium");
        final Path script = root.resolve("adapters/src/test/js/console-browser.cjs");
        final boolean ready = Files.isDirectory(playwright) && Files.isExecutable(chromium);
        if ("true".equals(System.getenv("CI")) && !ready)
        {
            fail("bin/test should have installed chromium (" + chromium + ") and playwright-core (" + playwright + ")");
        }
        assumeTrue(ready, "needs chromium and .tools/playwright (bin/test installs them)");

        try (GatewayTesting t = GatewayTesting.start(dataDir))
        {
            final ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
            builder.environment().put("PLAYWRIGHT_CORE", playwright.toString());
            builder.environment().put("CHROMIUM", chromium.toString());
            builder.environment().put("BASE", t.base());
            builder.environment().put("OPERATOR_KEY", t.keys.get("emergency-operator"));
            builder.environment().put("VIEWER_KEY", t.keys.get("city-viewer"));
            final Process node = builder.start();
            // a watchdog: a browser that hangs must not hang the build (the script's own waits are shorter)
            final Thread watchdog = new Thread(() ->
            {
                try
                {
                    if (!node.waitFor(90, TimeUnit.SECONDS))
                    {
                        node.descendants().forEach(ProcessHandle::destroyForcibly);
                        node.destroyForcibly();
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "browser-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            final List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    lines.add(line);
                    if (line.equals("OPERATOR-READY"))
                    {
                        t.fireCall(-500, -500);
                    }
                    else if (line.equals("VIEWER-READY"))
                    {
                        t.fireCall(1000, 1000);
                    }
                }
            }
            finally
            {
                if (!node.waitFor(60, TimeUnit.SECONDS))
                {
                    node.destroyForcibly();
                }
            }
            final String transcript = String.join("\n", lines);
            assertEquals(0, node.exitValue(), transcript);
            assertTrue(lines.contains("PASS"), transcript);
        }
    }
}
