package kr.sejong.city.codecs;

import kr.sejong.city.codecs.SchemaModel.MessageSpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;
import org.agrona.sbe.MessageEncoderFlyweight;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.PrimitiveValue;
import uk.co.real_logic.sbe.ir.Encoding;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static uk.co.real_logic.sbe.generation.java.JavaUtil.formatClassName;
import static uk.co.real_logic.sbe.generation.java.JavaUtil.formatPropertyName;

/**
 * Drives the generated encoder and decoder of one schema message by reflection, from the message's IR
 * tokens: every field, composite member, enum, set, fixed array, repeating group and variable-length
 * field the schema declares is written with a value chosen by {@link Values} and read back.
 * <p>
 * Values are a pure function of the walk order, so {@link #verify} regenerates exactly the sequence
 * {@link #encode} wrote and compares each decoded value with it. A message or accessor missing from
 * the generated code fails with an {@link AssertionError} naming it.
 */
public final class ReflectiveCodec
{
    public static final String CODEC_PACKAGE = "kr.sejong.city.codecs";
    public static final String KOREAN_TEXT = "세종 5-1 생활권";

    /** How fields are filled. */
    public enum Fill
    {
        /** Every field gets a distinct, non-default, in-range value; groups get 2 or 3 entries. */
        DISTINCT,
        /** As DISTINCT, but every optional field carries its null value and var data is empty. */
        NULLS
    }

    private final MessageSpec spec;
    private final Class<?> encoderClass;
    private final Class<?> decoderClass;

    public ReflectiveCodec(final MessageSpec spec)
    {
        this.spec = spec;
        this.encoderClass = codecClass(spec, formatClassName(spec.name()) + "Encoder");
        this.decoderClass = codecClass(spec, formatClassName(spec.name()) + "Decoder");
    }

    public static ReflectiveCodec of(final String messageName)
    {
        return new ReflectiveCodec(SchemaModel.message(messageName));
    }

    public MessageSpec spec()
    {
        return spec;
    }

    public Class<?> encoderClass()
    {
        return encoderClass;
    }

    public Class<?> decoderClass()
    {
        return decoderClass;
    }

    /** Encodes header and message into a fresh array of exactly the frame's length. */
    public byte[] encode(final Fill fill)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 16]);
        final int length = encode(buffer, 0, fill);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /** Encodes header and message at offset; returns the frame length (header included). */
    public int encode(final MutableDirectBuffer buffer, final int offset, final Fill fill)
    {
        final MessageEncoderFlyweight encoder = (MessageEncoderFlyweight)newInstance(encoderClass);
        try
        {
            invoke(encoder, "wrapAndApplyHeader",
                new Class<?>[]{ MutableDirectBuffer.class, int.class, MessageHeaderEncoder.class },
                buffer, offset, new MessageHeaderEncoder());
            final List<Token> tokens = spec.tokens();
            encodeBody(encoder, tokens, 1, tokens.size() - 1, new Values(fill), spec.name());
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError(spec.name() + ": the generated encoder threw " + ex, ex);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    public void verify(final byte[] frame, final Fill fill)
    {
        verify(new UnsafeBuffer(frame), 0, frame.length, fill);
    }

    /**
     * Decodes the frame with the generated decoder and asserts the header, every field and the
     * decoded length equal what {@link #encode} wrote with the same fill.
     */
    public void verify(final DirectBuffer buffer, final int offset, final int length, final Fill fill)
    {
        final String name = spec.name();
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        check(spec.templateId(), header.templateId(), name + ": header templateId");
        check(spec.blockLength(), header.blockLength(), name + ": header blockLength");
        check(SchemaModel.ir().id(), header.schemaId(), name + ": header schemaId");
        check(SchemaModel.ir().version(), header.version(), name + ": header version");

        final MessageDecoderFlyweight decoder = (MessageDecoderFlyweight)newInstance(decoderClass);
        try
        {
            invoke(decoder, "wrapAndApplyHeader",
                new Class<?>[]{ DirectBuffer.class, int.class, MessageHeaderDecoder.class },
                buffer, offset, header);
            final List<Token> tokens = spec.tokens();
            decodeBody(decoder, tokens, 1, tokens.size() - 1, new Values(fill), name);
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError(name + ": the generated decoder threw " + ex, ex);
        }

        check(length - MessageHeaderDecoder.ENCODED_LENGTH, decoder.encodedLength(),
            name + ": length read by the decoder differs from the encoded length");
        check(length - MessageHeaderDecoder.ENCODED_LENGTH, decoder.sbeDecodedLength(),
            name + ": sbeDecodedLength() differs from the encoded length");
    }

    /**
     * Reads every field of a frame whatever its values (for frames the validator accepted), with the
     * header's block length and version, and checks the walk ends exactly at the end of the frame.
     * Throws whatever the generated decoder throws.
     */
    public void readAll(final DirectBuffer buffer, final int offset, final int length)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final MessageDecoderFlyweight decoder = (MessageDecoderFlyweight)newInstance(decoderClass);
        decoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final List<Token> tokens = spec.tokens();
        decodeBody(decoder, tokens, 1, tokens.size() - 1, null, spec.name());
        check(length - MessageHeaderDecoder.ENCODED_LENGTH, decoder.encodedLength(),
            spec.name() + ": fields read do not end at the end of the frame");
    }

    // ------------------------------------------------------------------------------------------ encode

    private void encodeBody(
        final Object flyweight, final List<Token> tokens, final int from, final int to, final Values values, final String path)
    {
        for (int i = from; i < to; )
        {
            final Token token = tokens.get(i);
            final String prop = formatPropertyName(token.name());
            switch (token.signal())
            {
                case BEGIN_FIELD:
                    encodeValue(flyweight, tokens, i + 1, prop, isOptional(token, tokens.get(i + 1)), values, path + "." + prop);
                    break;

                case BEGIN_GROUP:
                {
                    final int count = values.nextGroupCount();
                    final Object group = invoke(flyweight, prop + "Count", new Class<?>[]{ int.class }, count);
                    final int bodyFrom = i + 1 + tokens.get(i + 1).componentTokenCount();
                    final int bodyTo = i + token.componentTokenCount() - 1;
                    for (int e = 0; e < count; e++)
                    {
                        invoke(group, "next", new Class<?>[0]);
                        encodeBody(group, tokens, bodyFrom, bodyTo, values, path + "." + prop + "[" + e + "]");
                    }
                    break;
                }

                case BEGIN_VAR_DATA:
                {
                    final Token data = varDataToken(tokens, i);
                    final String characterEncoding = data.encoding().characterEncoding();
                    if (null != characterEncoding)
                    {
                        invoke(flyweight, prop, new Class<?>[]{ String.class }, values.nextText(path + "." + prop));
                    }
                    else
                    {
                        final byte[] bytes = values.nextBytes();
                        invoke(flyweight, "put" + formatClassName(prop),
                            new Class<?>[]{ byte[].class, int.class, int.class }, bytes, 0, bytes.length);
                    }
                    break;
                }

                default:
                    throw new IllegalStateException(path + ": unexpected token " + token);
            }
            i += token.componentTokenCount();
        }
    }

    private void encodeValue(
        final Object flyweight,
        final List<Token> tokens,
        final int index,
        final String prop,
        final boolean optional,
        final Values values,
        final String path)
    {
        final Token type = tokens.get(index);
        switch (type.signal())
        {
            case ENCODING:
                encodePrimitive(flyweight, type, prop, optional, values, path);
                break;

            case BEGIN_ENUM:
            {
                final Class<?> enumClass = enumParameterType(flyweight, prop, path);
                final String constant = values.nextEnum(enumChoices(tokens, index), optional);
                invoke(flyweight, prop, new Class<?>[]{ enumClass }, enumConstant(enumClass, constant));
                break;
            }

            case BEGIN_SET:
            {
                final List<Token> choices = setChoices(tokens, index);
                final boolean[] bits = values.nextChoices(choices.size());
                final Object set = invoke(flyweight, prop, new Class<?>[0]);
                invoke(set, "clear", new Class<?>[0]);
                for (int c = 0; c < choices.size(); c++)
                {
                    invoke(set, formatPropertyName(choices.get(c).name()), new Class<?>[]{ boolean.class }, bits[c]);
                }
                break;
            }

            case BEGIN_COMPOSITE:
            {
                final Object composite = invoke(flyweight, prop, new Class<?>[0]);
                final int end = index + type.componentTokenCount() - 1;
                for (int m = index + 1; m < end; )
                {
                    final Token member = tokens.get(m);
                    final String memberProp = formatPropertyName(member.name());
                    encodeValue(composite, tokens, m, memberProp, member.isOptionalEncoding(), values, path + "." + memberProp);
                    m += member.componentTokenCount();
                }
                break;
            }

            default:
                throw new IllegalStateException(path + ": unexpected type token " + type);
        }
    }

    private void encodePrimitive(
        final Object flyweight, final Token type, final String prop, final boolean optional, final Values values, final String path)
    {
        if (type.isConstantEncoding())
        {
            return; // nothing on the wire
        }
        final Encoding encoding = type.encoding();
        final Class<?> javaType = javaType(encoding.primitiveType());
        if (type.arrayLength() > 1)
        {
            if (encoding.primitiveType() == PrimitiveType.CHAR)
            {
                invoke(flyweight, prop, new Class<?>[]{ String.class }, values.nextAscii(type.arrayLength()));
            }
            else
            {
                for (int k = 0; k < type.arrayLength(); k++)
                {
                    invoke(flyweight, prop, new Class<?>[]{ int.class, javaType }, k, values.next(encoding, optional));
                }
            }
        }
        else
        {
            invoke(flyweight, prop, new Class<?>[]{ javaType }, values.next(encoding, optional));
        }
    }

    // ------------------------------------------------------------------------------------------ decode

    /** values == null: read everything, compare nothing. */
    private void decodeBody(
        final Object flyweight, final List<Token> tokens, final int from, final int to, final Values values, final String path)
    {
        for (int i = from; i < to; )
        {
            final Token token = tokens.get(i);
            final String prop = formatPropertyName(token.name());
            switch (token.signal())
            {
                case BEGIN_FIELD:
                    decodeValue(flyweight, tokens, i + 1, prop, isOptional(token, tokens.get(i + 1)), values, path + "." + prop);
                    break;

                case BEGIN_GROUP:
                {
                    final Object group = invoke(flyweight, prop, new Class<?>[0]);
                    final int count = (Integer)invoke(group, "count", new Class<?>[0]);
                    if (null != values)
                    {
                        check(values.nextGroupCount(), count, path + "." + prop + ": numInGroup");
                        check(token.encodedLength(), invoke(group, "actingBlockLength", new Class<?>[0]),
                            path + "." + prop + ": group blockLength");
                    }
                    final int bodyFrom = i + 1 + tokens.get(i + 1).componentTokenCount();
                    final int bodyTo = i + token.componentTokenCount() - 1;
                    for (int e = 0; e < count; e++)
                    {
                        invoke(group, "next", new Class<?>[0]);
                        decodeBody(group, tokens, bodyFrom, bodyTo, values, path + "." + prop + "[" + e + "]");
                    }
                    check(false, invoke(group, "hasNext", new Class<?>[0]), path + "." + prop + ": hasNext after the last entry");
                    break;
                }

                case BEGIN_VAR_DATA:
                    decodeVarData(flyweight, tokens, i, prop, values, path + "." + prop);
                    break;

                default:
                    throw new IllegalStateException(path + ": unexpected token " + token);
            }
            i += token.componentTokenCount();
        }
    }

    private void decodeVarData(
        final Object flyweight, final List<Token> tokens, final int index, final String prop, final Values values, final String path)
    {
        final Token data = varDataToken(tokens, index);
        final String characterEncoding = data.encoding().characterEncoding();
        final int length = (Integer)invoke(flyweight, prop + "Length", new Class<?>[0]);
        if (null != characterEncoding)
        {
            final String actual = (String)invoke(flyweight, prop, new Class<?>[0]);
            if (null != values)
            {
                final String expected = values.nextText(path);
                check(expected, actual, path);
                check(expected.getBytes(Charset.forName(characterEncoding)).length, length, path + ": length in bytes");
            }
        }
        else
        {
            final String getter = "get" + formatClassName(prop);
            final Class<?>[] signature = { byte[].class, int.class, int.class };
            if (null != values)
            {
                final byte[] expected = values.nextBytes();
                check(expected.length, length, path + ": length");
                final byte[] actual = new byte[expected.length];
                check(expected.length, invoke(flyweight, getter, signature, actual, 0, actual.length), path + ": bytes copied");
                if (!Arrays.equals(expected, actual))
                {
                    throw new AssertionError(path + ": expected " + Arrays.toString(expected) + " but was " + Arrays.toString(actual));
                }
            }
            else
            {
                final byte[] actual = new byte[Math.max(0, Math.min(length, 1 << 16))];
                invoke(flyweight, getter, signature, actual, 0, actual.length);
            }
        }
    }

    private void decodeValue(
        final Object flyweight,
        final List<Token> tokens,
        final int index,
        final String prop,
        final boolean optional,
        final Values values,
        final String path)
    {
        final Token type = tokens.get(index);
        switch (type.signal())
        {
            case ENCODING:
                decodePrimitive(flyweight, type, prop, optional, values, path);
                break;

            case BEGIN_ENUM:
            {
                final Object actual = invoke(flyweight, prop, new Class<?>[0]);
                if (null != values)
                {
                    final String constant = values.nextEnum(enumChoices(tokens, index), optional);
                    check(enumConstant(actual.getClass(), constant), actual, path);
                }
                break;
            }

            case BEGIN_SET:
            {
                final List<Token> choices = setChoices(tokens, index);
                final boolean[] expected = null != values ? values.nextChoices(choices.size()) : null;
                final Object set = invoke(flyweight, prop, new Class<?>[0]);
                for (int c = 0; c < choices.size(); c++)
                {
                    final String choice = formatPropertyName(choices.get(c).name());
                    final Object actual = invoke(set, choice, new Class<?>[0]);
                    if (null != expected)
                    {
                        check(expected[c], actual, path + "." + choice);
                    }
                }
                break;
            }

            case BEGIN_COMPOSITE:
            {
                final Object composite = invoke(flyweight, prop, new Class<?>[0]);
                final int end = index + type.componentTokenCount() - 1;
                for (int m = index + 1; m < end; )
                {
                    final Token member = tokens.get(m);
                    final String memberProp = formatPropertyName(member.name());
                    decodeValue(composite, tokens, m, memberProp, member.isOptionalEncoding(), values, path + "." + memberProp);
                    m += member.componentTokenCount();
                }
                break;
            }

            default:
                throw new IllegalStateException(path + ": unexpected type token " + type);
        }
    }

    private void decodePrimitive(
        final Object flyweight, final Token type, final String prop, final boolean optional, final Values values, final String path)
    {
        final Encoding encoding = type.encoding();
        if (type.isConstantEncoding())
        {
            final Object actual = invoke(flyweight, prop, new Class<?>[0]);
            if (null != values && type.arrayLength() <= 1 && encoding.primitiveType() != PrimitiveType.CHAR)
            {
                check(box(encoding.constValue(), encoding.primitiveType()), actual, path + " (constant)");
            }
            return;
        }
        if (type.arrayLength() > 1)
        {
            if (encoding.primitiveType() == PrimitiveType.CHAR)
            {
                final Object actual = invoke(flyweight, prop, new Class<?>[0]);
                if (null != values)
                {
                    check(values.nextAscii(type.arrayLength()), actual, path);
                }
            }
            else
            {
                for (int k = 0; k < type.arrayLength(); k++)
                {
                    final Object actual = invoke(flyweight, prop, new Class<?>[]{ int.class }, k);
                    if (null != values)
                    {
                        check(values.next(encoding, optional), actual, path + "[" + k + "]");
                    }
                }
            }
        }
        else
        {
            final Object actual = invoke(flyweight, prop, new Class<?>[0]);
            if (null != values)
            {
                final Object expected = values.next(encoding, optional);
                check(expected, actual, path);
                if (optional && values.fill == Fill.NULLS)
                {
                    // the null sentinel the generated code publishes is the one the schema implies
                    check(expected, invokeStatic(flyweight.getClass(), prop + "NullValue"), path + ": generated NullValue()");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ values

    /**
     * The value of each field in walk order. Integral values set every byte of the field to a
     * non-zero value where the range allows (so a byte-order or offset error shows), alternate sign
     * for signed types, and stay well inside the type's (or the schema's) min..max.
     */
    static final class Values
    {
        private final Fill fill;
        private int ordinal;
        private int groups;

        Values(final Fill fill)
        {
            this.fill = fill;
        }

        Object next(final Encoding encoding, final boolean optional)
        {
            final int k = ++ordinal;
            final PrimitiveType type = encoding.primitiveType();
            if (optional && fill == Fill.NULLS)
            {
                return box(encoding.applicableNullValue(), type);
            }
            switch (type)
            {
                case FLOAT:
                    return (float)(k + 0.25);
                case DOUBLE:
                    return k + 0.125;
                case CHAR:
                    return (byte)('A' + k % 26);
                default:
                    return boxIntegral(integral(encoding, k), type);
            }
        }

        private static long integral(final Encoding encoding, final int k)
        {
            final PrimitiveType type = encoding.primitiveType();
            long v;
            switch (type.size())
            {
                case 1:
                    v = 1 + (k * 37L) % 100;
                    break;
                case 2:
                    v = ((1 + k % 100L) << 8) | (1 + (k * 29L) % 200);
                    break;
                case 4:
                    v = ((1 + k % 100L) << 24) | 0x00A55A00L | (1 + (k * 13L) % 250);
                    break;
                default:
                    v = ((1 + k % 100L) << 56) | 0x0011223344556600L | (1 + (k * 13L) % 250);
                    break;
            }
            final boolean signed = type == PrimitiveType.INT8 || type == PrimitiveType.INT16 ||
                type == PrimitiveType.INT32 || type == PrimitiveType.INT64;
            if (signed && (k & 1) == 1)
            {
                v = -v;
            }

            // respect the schema's own minValue/maxValue if it narrows the type
            final BigInteger min = unsigned(encoding.applicableMinValue().longValue(), type);
            final BigInteger max = unsigned(encoding.applicableMaxValue().longValue(), type);
            final BigInteger value = unsigned(v, type);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0)
            {
                final BigInteger span = max.subtract(min);
                v = span.signum() <= 0 ? min.longValue() :
                    min.add(BigInteger.valueOf(1 + k).mod(span.add(BigInteger.ONE))).min(max).longValue();
            }
            return v;
        }

        private static BigInteger unsigned(final long v, final PrimitiveType type)
        {
            final BigInteger big = BigInteger.valueOf(v);
            return type == PrimitiveType.UINT64 && v < 0 ? big.add(BigInteger.ONE.shiftLeft(64)) : big;
        }

        String nextEnum(final List<Token> validValues, final boolean optional)
        {
            final int k = ++ordinal;
            if (optional && fill == Fill.NULLS)
            {
                return "NULL_VAL";
            }
            // not the value an all-zero buffer would decode to
            final List<Token> candidates = new ArrayList<>();
            for (final Token v : validValues)
            {
                if (v.encoding().constValue().longValue() != 0)
                {
                    candidates.add(v);
                }
            }
            final List<Token> from = candidates.isEmpty() ? validValues : candidates;
            return from.get(k % from.size()).name();
        }

        boolean[] nextChoices(final int count)
        {
            final int k = ++ordinal;
            final boolean[] bits = new boolean[count];
            boolean any = false;
            for (int c = 0; c < count; c++)
            {
                bits[c] = ((c + k) & 1) == 0;
                any |= bits[c];
            }
            if (!any && count > 0)
            {
                bits[0] = true;
            }
            return bits;
        }

        int nextGroupCount()
        {
            return 2 + (groups++ % 2);
        }

        String nextText(final String path)
        {
            final int k = ++ordinal;
            return fill == Fill.NULLS ? "" : KOREAN_TEXT + " " + path + " #" + k;
        }

        String nextAscii(final int length)
        {
            final int k = ++ordinal;
            final StringBuilder sb = new StringBuilder(length);
            for (int c = 0; c < length; c++)
            {
                sb.append((char)('A' + (k + c) % 26));
            }
            return sb.toString();
        }

        byte[] nextBytes()
        {
            final int k = ++ordinal;
            if (fill == Fill.NULLS)
            {
                return new byte[0];
            }
            final byte[] bytes = new byte[5 + k % 23];
            bytes[0] = 0x00;
            bytes[1] = (byte)0xFF;
            bytes[2] = (byte)0x80;
            for (int c = 3; c < bytes.length; c++)
            {
                bytes[c] = (byte)(k * 31 + c * 7);
            }
            return bytes;
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static boolean isOptional(final Token field, final Token type)
    {
        return field.isOptionalEncoding() || type.isOptionalEncoding();
    }

    private static Token varDataToken(final List<Token> tokens, final int beginVarData)
    {
        final int end = beginVarData + tokens.get(beginVarData).componentTokenCount();
        for (int i = beginVarData + 1; i < end; i++)
        {
            final Token t = tokens.get(i);
            if (t.signal() == Signal.ENCODING && "varData".equals(t.name()))
            {
                return t;
            }
        }
        throw new IllegalStateException("no varData encoding in " + tokens.get(beginVarData));
    }

    private static List<Token> enumChoices(final List<Token> tokens, final int beginEnum)
    {
        return children(tokens, beginEnum, Signal.VALID_VALUE);
    }

    private static List<Token> setChoices(final List<Token> tokens, final int beginSet)
    {
        return children(tokens, beginSet, Signal.CHOICE);
    }

    private static List<Token> children(final List<Token> tokens, final int begin, final Signal signal)
    {
        final List<Token> result = new ArrayList<>();
        final int end = begin + tokens.get(begin).componentTokenCount() - 1;
        for (int i = begin + 1; i < end; i++)
        {
            if (tokens.get(i).signal() == signal)
            {
                result.add(tokens.get(i));
            }
        }
        return result;
    }

    private static Class<?> enumParameterType(final Object flyweight, final String prop, final String path)
    {
        for (final Method m : flyweight.getClass().getMethods())
        {
            if (m.getName().equals(prop) && m.getParameterCount() == 1 && m.getParameterTypes()[0].isEnum())
            {
                return m.getParameterTypes()[0];
            }
        }
        throw new AssertionError(path + ": " + flyweight.getClass().getName() + " has no enum setter " + prop);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Object enumConstant(final Class<?> enumClass, final String name)
    {
        return Enum.valueOf((Class)enumClass, name);
    }

    static Class<?> javaType(final PrimitiveType type)
    {
        switch (type)
        {
            case CHAR:
            case INT8:
                return byte.class;
            case UINT8:
            case INT16:
                return short.class;
            case UINT16:
            case INT32:
                return int.class;
            case UINT32:
            case INT64:
            case UINT64:
                return long.class;
            case FLOAT:
                return float.class;
            case DOUBLE:
                return double.class;
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }

    static Object box(final PrimitiveValue value, final PrimitiveType type)
    {
        switch (type)
        {
            case FLOAT:
                return (float)value.doubleValue();
            case DOUBLE:
                return value.doubleValue();
            default:
                return boxIntegral(value.longValue(), type);
        }
    }

    static Object boxIntegral(final long v, final PrimitiveType type)
    {
        final Class<?> javaType = javaType(type);
        if (javaType == byte.class)
        {
            return (byte)v;
        }
        if (javaType == short.class)
        {
            return (short)v;
        }
        if (javaType == int.class)
        {
            return (int)v;
        }
        return v;
    }

    private static void check(final Object expected, final Object actual, final String what)
    {
        if (!Objects.equals(expected, actual))
        {
            throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    private static Class<?> codecClass(final MessageSpec spec, final String simpleName)
    {
        try
        {
            return Class.forName(CODEC_PACKAGE + "." + simpleName);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new AssertionError("message " + spec.name() + " (template " + spec.templateId() +
                ") of the schema has no generated class " + CODEC_PACKAGE + "." + simpleName, ex);
        }
    }

    private static Object newInstance(final Class<?> type)
    {
        try
        {
            return type.getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError("cannot instantiate " + type.getName(), ex);
        }
    }

    static Object invoke(final Object target, final String name, final Class<?>[] types, final Object... args)
    {
        final Method method;
        try
        {
            method = target.getClass().getMethod(name, types);
        }
        catch (final NoSuchMethodException ex)
        {
            throw new AssertionError("generated " + target.getClass().getName() + " has no method " + name +
                Arrays.toString(types), ex);
        }
        return call(method, target, args);
    }

    static Object invokeStatic(final Class<?> type, final String name)
    {
        final Method method;
        try
        {
            method = type.getMethod(name);
        }
        catch (final NoSuchMethodException ex)
        {
            throw new AssertionError("generated " + type.getName() + " has no method " + name + "()", ex);
        }
        return call(method, null, new Object[0]);
    }

    private static Object call(final Method method, final Object target, final Object[] args)
    {
        try
        {
            return method.invoke(target, args);
        }
        catch (final IllegalAccessException ex)
        {
            throw new AssertionError(ex);
        }
        catch (final InvocationTargetException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException)
            {
                throw (RuntimeException)cause;
            }
            if (cause instanceof Error)
            {
                throw (Error)cause;
            }
            throw new IllegalStateException(cause);
        }
    }
}
