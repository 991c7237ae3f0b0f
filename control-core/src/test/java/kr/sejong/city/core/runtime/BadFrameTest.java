package kr.sejong.city.core.runtime;

import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.TestClient;
import kr.sejong.city.core.testing.TestLoop;

import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.SignalCommandDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad frames get a Reject on egress and a counter; the node keeps going and valid frames after them are processed. */
class BadFrameTest
{
    private static final int MAX_FRAME = 4096;

    @TempDir
    Path dataDir;

    @Test
    void eachKindOfBadFrameIsRejectedWithItsReasonAndValidFramesStillFlow()
    {
        final ControlNode.Context ctx = new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .maxFrameLength(MAX_FRAME)
            .addLoop(new TestLoop());

        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            final byte[] valid = client.detectorObservation(7, 101, 12);
            final Map<String, byte[]> bad = new LinkedHashMap<>();
            final SplittableRandom random = new SplittableRandom(42);
            final byte[] noise = new byte[37];
            random.nextBytes(noise);
            noise[2] = 0x7F; // a template id no schema has, so the random bytes cannot pass by chance
            bad.put("random bytes", noise);
            bad.put("truncated header", Arrays.copyOf(valid, 5));
            bad.put("truncated body", Arrays.copyOf(valid, valid.length - 3));
            bad.put("wrong schema id", withShort(valid, 4, 999));
            bad.put("wrong version (newer)", withShort(valid, 6, MessageHeaderDecoder.SCHEMA_VERSION + 1));
            bad.put("wrong version (zero)", withShort(valid, 6, 0));
            bad.put("unknown template", withShort(valid, 2, 250));
            bad.put("journal record on ingress", withShort(valid, 2, 200));
            bad.put("short block length", withShort(valid, 0, 3));
            bad.put("trailing bytes", Arrays.copyOf(valid, valid.length + 9));
            bad.put("huge length", Arrays.copyOf(valid, MAX_FRAME * 2));
            final Map<String, RejectReason> expected = new LinkedHashMap<>();
            expected.put("random bytes", RejectReason.UNKNOWN_SCHEMA);
            expected.put("truncated header", RejectReason.TOO_SHORT);
            expected.put("truncated body", RejectReason.BAD_BLOCK_LENGTH);
            expected.put("wrong schema id", RejectReason.UNKNOWN_SCHEMA);
            expected.put("wrong version (newer)", RejectReason.UNSUPPORTED_VERSION);
            expected.put("wrong version (zero)", RejectReason.UNSUPPORTED_VERSION);
            expected.put("unknown template", RejectReason.UNKNOWN_TEMPLATE);
            expected.put("journal record on ingress", RejectReason.NOT_ALLOWED);
            expected.put("short block length", RejectReason.BAD_BLOCK_LENGTH);
            expected.put("trailing bytes", RejectReason.LENGTH_MISMATCH);
            expected.put("huge length", RejectReason.TOO_LARGE);
            // the random bytes' schema id is what the generator made: compute the reason the honest way
            final int noiseSchema = new UnsafeBuffer(noise).getShort(4) & 0xFFFF;
            if (noiseSchema == MessageHeaderDecoder.SCHEMA_ID)
            {
                expected.put("random bytes", RejectReason.UNSUPPORTED_VERSION);
            }

            client.send(valid);
            for (final byte[] frame : bad.values())
            {
                client.send(frame);
                client.send(valid);
            }
            final int expectedFrames = 1 + bad.size() * 2; // every valid frame answered, every bad one rejected
            client.awaitReceived(expectedFrames, 30);

            final List<String> names = new ArrayList<>(bad.keySet());
            final List<byte[]> received = client.received;
            assertEquals(SignalCommandDecoder.TEMPLATE_ID, TestClient.templateId(received.get(0)));
            for (int i = 0; i < names.size(); i++)
            {
                final byte[] reject = received.get(1 + 2 * i);
                final byte[] after = received.get(2 + 2 * i);
                final String name = names.get(i);
                assertEquals(RejectDecoder.TEMPLATE_ID, TestClient.templateId(reject), name + ": expected a Reject");
                final RejectDecoder decoder = new RejectDecoder();
                decoder.wrap(new UnsafeBuffer(reject), MessageHeaderDecoder.ENCODED_LENGTH, RejectDecoder.BLOCK_LENGTH, RejectDecoder.SCHEMA_VERSION);
                assertEquals(expected.get(name), decoder.reason(), name);
                assertEquals(bad.get(name).length, decoder.frameLength(), name + ": frame length reported");
                assertEquals(1L + 2 * i, decoder.rejectedSequence(), name + ": sequence of the rejected frame");
                assertTrue(decoder.detail().length() > 10, name + ": the Reject says in words what was wrong");
                assertEquals(SignalCommandDecoder.TEMPLATE_ID, TestClient.templateId(after), name + ": the next valid frame is processed");
            }

            assertEquals(bad.size(), node.counters().rejects());
            assertEquals(1 + bad.size(), node.counters().inputs());
            for (final RejectReason reason : RejectReason.values())
            {
                if (reason == RejectReason.NULL_VAL)
                {
                    continue;
                }
                final long count = expected.values().stream().filter(r -> r == reason).count();
                assertEquals(count, node.counters().rejectsFor(reason).get(), "rejects counted for " + reason);
            }
        }

        // rejected frames are journaled as evidence (at most their first bytes), marked as rejected
        final List<JournalContents.In> in = JournalContents.ingress(dataDir);
        final List<JournalContents.In> rejected = in.stream().filter(r -> r.kind() == JournalRecordKind.REJECTED).toList();
        assertEquals(11, rejected.size());
        final JournalContents.In huge = rejected.get(rejected.size() - 1);
        assertEquals(RejectReason.TOO_LARGE, huge.reason());
        assertEquals(MAX_FRAME * 2, huge.receivedLength());
        assertEquals(InputEvent.REJECTED_FRAME_KEEP_BYTES, huge.frame().length);
        final JournalContents.In firstValid = in.get(0);
        assertEquals(DetectorObservationDecoder.TEMPLATE_ID, firstValid.templateId());
    }

    @Test
    void rejectsAreRebuiltFromTheJournalByteForByte()
    {
        final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).mode(NodeMode.SIMULATED);
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            client.send(new byte[]{ 1, 2, 3 });
            client.send(withShort(client.detectorObservation(1, 1, 1), 2, 250));
            client.awaitReceived(2, 30);
        }
        final List<JournalContents.In> in = JournalContents.ingress(dataDir);
        final List<JournalContents.Out> out = JournalContents.egress(dataDir);
        final Rejects rejects = new Rejects();
        for (int i = 0; i < 2; i++)
        {
            final JournalContents.In record = in.get(i);
            final int length = rejects.encode(record.sequence(), record.reason(), new UnsafeBuffer(record.frame()),
                record.frame().length, record.receivedLength());
            final byte[] rebuilt = new byte[length];
            rejects.buffer().getBytes(0, rebuilt);
            assertArrayEquals(out.get(i).frame(), rebuilt);
        }
    }

    private static byte[] withShort(final byte[] frame, final int offset, final int value)
    {
        final byte[] copy = frame.clone();
        new UnsafeBuffer(copy).putShort(offset, (short)value);
        return copy;
    }
}
