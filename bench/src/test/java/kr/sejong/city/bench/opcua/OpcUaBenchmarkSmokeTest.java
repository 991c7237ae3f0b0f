package kr.sejong.city.bench.opcua;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kr.sejong.city.bench.opcua.OpcUaBenchmark.Restart;
import kr.sejong.city.bench.opcua.OpcUaBenchmark.Result;
import kr.sejong.city.bench.opcua.OpcUaBenchmark.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OPC UA benchmark, small and short (50 items, 3 s, one restart): what it must show whatever the machine, never
 * a time. Every value made arrives once; the adapter reconnects after the restart with its subscription restored;
 * the Setpoint sent while the server was down is never applied, the one after reconnection exactly once.
 */
class OpcUaBenchmarkSmokeTest
{
    @TempDir
    Path tmp;

    @Test
    void everyValueArrivesOnceAndTheRestartLosesNoSubscriptionAndRepeatsNoCommand() throws Exception
    {
        final Result r = OpcUaBenchmark.run(new Settings(50, 100, 200, 3, 1, 1, 500, true), line -> System.out.println("  " + line));

        assertTrue(r.delivery().made() >= 50 * 5, "several rounds were measured: " + r.delivery());
        assertEquals(0, r.delivery().lost(), "nothing lost: " + r.delivery());
        assertEquals(0, r.delivery().duplicates(), "nothing twice: " + r.delivery());
        assertEquals(0, r.delivery().silentItems(), r.delivery().toString());
        assertEquals(0, r.baselineDelivery().lost(), "baseline: " + r.baselineDelivery());
        assertEquals(r.delivery().received(), r.adapterAddedNs().getTotalCount(), "every measured value paired with the adapter's hook");
        assertEquals(0, r.mismatched());
        assertEquals(0, r.dropped(), r.adapterCounters());
        assertEquals(0, r.rejected(), r.adapterCounters());

        assertEquals(1, r.restarts().size());
        final Restart restart = r.restarts().get(0);
        assertTrue(restart.restored(), "every item delivered fresh values after the restart: " + restart);
        assertTrue(restart.onlineAllMs() >= 0, "every device ONLINE again: " + restart);
        assertEquals(50, restart.offlineReported(), "each device OFFLINE once: " + restart);
        assertTrue(r.reconnects() >= 1, r.adapterCounters());
        assertTrue(restart.staleSetpointDropped(), "the Setpoint sent while down was dropped (or failed), not kept: " + restart);
        assertEquals(0, restart.staleApplied(), "never applied after the restart: " + restart);
        assertEquals(0, r.staleApplied());
        assertEquals(1, restart.freshApplied(), "the Setpoint after reconnection applied exactly once: " + restart);

        final Path report = tmp.resolve("smoke.json");
        OpcUaReport.write(r, report, "smoke", "2026-01-01T00:00:00Z", "0 0 0", "0 0 0");
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(6, json.get("hgrm").size(), json.toString());
        for (final JsonNode hgrm : json.get("hgrm"))
        {
            assertTrue(Files.readString(tmp.resolve(hgrm.asText())).contains("#[Max"), hgrm.asText());
        }
        assertNotNull(ImageIO.read(tmp.resolve(json.get("plot").asText()).toFile()), "the PNG decodes");
        final String md = Files.readString(tmp.resolve(json.get("markdown").asText()));
        assertTrue(md.contains("| no lost notifications | ") && md.contains("| no duplicate commands | "), md);
    }

    @Test
    void settingsNameTheOptionThatIsWrong()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Settings(0, 100, 1000, 30, 5, 5, 1000, true))
            .getMessage().startsWith("--items "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Settings(10, 100, 50, 30, 5, 5, 1000, true))
            .getMessage().startsWith("--update-ms must be at least --sampling-ms"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Settings(10, 100, 100, 0, 5, 5, 1000, true))
            .getMessage().startsWith("--duration "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Settings(10, 100, 100, 1, 5, -1, 1000, true))
            .getMessage().startsWith("--restarts "));
    }
}
