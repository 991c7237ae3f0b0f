package kr.sejong.city.codecs;

import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.xml.MessageSchema;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The schema file as sbe-tool reads it (the same parser and IR the code generator uses), for tests
 * that compare the generated codecs and the hand-written catalog with the schema itself.
 */
public final class SchemaModel
{
    /** The schema source, relative to the module directory (surefire's working directory). */
    public static final String SCHEMA_PATH = "src/main/resources/sbe/sejong-city-schema.xml";
    /** The same file on the class path, when the tests run from somewhere else (an IDE). */
    public static final String SCHEMA_RESOURCE = "/sbe/sejong-city-schema.xml";

    private static Ir ir;
    private static List<MessageSpec> messages;

    private SchemaModel()
    {
    }

    /** One message of the schema: its name, template id, root block length and IR tokens. */
    public record MessageSpec(String name, int templateId, int blockLength, List<Token> tokens)
    {
        public boolean hasGroups()
        {
            return tokens.stream().anyMatch(t -> t.signal() == Signal.BEGIN_GROUP);
        }

        /**
         * Block length of the message as first published: the root fields whose sinceVersion is the
         * message's own, ignoring fields a later version appended.
         */
        public int baseBlockLength()
        {
            final int since = tokens.get(0).version();
            int end = 0;
            for (int i = 1; i < tokens.size(); i++)
            {
                final Token token = tokens.get(i);
                if (token.signal() == Signal.BEGIN_GROUP || token.signal() == Signal.BEGIN_VAR_DATA)
                {
                    break;
                }
                if (token.signal() == Signal.BEGIN_FIELD && token.version() <= since)
                {
                    end = Math.max(end, token.offset() + tokens.get(i + 1).encodedLength());
                }
            }
            return end;
        }

        public boolean hasVarData()
        {
            return tokens.stream().anyMatch(t -> t.signal() == Signal.BEGIN_VAR_DATA);
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    public static synchronized Ir ir()
    {
        if (null == ir)
        {
            final ParserOptions options = ParserOptions.builder()
                .stopOnError(true)
                .warningsFatal(true)
                .suppressOutput(true)
                .build();
            try (InputStream in = openSchema())
            {
                final MessageSchema schema = XmlSchemaParser.parse(in, options);
                ir = new IrGenerator().generate(schema);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("cannot parse the SBE schema", ex);
            }
        }
        return ir;
    }

    /** Every message of the schema, by ascending template id. */
    public static synchronized List<MessageSpec> messages()
    {
        if (null == messages)
        {
            final List<MessageSpec> list = new ArrayList<>();
            for (final List<Token> tokens : ir().messages())
            {
                final Token begin = tokens.get(0);
                list.add(new MessageSpec(begin.name(), begin.id(), begin.encodedLength(), List.copyOf(tokens)));
            }
            list.sort(Comparator.comparingInt(MessageSpec::templateId));
            messages = List.copyOf(list);
        }
        return messages;
    }

    public static MessageSpec message(final String name)
    {
        return messages().stream()
            .filter(m -> m.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no message " + name + " in the schema"));
    }

    public static List<String> messageNames()
    {
        return messages().stream().map(MessageSpec::name).toList();
    }

    private static InputStream openSchema() throws Exception
    {
        final Path file = Path.of(System.getProperty("basedir", "")).resolve(SCHEMA_PATH);
        if (Files.isRegularFile(file))
        {
            return Files.newInputStream(file);
        }
        final InputStream in = SchemaModel.class.getResourceAsStream(SCHEMA_RESOURCE);
        if (null == in)
        {
            throw new IllegalStateException("schema not found at " + file.toAbsolutePath() + " nor on the class path");
        }
        return in;
    }
}
