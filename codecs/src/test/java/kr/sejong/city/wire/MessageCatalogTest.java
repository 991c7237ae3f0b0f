package kr.sejong.city.wire;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.ReflectiveCodec;
import kr.sejong.city.codecs.SchemaModel;
import kr.sejong.city.codecs.SchemaModel.MessageSpec;
import org.agrona.sbe.MessageDecoderFlyweight;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written catalog against the schema file and the generated codecs. */
class MessageCatalogTest
{
    /** Journal records: written by the node only, refused on ingress. */
    /** Written by the node only: the journal records, state snapshots and the Reject it answers bad frames with. */
    private static final Set<String> NODE_ONLY = Set.of("IngressRecord", "EgressRecord", "StateSnapshot", "Reject");

    static Stream<String> messageNames()
    {
        return SchemaModel.messageNames().stream();
    }

    @Test
    void catalogListsExactlyTheMessagesOfTheSchema()
    {
        final Map<Integer, String> schema = new TreeMap<>();
        for (final MessageSpec m : SchemaModel.messages())
        {
            schema.put(m.templateId(), m.name());
        }
        final Map<Integer, String> catalog = new TreeMap<>();
        for (final int id : MessageCatalog.templateIds())
        {
            catalog.put(id, MessageCatalog.name(id));
        }
        assertEquals(schema, catalog, "(templateId, name) of MessageCatalog vs the schema file");
    }

    @Test
    void templateIdsAreAscendingKnownAndACopy()
    {
        final int[] ids = MessageCatalog.templateIds();
        for (int i = 1; i < ids.length; i++)
        {
            assertTrue(ids[i - 1] < ids[i], "not ascending at " + i);
        }
        for (final int id : ids)
        {
            assertTrue(MessageCatalog.isKnown(id));
            assertTrue(id <= MessageCatalog.MAX_TEMPLATE_ID);
        }
        ids[0] = 9_999;
        assertEquals(SchemaModel.messages().get(0).templateId(), MessageCatalog.templateIds()[0]);
        assertNotSame(MessageCatalog.templateIds(), MessageCatalog.templateIds());
    }

    @Test
    void schemaIdAndVersionAreTheSchemas()
    {
        assertEquals(SchemaModel.ir().id(), MessageCatalog.schemaId());
        assertEquals(SchemaModel.ir().version(), MessageCatalog.schemaVersion());
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, MessageCatalog.schemaId());
        assertTrue(MessageCatalog.MIN_SUPPORTED_VERSION >= 1);
        assertTrue(MessageCatalog.MIN_SUPPORTED_VERSION <= MessageCatalog.schemaVersion());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void baseBlockLengthIsTheGeneratedAndTheSchemasBlockLength(final String name) throws Exception
    {
        final MessageSpec spec = SchemaModel.message(name);
        final Class<?> decoderClass = new ReflectiveCodec(spec).decoderClass();
        final int generated = decoderClass.getField("BLOCK_LENGTH").getInt(null);
        assertEquals(spec.blockLength(), generated, name + ": schema vs " + decoderClass.getSimpleName());
        assertEquals(spec.baseBlockLength(), MessageCatalog.baseBlockLength(spec.templateId()),
            name + ": catalog vs the schema's first version of the message");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void newDecoderIsTheTemplatesDecoder(final String name)
    {
        final MessageSpec spec = SchemaModel.message(name);
        final MessageDecoderFlyweight decoder = MessageCatalog.newDecoder(spec.templateId());
        assertEquals(spec.templateId(), decoder.sbeTemplateId());
        assertEquals(name + "Decoder", decoder.getClass().getSimpleName());
        assertEquals(MessageCatalog.schemaId(), decoder.sbeSchemaId());
        assertNotSame(decoder, MessageCatalog.newDecoder(spec.templateId()), "a fresh flyweight per call");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageNames")
    void onlyJournalRecordsAreRefusedOnIngress(final String name)
    {
        final int id = SchemaModel.message(name).templateId();
        assertEquals(!NODE_ONLY.contains(name), MessageCatalog.isIngressAllowed(id), name);
    }

    @Test
    void journalRecordsAreInTheSchema()
    {
        final Set<String> names = SchemaModel.messages().stream().map(MessageSpec::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(NODE_ONLY), "schema lost a node-only message: " + NODE_ONLY);
    }

    @ParameterizedTest(name = "template {0}")
    @ValueSource(ints = { 0, 6, 19, 27, 199, 203, 254, 255, 256, 1_000, 65_535, 65_536, -1, Integer.MAX_VALUE, Integer.MIN_VALUE })
    void unknownTemplates(final int id)
    {
        assertFalse(MessageCatalog.isKnown(id));
        assertEquals("template " + id, MessageCatalog.name(id));
        assertEquals(-1, MessageCatalog.baseBlockLength(id));
        assertFalse(MessageCatalog.isIngressAllowed(id));
        assertThrows(IllegalArgumentException.class, () -> MessageCatalog.newDecoder(id));
    }

    @Test
    void unknownIdsUsedAboveAreReallyNotInTheSchema()
    {
        final Set<Integer> ids = SchemaModel.messages().stream().map(MessageSpec::templateId).collect(Collectors.toSet());
        for (final int id : new int[]{ 0, 6, 19, 27, 199, 203, 254, 255 })
        {
            assertFalse(ids.contains(id), "template " + id + " is in the schema now; pick another unknown id");
        }
    }
}
