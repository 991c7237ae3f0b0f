package kr.sejong.city.codecs;

import kr.sejong.city.codecs.ReflectiveCodec.Fill;
import kr.sejong.city.codecs.SchemaModel.MessageSpec;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every message of the schema, driven from sbe-tool's IR of the schema file: a message added to the
 * schema is covered without touching this test, and one whose generated codec is missing or stale
 * fails it.
 */
class SchemaRoundTripTest
{
    static Stream<String> messageNames()
    {
        return SchemaModel.messageNames().stream();
    }

    @Test
    void schemaDeclaresMessagesWithUniqueNamesAndIds()
    {
        final List<MessageSpec> messages = SchemaModel.messages();
        assertTrue(messages.size() >= 32, "expected the 32 messages of schema version 1, found " + messages.size());
        final Set<String> names = new HashSet<>();
        final Set<Integer> ids = new HashSet<>();
        for (final MessageSpec m : messages)
        {
            assertTrue(names.add(m.name()), "duplicate message name " + m.name());
            assertTrue(ids.add(m.templateId()), "duplicate template id " + m.templateId());
        }
        assertEquals(5101, SchemaModel.ir().id());
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, SchemaModel.ir().id());
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, SchemaModel.ir().version());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void generatedCodecMatchesTheSchema(final String name) throws Exception
    {
        final ReflectiveCodec codec = ReflectiveCodec.of(name);
        final MessageSpec spec = codec.spec();
        for (final Class<?> type : List.of(codec.encoderClass(), codec.decoderClass()))
        {
            assertEquals(spec.templateId(), type.getField("TEMPLATE_ID").getInt(null), type.getSimpleName() + ".TEMPLATE_ID");
            assertEquals(spec.blockLength(), type.getField("BLOCK_LENGTH").getInt(null), type.getSimpleName() + ".BLOCK_LENGTH");
            assertEquals(SchemaModel.ir().id(), type.getField("SCHEMA_ID").getInt(null), type.getSimpleName() + ".SCHEMA_ID");
            assertEquals(SchemaModel.ir().version(), type.getField("SCHEMA_VERSION").getInt(null), type.getSimpleName() + ".SCHEMA_VERSION");
        }
        // fixed fields at the offsets the schema implies (a stale generated codec would differ)
        final List<Token> tokens = spec.tokens();
        for (int i = 1; i < tokens.size() - 1; i += tokens.get(i).componentTokenCount())
        {
            final Token token = tokens.get(i);
            if (token.signal() == Signal.BEGIN_FIELD)
            {
                final String prop = uk.co.real_logic.sbe.generation.java.JavaUtil.formatPropertyName(token.name());
                assertEquals(token.offset(), codec.decoderClass().getMethod(prop + "EncodingOffset").invoke(null),
                    name + "." + prop + " offset");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void everyFieldSurvivesEncodeAndDecode(final String name)
    {
        final ReflectiveCodec codec = ReflectiveCodec.of(name);
        final byte[] frame = codec.encode(Fill.DISTINCT);
        codec.verify(frame, Fill.DISTINCT);

        // the same at an unaligned offset inside a larger buffer
        final byte[] bigger = new byte[frame.length + 64];
        final UnsafeBuffer buffer = new UnsafeBuffer(bigger);
        final int length = codec.encode(buffer, 13, Fill.DISTINCT);
        assertEquals(frame.length, length);
        codec.verify(buffer, 13, length, Fill.DISTINCT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void optionalFieldsCarryTheirNullValue(final String name)
    {
        final ReflectiveCodec codec = ReflectiveCodec.of(name);
        final byte[] frame = codec.encode(Fill.NULLS);
        codec.verify(frame, Fill.NULLS);
    }

    /**
     * The round trip above must be able to fail: flipping the low bit of any byte of the frame (header,
     * block, group headers and entries, var-data lengths and bytes) must make it fail. A byte nobody
     * checks would pass here, and so would a field the round trip forgot.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void everyByteOfTheFrameIsCheckedByTheRoundTrip(final String name)
    {
        final ReflectiveCodec codec = ReflectiveCodec.of(name);
        for (final Fill fill : Fill.values())
        {
            final byte[] frame = codec.encode(fill);
            final List<Integer> unchecked = new ArrayList<>();
            for (int i = 0; i < frame.length; i++)
            {
                final byte[] mutated = frame.clone();
                mutated[i] ^= 0x01;
                try
                {
                    codec.verify(mutated, fill);
                    unchecked.add(i);
                }
                catch (final AssertionError | RuntimeException expected)
                {
                    // detected: a value differs, or the decoder ran off the frame
                }
            }
            assertEquals(List.of(), unchecked, name + " (" + fill + "): flipping these bytes went unnoticed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void encodingIsDeterministic(final String name)
    {
        final ReflectiveCodec codec = ReflectiveCodec.of(name);
        assertArrayEquals(codec.encode(Fill.DISTINCT), codec.encode(Fill.DISTINCT));
    }

    @Test
    void distinctAndNullFillsDifferWhereTheSchemaHasOptionalFields()
    {
        // guards the NULLS fill against silently writing the same values as DISTINCT
        for (final String name : List.of("Reject", "PriorityRequest", "ShuttleState", "Incident", "IngressRecord"))
        {
            final ReflectiveCodec codec = ReflectiveCodec.of(name);
            final byte[] distinct = codec.encode(Fill.DISTINCT);
            final byte[] nulls = codec.encode(Fill.NULLS);
            assertFalse(java.util.Arrays.equals(distinct, nulls), name);
            assertThrows(AssertionError.class, () -> codec.verify(nulls, Fill.DISTINCT), name);
        }
    }

    @Test
    void aSchemaMessageWithoutGeneratedCodecFails()
    {
        final MessageSpec real = SchemaModel.message("Tick");
        final MessageSpec missing = new MessageSpec("NoSuchMessage", 250, real.blockLength(), real.tokens());
        final AssertionError error = assertThrows(AssertionError.class, () -> new ReflectiveCodec(missing));
        assertTrue(error.getMessage().contains("NoSuchMessage"), error.getMessage());
    }

    /** The reverse direction: no generated message codec is left over from a message the schema lost. */
    @Test
    void everyGeneratedMessageCodecIsInTheSchema() throws IOException, URISyntaxException
    {
        final Path dir = Path.of(MessageHeaderDecoder.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve(ReflectiveCodec.CODEC_PACKAGE.replace('.', '/'));
        assertTrue(Files.isDirectory(dir), "generated classes not found at " + dir);
        final Set<String> generated = new HashSet<>();
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String fileName = file.getFileName().toString();
                if (fileName.endsWith("Decoder.class") && !fileName.contains("$"))
                {
                    final String simpleName = fileName.substring(0, fileName.length() - ".class".length());
                    try
                    {
                        final Class<?> type = Class.forName(ReflectiveCodec.CODEC_PACKAGE + "." + simpleName);
                        if (MessageDecoderFlyweight.class.isAssignableFrom(type))
                        {
                            generated.add(simpleName.substring(0, simpleName.length() - "Decoder".length()));
                        }
                    }
                    catch (final ClassNotFoundException ex)
                    {
                        fail(ex);
                    }
                }
            }
        }
        assertEquals(new HashSet<>(SchemaModel.messageNames()), generated);
    }
}
