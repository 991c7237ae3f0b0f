package kr.sejong.city.adapters.gateway;

import com.sun.net.httpserver.HttpServer;
import kr.sejong.city.config.Agency;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.core.testing.JournalContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery survives the gateway: a real node (the default city's loops, journal on disk) keeps deciding while
 * its gateway is stopped and started again, and a 119 receiver (a JDK HttpServer) records every POST it gets.
 * Each test compares the exact list of idempotency keys that arrived with the fire agency's Notifications and
 * Dispatches in the egress journal, in egress order.
 */
class GatewayDurableDeliveryTest
{
    /** Long enough that no attempt times out on a busy machine: every arrival here is a send, not a retry. */
    private static final Gateway.Retry RETRY = new Gateway.Retry(50, 400, 5000);

    @TempDir
    Path dataDir;

    @Test
    void aRestartedGatewayDeliversWhatItOwedAndWhatWasDecidedWhileItWasDownOnceAndInOrder() throws Exception
    {
        final int port = freePort(); // nothing listens there until the receiver comes up
        try (GatewayTesting t = new GatewayTesting(dataDir, fire119(port), RETRY))
        {
            t.fireCall(-300, 900);
            t.fireCall(700, -200);
            await("two fires notified and dispatched", () -> GatewayNotificationTest.expectedKeys(dataDir).size() >= 4);
            await("attempts while the receiver is down", () -> (long)status(t).get("failedAttempts") >= 2);
            assertEquals(0L, status(t).get("delivered"));
            final List<String> owed = GatewayNotificationTest.expectedKeys(dataDir);

            t.stopGateway();
            t.fireCall(-900, -800); // the node decides on, with no gateway running
            await("a notification decided while the gateway is down",
                () -> GatewayNotificationTest.expectedKeys(dataDir).size() > owed.size());
            final List<String> decidedWhileDown = GatewayNotificationTest.expectedKeys(dataDir);

            t.startGateway();
            await("the restarted gateway retries", () -> (long)status(t).get("failedAttempts") >= 1);
            try (Receiver receiver = new Receiver(port))
            {
                await("everything owed delivered (expected at least " + decidedWhileDown + ")", receiver::arrivals,
                    () -> receiver.arrivals().size() >= decidedWhileDown.size());
                final List<String> got = receiver.arrivals();
                // escalations may have been decided since: compare with the journal as it is now
                final List<String> decided = GatewayNotificationTest.expectedKeys(dataDir);
                assertSentOnceInOrder(decided, got);
                assertEquals(decidedWhileDown, got.subList(0, decidedWhileDown.size()));
                assertTrue(decidedWhileDown.size() > owed.size() && owed.size() >= 4, owed + " then " + decidedWhileDown);
            }
        }
    }

    @Test
    void aRestartAfterEverythingWasDeliveredSendsNothingAgain() throws Exception
    {
        try (Receiver receiver = new Receiver(freePort());
            GatewayTesting t = new GatewayTesting(dataDir, fire119(receiver.port), RETRY))
        {
            t.fireCall(-300, 900);
            t.fireCall(700, -200);
            await("two fires notified and dispatched", () -> GatewayNotificationTest.expectedKeys(dataDir).size() >= 4);
            final List<String> sent = GatewayNotificationTest.expectedKeys(dataDir);
            await("all delivered", () -> receiver.arrivals().size() >= sent.size());

            t.stopGateway();
            t.startGateway();
            final List<JournalContents.Out> egress = JournalContents.egress(dataDir);
            final long last = egress.get(egress.size() - 1).egressSequence();
            await("the restarted gateway has read the journal to egress sequence " + last, () -> (long)status(t).get("readSequence") >= last);
            Thread.sleep(1000); // time for a repeat to arrive, were there one

            final List<String> got = receiver.arrivals();
            final List<String> decided = GatewayNotificationTest.expectedKeys(dataDir);
            assertSentOnceInOrder(decided, got);
            assertTrue(got.size() >= sent.size());
        }
    }

    @Test
    void anUnreadableDeliveryStateStopsTheGatewayWithAnErrorNamingTheFile() throws Exception
    {
        try (GatewayTesting t = new GatewayTesting(dataDir, fire119(freePort()), RETRY))
        {
            t.fireCall(-300, 900);
            await("a notification", () -> !GatewayNotificationTest.expectedKeys(dataDir).isEmpty());
            t.stopGateway();
            final Path file = dataDir.resolve("gateway/deliveries/endpoint-fire-119.state");
            final String good = Files.readString(file);

            final java.util.regex.Matcher stored = java.util.regex.Pattern.compile("egressSequence=(-?\\d+)").matcher(good);
            assertTrue(stored.find(), good);
            final String altered = good.replace(stored.group(), "egressSequence=" + (Long.parseLong(stored.group(1)) + 1));
            assertRefused(t, file, altered, "fails its check");
            assertRefused(t, file, "", "is not a delivery state file");
            assertRefused(t, file, "garbage\n", "is not a delivery state file");

            // well-formed, but of another journal: no such entry here
            new DeliveryState(file.getParent(), file.getFileName().toString(), "fire-119")
                .write(new DeliveryState.Position(123_456, 987_654_321L));
            final String foreign = Files.readString(file);
            assertRefused(t, file, foreign, "has no entry there");

            Files.writeString(file, good);
            t.startGateway(); // the file as the gateway left it is taken again
        }
    }

    /** What arrived is what the node decided for the receiver, from the first, each key once, in egress order. */
    private static void assertSentOnceInOrder(final List<String> decided, final List<String> got)
    {
        assertEquals(got.size(), new HashSet<>(got).size(), "a key sent twice: " + got);
        assertTrue(got.size() <= decided.size(), "more sent than decided: " + got + ", decided " + decided);
        assertEquals(decided.subList(0, got.size()), got, "each sent once, in the order the node decided them");
    }

    private static void assertRefused(final GatewayTesting t, final Path file, final String content, final String problem) throws IOException
    {
        Files.writeString(file, content);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, t::startGateway);
        assertTrue(ex.getMessage().contains(file.toString()) && ex.getMessage().contains(problem), ex.getMessage());
        assertEquals(content, Files.readString(file), "left as it was: not reset");
    }

    private static List<Gateway.Endpoint> fire119(final int port)
    {
        return List.of(new Gateway.Endpoint("fire-119", Agency.Kind.FIRE, null, "http://127.0.0.1:" + port + "/incidents"));
    }

    private static Map<String, Object> status(final GatewayTesting t)
    {
        return t.gateway.notifier().status().get(0);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket probe = new ServerSocket(0))
        {
            return probe.getLocalPort();
        }
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        await(what, () -> "", condition);
    }

    private static void await(final String what, final Supplier<Object> seen, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after 30 s waiting for " + what + "; got " + seen.get());
            }
            Thread.sleep(50);
        }
    }

    /** A receiver that answers 200 at once and records each POST's Idempotency-Key. */
    private static final class Receiver implements AutoCloseable
    {
        final int port;
        private final HttpServer server;
        private final List<String> arrivals = new ArrayList<>();

        Receiver(final int port) throws IOException
        {
            this.port = port;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/incidents", exchange ->
            {
                exchange.getRequestBody().readAllBytes();
                synchronized (arrivals)
                {
                    arrivals.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        List<String> arrivals()
        {
            synchronized (arrivals)
            {
                return new ArrayList<>(arrivals);
            }
        }

        @Override
        public void close()
        {
            server.stop(0);
        }
    }
}
