package kr.sejong.city.adapters.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import kr.sejong.city.codecs.AgencyKind;
import kr.sejong.city.codecs.DispatchDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.NotificationDecoder;
import kr.sejong.city.config.Agency;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.TestClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notification delivery to a 119 receiver that is down when the incidents happen and comes back: it gets
 * every Notification and Dispatch meant for the fire agency, in the order the node decided them, and each
 * once in effect. The receiver (a JDK HttpServer) deduplicates on the Idempotency-Key as a real one must;
 * its first answer is made slower than the gateway's timeout, so the gateway sends that delivery twice and
 * the test sees that the key, not luck, keeps it to one.
 */
class GatewayNotificationTest
{
    @TempDir
    Path dataDir;

    @Test
    void aReceiverThatWasDownGetsEveryNotificationOnceAndInOrder() throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort(); // free now; nothing listens there until the receiver comes back
        }
        final String url = "http://127.0.0.1:" + port + "/incidents";
        final List<Gateway.Endpoint> endpoints = List.of(new Gateway.Endpoint("fire-119", Agency.Kind.FIRE, null, url));
        final List<String> arrivals = new ArrayList<>();
        final Map<String, JsonNode> applied = new LinkedHashMap<>();
        final AtomicBoolean firstAnswerSlow = new AtomicBoolean(true);

        try (GatewayTesting t = new GatewayTesting(dataDir, endpoints, new Gateway.Retry(50, 400, 1000)))
        {
            t.fireCall(-300, 900);
            t.fireCall(700, -200);
            t.awaitIncident(i -> i.eastM() == -300);
            t.awaitIncident(i -> i.eastM() == 700);
            TestClient.awaitCondition("failed attempts while the receiver is down",
                () -> (long)t.gateway.notifier().status().get(0).get("failedAttempts") >= 3, 10);
            assertEquals(0L, t.gateway.notifier().status().get(0).get("delivered"));

            final HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            receiver.createContext("/incidents", exchange -> receive(exchange, arrivals, applied, firstAnswerSlow));
            receiver.start();
            try
            {
                final List<String> expected = expectedKeys(dataDir);
                assertTrue(expected.size() >= 4, "two incidents, each notified and dispatched: " + expected);
                TestClient.awaitCondition("every delivery applied", () ->
                {
                    synchronized (applied)
                    {
                        return applied.size() >= expected.size();
                    }
                }, 20);
                // an escalation (the P1 deadline is 10 s) may have been decided since: compare with the journal as it is now
                final List<String> decided = expectedKeys(dataDir);
                synchronized (applied)
                {
                    final List<String> got = new ArrayList<>(applied.keySet());
                    assertEquals(decided.subList(0, got.size()), got, "each once, in the order the node decided them");
                    final String first = expected.get(0);
                    assertEquals(2, arrivals.stream().filter(first::equals).count(),
                        "the first delivery timed out and was sent again with the same key: " + arrivals);
                    assertEquals(got.size() + 1, arrivals.size(), "no other repeat: " + arrivals);
                    final JsonNode body = applied.get(first);
                    assertTrue(body.has("notificationId") || body.has("dispatch"), body.toString());
                }
            }
            finally
            {
                receiver.stop(0);
            }
        }
    }

    private static void receive(final HttpExchange exchange, final List<String> arrivals, final Map<String, JsonNode> applied,
        final AtomicBoolean firstAnswerSlow) throws java.io.IOException
    {
        final String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        final byte[] body = exchange.getRequestBody().readAllBytes();
        synchronized (applied)
        {
            arrivals.add(key);
            // the receiver's effect: apply a key once, whatever the number of arrivals
            applied.putIfAbsent(key, GatewayTesting.JSON.readTree(new String(body, StandardCharsets.UTF_8)));
        }
        if (firstAnswerSlow.getAndSet(false))
        {
            try
            {
                Thread.sleep(1500); // longer than the gateway's 1 s timeout: its attempt fails although the receiver has it
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    /** The idempotency keys of what the node sent the fire agency, in egress order. */
    static List<String> expectedKeys(final Path dataDir)
    {
        final List<String> keys = new ArrayList<>();
        final NotificationDecoder notification = new NotificationDecoder();
        final DispatchDecoder dispatch = new DispatchDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        for (final JournalContents.Out out : JournalContents.egress(dataDir))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(out.frame());
            header.wrap(buffer, 0);
            if (header.templateId() == NotificationDecoder.TEMPLATE_ID)
            {
                notification.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                if (notification.agency() == AgencyKind.FIRE)
                {
                    keys.add("notification-" + notification.notificationId());
                }
            }
            else if (header.templateId() == DispatchDecoder.TEMPLATE_ID)
            {
                dispatch.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                if (dispatch.agency() == AgencyKind.FIRE)
                {
                    keys.add("dispatch-" + dispatch.dispatchId());
                }
            }
        }
        return keys;
    }
}
