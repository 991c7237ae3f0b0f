package kr.sejong.city.app;

import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.core.testing.JournalContents;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code city run --field opcua}: the default city's simulated devices on OPC UA field servers, the field adapter,
 * the node; and the options it refuses.
 */
class RunFieldOpcUaTest
{
    @TempDir
    Path tmp;

    @Test
    void theSimulatedFieldReachesTheNodeThroughOpcUa()
    {
        final Path data = tmp.resolve("data");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = CityCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
            "run", "--field", "opcua", "--data", data.toString(), "--duration", "10", "--quiet");
        assertEquals(ExitCodes.OK, code, out + "\n" + err);
        final String text = out.toString();
        assertTrue(text.contains("OPC UA field adapter on"), text);
        assertTrue(text.contains("field-traffic at opc.tcp://127.0.0.1:"), text);
        assertTrue(text.contains("3/3 servers online"), text);
        assertTrue(Files.isDirectory(data.resolve("pki").resolve("trusted").resolve("certs")), "the adapter's PKI folder");
        assertTrue(Files.isDirectory(data.resolve("pki-field").resolve("field-energy")), "a server's PKI folder");

        // what came through OPC UA is journaled as input: the adapter's DeviceStatus, lane observations, grid readings
        int online = 0;
        int lanes = 0;
        int grid = 0;
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final DeviceStatusDecoder status = new DeviceStatusDecoder();
        for (final JournalContents.In in : JournalContents.ingress(data))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(in.frame());
            header.wrap(buffer, 0);
            switch (header.templateId())
            {
                case DeviceStatusDecoder.TEMPLATE_ID ->
                {
                    status.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                    if (status.state() == DeviceState.ONLINE && status.detail().contains("connected"))
                    {
                        online++;
                    }
                }
                case LaneObservationsDecoder.TEMPLATE_ID -> lanes++;
                case GridMeasurementDecoder.TEMPLATE_ID -> grid++;
                default ->
                {
                }
            }
        }
        assertTrue(online > 10, "ONLINE per device when its server connected: " + online);
        assertTrue(lanes > 0, "lane observations read from the controllers");
        assertTrue(grid > 0, "grid readings read from the meters and inverters");
    }

    @Test
    void refusedWhereItCannotWork()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int simulated = CityCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
            "run", "--field", "opcua", "--mode", "simulated", "--data", tmp.resolve("a").toString(), "--duration", "1", "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, simulated);
        assertTrue(err.toString().contains("--field opcua needs --mode live"), err.toString());

        final StringWriter err2 = new StringWriter();
        final int noServers = CityCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true),
            "run", "--field", "opcua", "--no-simulator", "--data", tmp.resolve("b").toString(), "--duration", "1", "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, noServers);
        assertTrue(err2.toString().contains("needs a field.opcua section"), err2.toString());

        final StringWriter err3 = new StringWriter();
        final int unknown = CityCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err3, true),
            "run", "--field", "modbus", "--data", tmp.resolve("c").toString(), "--duration", "1", "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, unknown);
        assertTrue(err3.toString().contains("--field"), err3.toString());
        assertTrue(List.of(err3.toString().split("\n")).stream().anyMatch(l -> l.contains("direct") && l.contains("opcua")), err3.toString());
    }
}
