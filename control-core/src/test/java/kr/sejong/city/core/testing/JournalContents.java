package kr.sejong.city.core.testing;

import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.core.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Everything in a data directory's journal, read back as plain values for assertions. */
public final class JournalContents
{
    public record In(long sequence, long timeNs, JournalRecordKind kind, RejectReason reason, int receivedLength, byte[] frame, byte[] entry)
    {
        public int templateId()
        {
            return TestClient.templateId(frame);
        }
    }

    public record Out(long egressSequence, long inputSequence, long timeNs, byte[] frame, byte[] entry)
    {
    }

    public static List<In> ingress(final Path dataDir)
    {
        final List<In> result = new ArrayList<>();
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() != null)
                {
                    continue; // torn or altered: not data
                }
                final IngressRecordDecoder record = reader.ingressRecord();
                final long sequence = record.sequence();
                final long timeNs = record.timeNs();
                final JournalRecordKind kind = record.kind();
                final RejectReason reason = record.rejectReason();
                final int receivedLength = record.receivedLength();
                final byte[] frame = new byte[record.frameLength()];
                record.getFrame(frame, 0, frame.length);
                result.add(new In(sequence, timeNs, kind, reason, receivedLength, frame,
                    Arrays.copyOf(reader.entryBuffer().byteArray(), reader.entryLength())));
            }
        }
        return result;
    }

    public static List<Out> egress(final Path dataDir)
    {
        final List<Out> result = new ArrayList<>();
        try (JournalReader reader = JournalReader.egress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() != null)
                {
                    continue;
                }
                final var record = reader.egressRecord();
                final long egressSequence = record.egressSequence();
                final long inputSequence = record.inputSequence();
                final long timeNs = record.timeNs();
                final byte[] frame = new byte[record.frameLength()];
                record.getFrame(frame, 0, frame.length);
                result.add(new Out(egressSequence, inputSequence, timeNs, frame,
                    Arrays.copyOf(reader.entryBuffer().byteArray(), reader.entryLength())));
            }
        }
        return result;
    }

    public static UnsafeBuffer buffer(final byte[] frame)
    {
        return new UnsafeBuffer(frame);
    }

    private JournalContents()
    {
    }

    /**
     * Assert that two runs' egress journals are the same, frame for frame: input sequence, logical time and bytes
     * (the determinism the scenario tests check), and that the first has at least {@code atLeast} frames.
     */
    public static void assertSameEgress(final Path firstDataDir, final Path secondDataDir, final int atLeast)
    {
        final List<Out> a = egress(firstDataDir);
        final List<Out> b = egress(secondDataDir);
        org.junit.jupiter.api.Assertions.assertTrue(a.size() >= atLeast, "egress frames: " + a.size() + ", expected at least " + atLeast);
        org.junit.jupiter.api.Assertions.assertEquals(a.size(), b.size(), "egress frames");
        for (int i = 0; i < a.size(); i++)
        {
            org.junit.jupiter.api.Assertions.assertEquals(a.get(i).inputSequence(), b.get(i).inputSequence(), "egress " + i + ": input sequence");
            org.junit.jupiter.api.Assertions.assertEquals(a.get(i).timeNs(), b.get(i).timeNs(), "egress " + i + ": logical time");
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(i).frame(), b.get(i).frame(), "egress " + i + ": frame");
        }
    }
}
