package kr.sejong.city.wire;

import kr.sejong.city.codecs.ConfigSnapshotDecoder;
import kr.sejong.city.codecs.EgressRecordEncoder;
import kr.sejong.city.codecs.IncidentDecoder;
import kr.sejong.city.codecs.IngressRecordEncoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OperatorActionDecoder;
import kr.sejong.city.codecs.ReflectiveCodec;
import kr.sejong.city.codecs.ReflectiveCodec.Fill;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.SchemaModel;
import kr.sejong.city.codecs.SchemaModel.MessageSpec;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Structural validation of ingress frames. Valid frames come from the schema-driven round trip
 * ({@link ReflectiveCodec}), so every message of the schema is covered; bad frames are valid ones
 * with one thing broken.
 */
class FrameValidatorTest
{
    private static final int MAX_FRAME_LENGTH = 4096;
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    /** Written by the node only: the journal records, state snapshots and the Reject it answers bad frames with. */
    private static final Set<String> NODE_ONLY = Set.of("IngressRecord", "EgressRecord", "StateSnapshot", "Reject");

    private final FrameValidator validator = new FrameValidator(MAX_FRAME_LENGTH);

    static Stream<String> messageNames()
    {
        return SchemaModel.messageNames().stream();
    }

    static Stream<String> ingressMessageNames()
    {
        return messageNames().filter(n -> !NODE_ONLY.contains(n));
    }

    static Stream<String> messagesWithGroups()
    {
        return SchemaModel.messages().stream().filter(MessageSpec::hasGroups).map(MessageSpec::name);
    }

    // ------------------------------------------------------------------------------------- valid frames

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void validFrameOfEveryMessagePasses(final String name)
    {
        final MessageSpec spec = SchemaModel.message(name);
        final RejectReason expected = NODE_ONLY.contains(name) ? RejectReason.NOT_ALLOWED : null;
        for (final Fill fill : Fill.values())
        {
            final byte[] frame = ReflectiveCodec.of(name).encode(fill);
            assertEquals(expected, validate(frame), name + " " + fill);
            assertEquals(spec.templateId(), validator.templateId());
            assertEquals(MessageHeaderDecoder.SCHEMA_ID, validator.schemaId());
            assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, validator.version());
            assertEquals(spec.blockLength(), validator.blockLength());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ingressMessageNames")
    void validFrameAtAnOffsetInsideALargerBufferPasses(final String name)
    {
        final byte[] frame = ReflectiveCodec.of(name).encode(Fill.DISTINCT);
        final byte[] bytes = new byte[frame.length + 64];
        Arrays.fill(bytes, (byte)0xAB);
        System.arraycopy(frame, 0, bytes, 21, frame.length);
        assertNull(validator.validate(new UnsafeBuffer(bytes), 21, frame.length));
    }

    @Test
    void validatorIsReusableAndForgetsThePreviousFrame()
    {
        final byte[] tick = tickFrame();
        assertNull(validate(tick));
        assertEquals(RejectReason.TOO_SHORT, validator.validate(new UnsafeBuffer(tick), 0, 3));
        assertEquals(-1, validator.templateId());
        assertEquals(-1, validator.schemaId());
        assertEquals(-1, validator.version());
        assertEquals(-1, validator.blockLength());
        assertNull(validate(tick));
        assertEquals(1, validator.templateId());
    }

    @Test
    void maxFrameLengthMustHoldAHeader()
    {
        assertThrows(IllegalArgumentException.class, () -> new FrameValidator(HEADER - 1));
        assertEquals(HEADER, new FrameValidator(HEADER).maxFrameLength());
        assertEquals(MAX_FRAME_LENGTH, validator.maxFrameLength());
    }

    /**
     * A block longer than the template's (fields a later minor revision appended) is skipped with the
     * header's block length, as SBE prescribes.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "Tick", "DeviceStatus", "LaneObservations", "Incident" })
    void aLongerBlockIsAcceptedAndSkipped(final String name)
    {
        final MessageSpec spec = SchemaModel.message(name);
        final byte[] frame = ReflectiveCodec.of(name).encode(Fill.DISTINCT);
        final int blockEnd = HEADER + spec.blockLength();
        final byte[] longer = new byte[frame.length + 4];
        System.arraycopy(frame, 0, longer, 0, blockEnd);
        System.arraycopy(frame, blockEnd, longer, blockEnd + 4, frame.length - blockEnd);
        putShort(longer, 0, spec.blockLength() + 4);
        assertNull(validate(longer));
        assertEquals(spec.blockLength() + 4, validator.blockLength());
    }

    // --------------------------------------------------------------------------------- header checks

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = { 0, 1, 2, 3, 4, 5, 6, 7 })
    void shorterThanAHeaderIsTooShort(final int length)
    {
        final byte[] tick = tickFrame();
        assertEquals(RejectReason.TOO_SHORT, validator.validate(new UnsafeBuffer(tick), 0, length));
        assertEquals(RejectReason.TOO_SHORT, validate(Arrays.copyOf(tick, length)));
        assertEquals(-1, validator.templateId());
        assertEquals(-1, validator.blockLength());
    }

    @Test
    void longerThanMaxFrameLengthIsTooLarge()
    {
        final byte[] tick = tickFrame();
        final byte[] huge = Arrays.copyOf(tick, MAX_FRAME_LENGTH + 1);
        assertEquals(RejectReason.TOO_LARGE, validate(huge));
        assertEquals(1, validator.templateId(), "header fields are read before the length check");

        // exactly the maximum is not too large: that Tick has trailing bytes
        assertEquals(RejectReason.LENGTH_MISMATCH, validator.validate(new UnsafeBuffer(huge), 0, MAX_FRAME_LENGTH));

        // the length check comes before the schema check
        putShort(huge, 4, 77);
        assertEquals(RejectReason.TOO_LARGE, validate(huge));
    }

    @ParameterizedTest(name = "schema {0}")
    @ValueSource(ints = { 0, 1, 5100, 5102, 65535 })
    void wrongSchemaIdIsUnknownSchema(final int schemaId)
    {
        final byte[] tick = tickFrame();
        putShort(tick, 4, schemaId);
        assertEquals(RejectReason.UNKNOWN_SCHEMA, validate(tick));
        assertEquals(schemaId, validator.schemaId());
    }

    @Test
    void versionZeroAndNewerVersionsAreUnsupported()
    {
        for (final int version : new int[]{ 0, MessageHeaderDecoder.SCHEMA_VERSION + 1, 65535 })
        {
            final byte[] tick = tickFrame();
            putShort(tick, 6, version);
            assertEquals(RejectReason.UNSUPPORTED_VERSION, validate(tick), "version " + version);
            assertEquals(version, validator.version());
        }
        if (MessageCatalog.MIN_SUPPORTED_VERSION > 1)
        {
            final byte[] tick = tickFrame();
            putShort(tick, 6, MessageCatalog.MIN_SUPPORTED_VERSION - 1);
            assertEquals(RejectReason.UNSUPPORTED_VERSION, validate(tick));
        }
    }

    @ParameterizedTest(name = "template {0}")
    @ValueSource(ints = { 0, 6, 19, 199, 203, 255, 256, 65535 })
    void unknownTemplateId(final int templateId)
    {
        assertTrue(SchemaModel.messages().stream().noneMatch(m -> m.templateId() == templateId));
        final byte[] tick = tickFrame();
        putShort(tick, 2, templateId);
        assertEquals(RejectReason.UNKNOWN_TEMPLATE, validate(tick));
        assertEquals(templateId, validator.templateId());
    }

    @Test
    void journalRecordsAreNotAllowedOnIngress()
    {
        final byte[] tick = tickFrame();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final IngressRecordEncoder ingress = new IngressRecordEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .sequence(1).timeNs(2).kind(JournalRecordKind.INPUT).rejectReason(RejectReason.NULL_VAL)
            .receivedLength(tick.length)
            .putFrame(tick, 0, tick.length);
        final int ingressLength = HEADER + ingress.encodedLength();
        assertEquals(RejectReason.NOT_ALLOWED, validator.validate(buffer, 0, ingressLength));

        final EgressRecordEncoder egress = new EgressRecordEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .egressSequence(1).inputSequence(1).timeNs(2)
            .putFrame(tick, 0, tick.length);
        final int egressLength = HEADER + egress.encodedLength();
        assertEquals(RejectReason.NOT_ALLOWED, validator.validate(buffer, 0, egressLength));

        // refused whatever the rest of the frame looks like: the template check comes first
        final byte[] broken = Arrays.copyOf(buffer.byteArray(), egressLength);
        putShort(broken, 0, 0);
        assertEquals(RejectReason.NOT_ALLOWED, validate(broken));
        putInt(broken, HEADER + EgressRecordEncoder.BLOCK_LENGTH, 0xFFFF_FFF0);
        assertEquals(RejectReason.NOT_ALLOWED, validate(broken));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ingressMessageNames")
    void blockShorterThanTheTemplatesIsBadBlockLength(final String name)
    {
        final MessageSpec spec = SchemaModel.message(name);
        final byte[] frame = ReflectiveCodec.of(name).encode(Fill.DISTINCT);
        assertTrue(spec.blockLength() > 0);
        for (final int blockLength : new int[]{ spec.blockLength() - 1, spec.blockLength() / 2, 0 })
        {
            final byte[] bad = frame.clone();
            putShort(bad, 0, blockLength);
            assertEquals(RejectReason.BAD_BLOCK_LENGTH, validate(bad), name + " blockLength " + blockLength);
        }
        // a frame that ends inside the root block
        assertEquals(RejectReason.BAD_BLOCK_LENGTH, validate(Arrays.copyOf(frame, HEADER + spec.blockLength() - 1)));
        // a block length past the end of the frame
        final byte[] past = frame.clone();
        putShort(past, 0, 65535);
        assertEquals(RejectReason.BAD_BLOCK_LENGTH, validate(past));
    }

    // --------------------------------------------------------------------------- length and structure

    @ParameterizedTest(name = "{0}")
    @MethodSource("ingressMessageNames")
    void trailingBytesAfterAValidMessageAreLengthMismatch(final String name)
    {
        final byte[] frame = ReflectiveCodec.of(name).encode(Fill.DISTINCT);
        for (final int extra : new int[]{ 1, 7, 16 })
        {
            final byte[] longer = Arrays.copyOf(frame, frame.length + extra);
            Arrays.fill(longer, frame.length, longer.length, (byte)0x5A);
            assertEquals(RejectReason.LENGTH_MISMATCH, validate(longer), name + " + " + extra + " bytes");
        }
    }

    /**
     * Every prefix of every valid frame is rejected, never accepted and never thrown: TOO_SHORT inside
     * the header, BAD_BLOCK_LENGTH inside the root block, then MALFORMED (or LENGTH_MISMATCH for a length that wraps around).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ingressMessageNames")
    void everyTruncationIsRejected(final String name)
    {
        final MessageSpec spec = SchemaModel.message(name);
        final byte[] frame = ReflectiveCodec.of(name).encode(Fill.DISTINCT);
        final UnsafeBuffer whole = new UnsafeBuffer(frame);
        for (int length = 0; length < frame.length; length++)
        {
            final RejectReason expected;
            if (length < HEADER)
            {
                expected = RejectReason.TOO_SHORT;
            }
            else if (length < HEADER + spec.blockLength())
            {
                expected = RejectReason.BAD_BLOCK_LENGTH;
            }
            else
            {
                expected = null;
            }
            // a copy of exactly the prefix, and a view of the prefix in a buffer that goes on: same answer
            final RejectReason ofCopy = validate(Arrays.copyOf(frame, length));
            final RejectReason ofView = validator.validate(whole, 0, length);
            assertEquals(ofCopy, ofView, name + " truncated to " + length + ": the walk must stay inside the frame");
            if (null != expected)
            {
                assertEquals(expected, ofCopy, name + " truncated to " + length);
            }
            else
            {
                assertTrue(ofCopy == RejectReason.MALFORMED || ofCopy == RejectReason.LENGTH_MISMATCH,
                    name + " truncated to " + length + ": " + ofCopy);
            }
        }
    }

    /**
     * A frame cut anywhere after its root block is MALFORMED: the walk over its groups and var data
     * (sbeDecodedLength(), which skips var data without reading it) would end past the frame, or has to
     * read a length or group header there. LENGTH_MISMATCH is kept for frames longer than what they
     * encode (trailing bytes).
     */
    @Test
    void truncatedInsideTheLastVarDataIsMalformed()
    {
        final byte[] frame = ReflectiveCodec.of("DeviceStatus").encode(Fill.DISTINCT);
        final int detailLengthAt = HEADER + DeviceStatusDecoder.BLOCK_LENGTH;
        assertTrue(getShort(frame, detailLengthAt) > 2);
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, frame.length - 1)));
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, detailLengthAt + 2 + 1)));
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, detailLengthAt + 2)));
        // inside the 2-byte length itself
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, detailLengthAt + 1)));
        // no room at all for the var data's length
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, detailLengthAt)));
    }

    @Test
    void truncatedInsideAVarDataFollowedByAnotherIsMalformed()
    {
        final byte[] frame = ReflectiveCodec.of("OperatorAction").encode(Fill.DISTINCT);
        final int firstLengthAt = HEADER + OperatorActionDecoder.BLOCK_LENGTH;
        final int firstDataLength = getShort(frame, firstLengthAt);
        // inside operatorName: skipping it lands past the end, reading the length of `what` there throws
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, firstLengthAt + 2 + firstDataLength / 2)));
        // inside `after`, the last one
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, frame.length - 3)));
    }

    @Test
    void truncatedInsideALastGroupOrItsHeaderIsMalformed()
    {
        final byte[] frame = ReflectiveCodec.of("LaneObservations").encode(Fill.DISTINCT);
        final int groupAt = HEADER + LaneObservationsDecoder.BLOCK_LENGTH;
        assertTrue(getShort(frame, groupAt + 2) >= 2);
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, frame.length - 1)));
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, groupAt + 4 + 3)));
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, groupAt + 4)));
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, groupAt + 3)));
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, groupAt)));
    }

    @Test
    void truncatedInsideAGroupFollowedByVarDataIsMalformed()
    {
        final byte[] frame = ReflectiveCodec.of("Incident").encode(Fill.DISTINCT);
        final int groupAt = HEADER + IncidentDecoder.BLOCK_LENGTH;
        final int entries = getShort(frame, groupAt + 2);
        final int ownerLengthAt = groupAt + 4 + entries * IncidentDecoder.SourcesDecoder.sbeBlockLength();
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, groupAt + 4 + 5)));
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, ownerLengthAt)));
        assertEquals(RejectReason.MALFORMED, validate(Arrays.copyOf(frame, ownerLengthAt + 2)));
    }

    // -------------------------------------------------------------------------------- hostile lengths

    @ParameterizedTest(name = "configYaml length 0x{0}")
    @ValueSource(strings = { "FFFFFFFF", "FFFFFFF0", "80000000", "7FFFFFFF", "7FFFFFF0", "40000001", "40000000", "00010000" })
    void aVarDataLengthOfGigabytesIsRejectedNotThrown(final String hex)
    {
        final int length = (int)Long.parseLong(hex, 16);
        final byte[] frame = ReflectiveCodec.of("ConfigSnapshot").encode(Fill.DISTINCT);
        final int sourceLengthAt = HEADER + ConfigSnapshotDecoder.BLOCK_LENGTH;
        final int yamlLengthAt = sourceLengthAt + 2 + getShort(frame, sourceLengthAt);
        assertEquals(frame.length - yamlLengthAt - 4, getInt(frame, yamlLengthAt), "test expects configYaml last");
        putInt(frame, yamlLengthAt, length);

        // the walk never reads the data: it ends past the frame (MALFORMED) or, for lengths of 2^31 and
        // more that wrap around in the decoder's int arithmetic, short of the frame's end (LENGTH_MISMATCH)
        final RejectReason reason = validate(frame);
        assertTrue(reason == RejectReason.MALFORMED || reason == RejectReason.LENGTH_MISMATCH, hex + ": " + reason);
        if (Integer.toUnsignedLong(length) < 0x8000_0000L)
        {
            assertEquals(RejectReason.MALFORMED, reason, hex);
        }
    }

    @Test
    void aVarStringLengthOf65535IsRejectedNotThrown()
    {
        final byte[] frame = ReflectiveCodec.of("DeviceStatus").encode(Fill.DISTINCT);
        putShort(frame, HEADER + DeviceStatusDecoder.BLOCK_LENGTH, 0xFFFF);
        assertEquals(RejectReason.MALFORMED, validate(frame));

        final byte[] operatorAction = ReflectiveCodec.of("OperatorAction").encode(Fill.DISTINCT);
        putShort(operatorAction, HEADER + OperatorActionDecoder.BLOCK_LENGTH, 0xFFFF);
        assertEquals(RejectReason.MALFORMED, validate(operatorAction), "the next var data's length is read past the end");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesWithGroups")
    void numInGroup65535InAShortFrameIsRejectedNotThrown(final String name)
    {
        final MessageSpec spec = SchemaModel.message(name);
        final byte[] frame = ReflectiveCodec.of(name).encode(Fill.DISTINCT);
        final int groupAt = HEADER + spec.blockLength(); // the first group follows the root block
        assertTrue(getShort(frame, groupAt) > 0, "group blockLength");
        putShort(frame, groupAt + 2, 65535);

        final RejectReason reason = validate(frame);
        if (NODE_ONLY.contains(name))
        {
            assertEquals(RejectReason.NOT_ALLOWED, reason);
        }
        else
        {
            assertEquals(RejectReason.MALFORMED, reason, name + ": 65535 entries do not fit in the frame");
        }
    }

    /**
     * A group header may not declare entries shorter than the group's fields, even when numInGroup x
     * blockLength adds up to the frame length: a loop reading the entries would read past the frame
     * (or the next frame's bytes in a ring buffer), or one entry's fields from the next.
     */
    @Test
    void groupBlockLengthShorterThanTheGroupsFieldsIsRejected()
    {
        final int groupAt = HEADER + LaneObservationsDecoder.BLOCK_LENGTH;

        // 16 bytes claiming 65535 lanes of 0 bytes each: accepted today
        final byte[] empty = new byte[groupAt + 4];
        new LaneObservationsEncoder().wrapAndApplyHeader(new UnsafeBuffer(empty), 0, new MessageHeaderEncoder())
            .intersectionId(1)
            .lanesCount(0);
        putShort(empty, groupAt, 0);
        putShort(empty, groupAt + 2, 65535);
        assertEquals(RejectReason.BAD_BLOCK_LENGTH, validate(empty), "LaneObservations with 65535 lanes of 0 bytes: " + hex(empty));

        // a valid frame with 2 lanes, relabelled as lanes of 1 byte and cut to match: accepted today
        final byte[] frame = ReflectiveCodec.of("LaneObservations").encode(Fill.DISTINCT);
        final int count = getShort(frame, groupAt + 2);
        final byte[] oneByteLanes = Arrays.copyOf(frame, groupAt + 4 + count);
        putShort(oneByteLanes, groupAt, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> ReflectiveCodec.of("LaneObservations")
            .readAll(new UnsafeBuffer(oneByteLanes), 0, oneByteLanes.length), "decoding it runs off the frame");
        assertEquals(RejectReason.BAD_BLOCK_LENGTH, validate(oneByteLanes), "LaneObservations with lanes of 1 byte: " + hex(oneByteLanes));
    }

    // ----------------------------------------------------------------------------------- properties

    @Test
    void randomBytesNeverMakeValidateThrow()
    {
        final SplittableRandom random = new SplittableRandom(0x5E70_6C17_9000_0001L);
        final Map<RejectReason, Integer> seen = new EnumMap<>(RejectReason.class);
        final byte[] bytes = new byte[512];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int i = 0; i < 100_000; i++)
        {
            final int length = random.nextInt(513);
            random.nextBytes(bytes);
            final RejectReason reason = validateQuietly(bytes, length, "random #" + i);
            if (null == reason)
            {
                assertSafeToDecode(buffer, length, "random #" + i);
            }
            else
            {
                seen.merge(reason, 1, Integer::sum);
            }
        }
        assertTrue(seen.containsKey(RejectReason.TOO_SHORT), seen.toString());
        assertTrue(seen.containsKey(RejectReason.UNKNOWN_SCHEMA), seen.toString());
    }

    /**
     * Random bodies behind a plausible header (right schema and version, a known ingress template, the
     * template's block length most of the time) reach the group and var-data walk.
     */
    @Test
    void randomBodiesBehindAValidHeaderNeverMakeValidateThrow()
    {
        final SplittableRandom random = new SplittableRandom(0x5E70_6C17_9000_0002L);
        final List<MessageSpec> ingress = SchemaModel.messages().stream()
            .filter(m -> !NODE_ONLY.contains(m.name())).toList();
        final Map<RejectReason, Integer> seen = new EnumMap<>(RejectReason.class);
        int accepted = 0;
        final byte[] bytes = new byte[512];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int i = 0; i < 100_000; i++)
        {
            final MessageSpec spec = ingress.get(random.nextInt(ingress.size()));
            random.nextBytes(bytes);
            final int blockLength = random.nextInt(10) < 8 ? spec.blockLength() : random.nextInt(600);
            final int length = random.nextBoolean() ?
                HEADER + spec.blockLength() + random.nextInt(64) : HEADER + random.nextInt(512 - HEADER + 1);
            buffer.putShort(0, (short)blockLength, ByteOrder.LITTLE_ENDIAN);
            buffer.putShort(2, (short)spec.templateId(), ByteOrder.LITTLE_ENDIAN);
            buffer.putShort(4, (short)MessageHeaderDecoder.SCHEMA_ID, ByteOrder.LITTLE_ENDIAN);
            buffer.putShort(6, (short)MessageHeaderDecoder.SCHEMA_VERSION, ByteOrder.LITTLE_ENDIAN);
            if (spec.hasGroups() && random.nextBoolean())
            {
                // a group header with the schema's block length and a small count
                final int groupAt = HEADER + blockLength;
                if (groupAt + 4 <= bytes.length)
                {
                    buffer.putShort(groupAt, (short)groupBlockLength(spec), ByteOrder.LITTLE_ENDIAN);
                    buffer.putShort(groupAt + 2, (short)random.nextInt(4), ByteOrder.LITTLE_ENDIAN);
                }
            }
            final RejectReason reason = validateQuietly(bytes, length, spec.name() + " random body #" + i);
            if (null == reason)
            {
                accepted++;
                assertSafeToDecode(buffer, length, spec.name() + " random body #" + i);
            }
            else
            {
                seen.merge(reason, 1, Integer::sum);
            }
        }
        assertTrue(accepted > 100, "only " + accepted + " random frames got through: the property tests little");
        for (final RejectReason r : EnumSet.of(
            RejectReason.BAD_BLOCK_LENGTH, RejectReason.LENGTH_MISMATCH, RejectReason.MALFORMED))
        {
            assertTrue(seen.containsKey(r), "never saw " + r + ": " + seen);
        }
    }

    /** Every single-byte change of every valid frame (a few values per byte), and random multi-byte ones. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void mutatedValidFramesNeverMakeValidateThrow(final String name)
    {
        final SplittableRandom random = new SplittableRandom(0x5E70_6C17_9000_0003L ^ name.hashCode());
        for (final Fill fill : Fill.values())
        {
            final byte[] frame = ReflectiveCodec.of(name).encode(fill);
            for (int i = 0; i < frame.length; i++)
            {
                for (final int change : new int[]{ 0x01, 0x80, 0xFF, 0x100, 0x1FF })
                {
                    final byte[] mutated = frame.clone();
                    mutated[i] = change == 0x100 ? 0 : change == 0x1FF ? (byte)0xFF : (byte)(mutated[i] ^ change);
                    checkMutated(name, mutated, mutated.length, name + " byte " + i + " change " + change);
                }
            }
            final byte[] scratch = new byte[frame.length + 32];
            for (int n = 0; n < 2_000; n++)
            {
                System.arraycopy(frame, 0, scratch, 0, frame.length);
                final int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++)
                {
                    scratch[random.nextInt(frame.length)] ^= (byte)(1 + random.nextInt(255));
                }
                final int length = random.nextInt(8) == 0 ? random.nextInt(frame.length + 32) : frame.length;
                checkMutated(name, scratch, length, name + " random mutation #" + n);
            }
        }
    }

    @Test
    void boundsChecksAreOnInTests()
    {
        // FrameValidator relies on Agrona's bounds checks to turn a read past the frame into MALFORMED
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "run with -Dagrona.disable.bounds.checks=false");
    }

    // -------------------------------------------------------------------------------------- helpers

    private void checkMutated(final String name, final byte[] bytes, final int length, final String what)
    {
        final RejectReason reason = validateQuietly(bytes, length, what);
        if (null == reason)
        {
            // (possibly as another template: RideRequest with templateId 41 is a RideCancel with a longer block)
            assertSafeToDecode(new UnsafeBuffer(Arrays.copyOf(bytes, length)), length, what);
        }
        else
        {
            assertNotEquals(RejectReason.TOO_LARGE, reason, what);
        }
    }

    /** validate() must answer, not throw; on a throw, fail with the input. */
    private RejectReason validateQuietly(final byte[] bytes, final int length, final String what)
    {
        try
        {
            return validator.validate(new UnsafeBuffer(bytes), 0, length);
        }
        catch (final Throwable t)
        {
            throw new AssertionError("validate() threw on " + what + ", length " + length + ": " +
                hex(Arrays.copyOf(bytes, length)), t);
        }
    }

    /** A frame the validator accepted decodes field by field without leaving the frame. */
    private static void assertSafeToDecode(final DirectBuffer buffer, final int length, final String what)
    {
        final byte[] exact = new byte[length];
        buffer.getBytes(0, exact);
        final int templateId = buffer.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        try
        {
            ReflectiveCodec.of(MessageCatalog.name(templateId)).readAll(new UnsafeBuffer(exact), 0, length);
        }
        catch (final Throwable t)
        {
            throw new AssertionError("validate() accepted " + what + " but it does not decode within its length: " +
                hex(exact), t);
        }
    }

    private static int groupBlockLength(final MessageSpec spec)
    {
        return spec.tokens().stream()
            .filter(t -> t.signal() == uk.co.real_logic.sbe.ir.Signal.BEGIN_GROUP)
            .findFirst().orElseThrow().encodedLength();
    }

    private RejectReason validate(final byte[] frame)
    {
        return validator.validate(new UnsafeBuffer(frame), 0, frame.length);
    }

    private static byte[] tickFrame()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADER + TickEncoder.BLOCK_LENGTH]);
        new TickEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .timeNs(1_000).periodNs(10).source(TickSource.CLOCK).tickNumber(100);
        return buffer.byteArray();
    }

    private static void putShort(final byte[] frame, final int at, final int value)
    {
        new UnsafeBuffer(frame).putShort(at, (short)value, ByteOrder.LITTLE_ENDIAN);
    }

    private static int getShort(final byte[] frame, final int at)
    {
        return new UnsafeBuffer(frame).getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    private static void putInt(final byte[] frame, final int at, final int value)
    {
        new UnsafeBuffer(frame).putInt(at, value, ByteOrder.LITTLE_ENDIAN);
    }

    private static int getInt(final byte[] frame, final int at)
    {
        return new UnsafeBuffer(frame).getInt(at, ByteOrder.LITTLE_ENDIAN);
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (final byte b : bytes)
        {
            sb.append(String.format("%02x ", b & 0xFF));
        }
        return sb.toString().trim();
    }

    /**
     * Journals and adapters of schema version 5 stay readable after version 6 added OperatorSetpoint and two
     * SetpointReason values: every message version 5 had is accepted as a version 5 frame, and an energy
     * loop's answer decodes as before.
     */
    @Test
    void version5FramesOfEveryMessageVersion5HadAreStillAccepted()
    {
        int checked = 0;
        for (final SchemaModel.MessageSpec spec : SchemaModel.messages())
        {
            if (spec.tokens().get(0).version() > 5 || !MessageCatalog.isIngressAllowed(spec.templateId()))
            {
                continue;
            }
            final byte[] frame = ReflectiveCodec.of(spec.name()).encode(Fill.DISTINCT);
            putShort(frame, 6, 5);
            assertNull(validate(frame), spec.name());
            assertEquals(5, validator.version());
            checked++;
        }
        assertTrue(checked >= 30, "messages checked: " + checked);
        final kr.sejong.city.codecs.SetpointEncoder setpoint = new kr.sejong.city.codecs.SetpointEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        setpoint.wrapAndApplyHeader(buffer, 0, new kr.sejong.city.codecs.MessageHeaderEncoder()).deviceId(302)
            .deviceKind(kr.sejong.city.codecs.DeviceKind.ESS).activePowerW(-300_000).reactivePowerVar(0)
            .reason(kr.sejong.city.codecs.SetpointReason.SELF_CONSUMPTION);
        buffer.putShort(6, (short)5, ByteOrder.LITTLE_ENDIAN);
        final kr.sejong.city.codecs.SetpointDecoder decoded = new kr.sejong.city.codecs.SetpointDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, kr.sejong.city.codecs.SetpointDecoder.BLOCK_LENGTH, 5);
        assertEquals(kr.sejong.city.codecs.SetpointReason.SELF_CONSUMPTION, decoded.reason());
        assertEquals(-300_000, decoded.activePowerW());
        // the new message, as the gateway sends it
        final byte[] operator = ReflectiveCodec.of("OperatorSetpoint").encode(Fill.DISTINCT);
        assertNull(validate(operator));
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, validator.version());
    }

    /**
     * Version 7 appended planSeq to ShuttleState and ShuttlePlan: a fleet of version 6 sends the shorter block, which
     * is accepted and reads planSeq as null ("not sent"); a version 7 frame must carry it (a decoder would otherwise
     * read it out of what follows the block: the plan's stops).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "ShuttleState", "ShuttlePlan" })
    void version6ShuttleFramesWithoutPlanSeqAreAcceptedAndAVersion7FrameMustCarryIt(final String name)
    {
        final MessageSpec spec = SchemaModel.message(name);
        final byte[] frame = ReflectiveCodec.of(name).encode(Fill.DISTINCT);
        assertNull(validate(frame), "as version 7 sends it");
        final int planSeqBytes = 4; // uint32, the block's last field
        final byte[] shorter = new byte[frame.length - planSeqBytes];
        System.arraycopy(frame, 0, shorter, 0, HEADER + spec.blockLength() - planSeqBytes);
        System.arraycopy(frame, HEADER + spec.blockLength(), shorter, HEADER + spec.blockLength() - planSeqBytes,
            frame.length - HEADER - spec.blockLength());
        putShort(shorter, 0, spec.blockLength() - planSeqBytes);
        assertEquals(RejectReason.BAD_BLOCK_LENGTH, validate(shorter), "version 7 without planSeq");
        assertEquals(spec.blockLength() - planSeqBytes, MessageCatalog.blockLength(spec.templateId(), 6));
        assertEquals(spec.blockLength(), MessageCatalog.blockLength(spec.templateId(), 7));

        putShort(shorter, 6, 6);
        assertNull(validate(shorter), "version 6, as before");
        final UnsafeBuffer buffer = new UnsafeBuffer(shorter);
        if (name.equals("ShuttleState"))
        {
            final kr.sejong.city.codecs.ShuttleStateDecoder state = new kr.sejong.city.codecs.ShuttleStateDecoder()
                .wrap(buffer, HEADER, spec.blockLength() - planSeqBytes, 6);
            assertEquals(kr.sejong.city.codecs.ShuttleStateDecoder.planSeqNullValue(), state.planSeq());
        }
        else
        {
            final kr.sejong.city.codecs.ShuttlePlanDecoder plan = new kr.sejong.city.codecs.ShuttlePlanDecoder()
                .wrap(buffer, HEADER, spec.blockLength() - planSeqBytes, 6);
            assertEquals(kr.sejong.city.codecs.ShuttlePlanDecoder.planSeqNullValue(), plan.planSeq());
            final kr.sejong.city.codecs.ShuttlePlanDecoder whole = new kr.sejong.city.codecs.ShuttlePlanDecoder()
                .wrap(new UnsafeBuffer(frame), HEADER, spec.blockLength(), 7);
            int stops = 0;
            final long[] ids = new long[2];
            for (final kr.sejong.city.codecs.ShuttlePlanDecoder.StopsDecoder stop : plan.stops())
            {
                ids[0] += stop.stopId();
                stops++;
            }
            for (final kr.sejong.city.codecs.ShuttlePlanDecoder.StopsDecoder stop : whole.stops())
            {
                ids[1] += stop.stopId();
                stops--;
            }
            assertEquals(0, stops, "the same stops either way");
            assertEquals(ids[1], ids[0]);
        }
    }

    /** Journals and adapters of schema version 1 stay readable after version 2 added messages. */
    @Test
    void aVersion1FrameOfAVersion1MessageIsStillAccepted()
    {
        final byte[] frame = ReflectiveCodec.of("DetectorObservation").encode(Fill.DISTINCT);
        putShort(frame, 6, 1);
        assertNull(validate(frame));
        assertEquals(1, validator.version());
    }
}
