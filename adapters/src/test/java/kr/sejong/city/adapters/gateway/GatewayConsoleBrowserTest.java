package kr.sejong.city.adapters.gateway;

import kr.sejong.city.adapters.sim.SignalizedField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser: Debian's {@code chromium}, headless, driven by {@code playwright-core}
 * (installed by bin/test into {@code .tools/playwright}) from scripts in {@code adapters/src/test/js}, against a
 * real node and gateway.
 * <ul>
 *   <li>{@code console-browser.cjs}: an emergency operator logs in, sees a new P1 incident appear with its deadline
 *       counting down, acknowledges it and sees it become IN_PROGRESS; a viewer sees the next incident without any
 *       action button, and the API refuses its acknowledgement when forced.</li>
 *   <li>{@code console-measurements-browser.cjs}: once an energy operator is logged in, the test feeds known field
 *       measurements on the node's ingress ({@link MeasurementFrames#sendKnownField}); the page shows, without
 *       reloading, the queue of intersection 101 in all and per approach, each ESS's state of charge and power, the
 *       PV output, the measured PCC power (as a line on the chart), and the charging session with its vehicle's state
 *       of charge, power, energy still needed and departure, exactly as fed; a traffic viewer sees the queue and gets
 *       no energy data. With {@code CONSOLE_SCREENSHOTS=DIR} in the environment it saves {@code console-traffic.png}
 *       and {@code console-energy.png} there.</li>
 * </ul>
 * Without chromium or playwright-core the tests are skipped on a developer's machine (bin/test installs
 * both) and fail under CI, where bin/test must have installed them.
 */
class GatewayConsoleBrowserTest
{
    @TempDir
    Path dataDir;

    @Test
    void anOperatorAcknowledgesANewP1IncidentAndAViewerCannot() throws Exception
    {
        try (GatewayTesting t = GatewayTesting.start(dataDir))
        {
            final Map<String, String> env = new LinkedHashMap<>();
            env.put("OPERATOR_KEY", t.keys.get("emergency-operator"));
            env.put("VIEWER_KEY", t.keys.get("city-viewer"));
            run(t, "console-browser.cjs", env, line ->
            {
                if (line.equals("OPERATOR-READY"))
                {
                    t.fireCall(-500, -500);
                }
                else if (line.equals("VIEWER-READY"))
                {
                    t.fireCall(1000, 1000);
                }
            });
        }
    }

    @Test
    void anEnergyOperatorAndATrafficViewerSeeTheFieldMeasurementsAsFed() throws Exception
    {
        try (GatewayTesting t = GatewayTesting.start(dataDir))
        {
            t.awaitMeasurementReader();
            final long nowMs = System.currentTimeMillis();
            final long departureMs = MeasurementFrames.knownDepartureMs(nowMs);
            final Map<String, String> env = new LinkedHashMap<>();
            env.put("ENERGY_KEY", t.keys.get("energy-operator"));
            env.put("TRAFFIC_KEY", t.keys.get("traffic-viewer"));
            env.put("DEPARTURE", DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of(t.city.city().timeZone()))
                .format(Instant.ofEpochMilli(departureMs)));
            final String shots = System.getenv("CONSOLE_SCREENSHOTS");
            if (shots != null && !shots.isBlank())
            {
                env.put("SCREENSHOT_DIR", shots);
            }
            // the same frames again every 2 s, so that nothing turns stale while the browser looks (the values do not change)
            final MeasurementFrames frames = new MeasurementFrames();
            final AtomicBoolean feeding = new AtomicBoolean();
            final Thread feeder = new Thread(() ->
            {
                boolean topologies = false;
                while (!Thread.currentThread().isInterrupted())
                {
                    if (feeding.get())
                    {
                        if (!topologies)
                        {
                            // the field simulator's controllers, so the signal loop commands every intersection
                            new SignalizedField(t.city, 1).topologies((buffer, offset, length) -> t.feed(buffer, length));
                            topologies = true;
                        }
                        frames.sendKnownField(t::feed, nowMs, false);
                    }
                    try
                    {
                        Thread.sleep(feeding.get() ? 2000 : 20);
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
            }, "field-feeder");
            feeder.setDaemon(true);
            feeder.start();
            try
            {
                run(t, "console-measurements-browser.cjs", env, line ->
                {
                    if (line.equals("FEED"))
                    {
                        feeding.set(true);
                    }
                });
            }
            finally
            {
                feeder.interrupt();
                feeder.join(5000);
            }
        }
    }

    /** Runs a script with node against the gateway; {@code onLine} sees each line it prints. */
    private static void run(final GatewayTesting t, final String scriptName, final Map<String, String> env, final Consumer<String> onLine)
        throws Exception
    {
        final Path root = Path.of(System.getProperty("user.dir")).getParent();
        final Path playwright = root.resolve(".tools/playwright/node_modules/playwright-core");
        final Path chromium = Path.of("/usr/bin/chromium");
        final Path script = root.resolve("adapters/src/test/js/" + scriptName);
        final boolean ready = Files.isDirectory(playwright) && Files.isExecutable(chromium);
        if ("true".equals(System.getenv("CI")) && !ready)
        {
            fail("bin/test should have installed chromium (" + chromium + ") and playwright-core (" + playwright + ")");
        }
        assumeTrue(ready, "needs chromium and .tools/playwright (bin/test installs them)");

        final ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
        builder.environment().put("PLAYWRIGHT_CORE", playwright.toString());
        builder.environment().put("CHROMIUM", chromium.toString());
        builder.environment().put("BASE", t.base());
        builder.environment().putAll(env);
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
                onLine.accept(line);
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
