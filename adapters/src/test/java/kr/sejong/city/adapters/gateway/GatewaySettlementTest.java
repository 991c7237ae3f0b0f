package kr.sejong.city.adapters.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import kr.sejong.city.codecs.EgressRecordEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SettlementEncoder;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.core.journal.ChainHash;
import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.testing.TestClient;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Settlement records go to the energy business system, in order, each with its idempotency key. The
 * energy loop settles once per period of the simulated day, too rarely for a test in real time, so the
 * test plays the node's egress journal itself: it appends Settlement frames, as EgressRecords, to an egress
 * journal in another data directory, the one the gateway delivers from.
 */
class GatewaySettlementTest
{
    @TempDir
    Path dataDir;

    @TempDir
    Path playedDataDir;

    @Test
    void settlementsArePostedToTheEnergyBusinessSystemInOrder() throws Exception
    {
        final List<String> keys = new ArrayList<>();
        final List<JsonNode> bodies = new ArrayList<>();
        final HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/settlements", exchange ->
        {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (keys)
            {
                keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                bodies.add(GatewayTesting.JSON.readTree(body));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        final String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/settlements";
        try (ChronicleQueue played = Journal.openForWrite(Journal.egressDir(playedDataDir), Journal.DEFAULT_ROLL_CYCLE);
            ExcerptAppender appender = played.createAppender();
            GatewayTesting t = new GatewayTesting(dataDir, List.of(), new Gateway.Retry(50, 400, 1000), url, playedDataDir))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
            final UnsafeBuffer entry = new UnsafeBuffer(new byte[256]);
            final SettlementEncoder settlement = new SettlementEncoder();
            for (int prosumer = 1; prosumer <= 3; prosumer++)
            {
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + settlement.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                    .prosumerId(prosumer).periodStartNs(3_600_000_000_000L).periodEndNs(7_200_000_000_000L)
                    .producedWh(1000L * prosumer).selfConsumedWh(600).soldToNeighboursWh(300).exportedWh(100).importedWh(50).encodedLength();
                final int entryLength = MessageHeaderEncoder.ENCODED_LENGTH + new EgressRecordEncoder()
                    .wrapAndApplyHeader(entry, 0, new MessageHeaderEncoder())
                    .egressSequence(prosumer - 1).inputSequence(prosumer).timeNs(7_200_000_000_000L)
                    .putChain(new byte[ChainHash.LENGTH], 0, ChainHash.LENGTH).putFrame(buffer, 0, length).encodedLength();
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(entry.byteArray(), 0, entryLength);
                }
            }
            TestClient.awaitCondition("three settlements delivered", () ->
            {
                synchronized (keys)
                {
                    return keys.size() >= 3;
                }
            }, 10);
        }
        finally
        {
            receiver.stop(0);
        }
        assertEquals(List.of("settlement-1-3600000000000", "settlement-2-3600000000000", "settlement-3-3600000000000"), keys);
        assertEquals(2000, bodies.get(1).get("producedWh").asLong());
        assertEquals(3_600_000, bodies.get(1).get("periodStartMs").asLong());
    }
}
