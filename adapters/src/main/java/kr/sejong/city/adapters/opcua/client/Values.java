package kr.sejong.city.adapters.opcua.client;

import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;

/**
 * Reading OPC UA values without allocating: integral scalars of any width (Milo's unsigned types included),
 * arrays boxed or primitive, and the SourceTimestamp as nanoseconds since the Unix epoch.
 */
final class Values
{
    /** 100 ns intervals between 1601-01-01 (OPC UA's epoch) and 1970-01-01. */
    private static final long EPOCH_OFFSET_TICKS = 116_444_736_000_000_000L;
    /** OPC UA's MinDateTime: a DateTime of 0 means "not given". */
    static final long NO_TIME = Long.MIN_VALUE;

    private Values()
    {
    }

    /** Nanoseconds since the Unix epoch of a timestamp, or {@link #NO_TIME} when it is absent. */
    static long epochNs(final DateTime time)
    {
        if (time == null)
        {
            return NO_TIME;
        }
        final long ticks = time.getUtcTime();
        return ticks <= 0 ? NO_TIME : (ticks - EPOCH_OFFSET_TICKS) * 100L;
    }

    /** Whether a scalar is an integer (a floating point value or text is the wrong type). */
    static boolean isIntegral(final Object value)
    {
        return value instanceof Number && !(value instanceof Double || value instanceof Float ||
            value instanceof java.math.BigDecimal);
    }

    /** Whether a value is a floating point NaN (named in messages: a device sending NaN is broken). */
    static boolean isNaN(final Object value)
    {
        return value instanceof Double d && d.isNaN() || value instanceof Float f && f.isNaN();
    }

    /** The integral value of an {@link #isIntegral} scalar. */
    static long longValue(final Object value)
    {
        return ((Number)value).longValue();
    }

    /** Length of an integral array (boxed or primitive), or -1 when the value is no such array. */
    static int integralArrayLength(final Object value)
    {
        if (value instanceof Object[] array)
        {
            for (final Object element : array)
            {
                if (!isIntegral(element))
                {
                    return -1;
                }
            }
            return array.length;
        }
        if (value instanceof int[] a)
        {
            return a.length;
        }
        if (value instanceof long[] a)
        {
            return a.length;
        }
        if (value instanceof short[] a)
        {
            return a.length;
        }
        return -1;
    }

    /** Element {@code i} of an array {@link #integralArrayLength} accepted. */
    static long element(final Object array, final int i)
    {
        if (array instanceof Object[] a)
        {
            return ((Number)a[i]).longValue();
        }
        if (array instanceof int[] a)
        {
            return a[i];
        }
        if (array instanceof long[] a)
        {
            return a[i];
        }
        return ((short[])array)[i];
    }

    /** A value for a message: short, and never the whole of a long array. */
    static String describe(final Object value)
    {
        if (value == null)
        {
            return "null";
        }
        if (value instanceof Object[] a)
        {
            final StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < a.length && i < 12; i++)
            {
                text.append(i == 0 ? "" : ", ").append(a[i]);
            }
            return text.append(a.length > 12 ? ", ...]" : "]").toString();
        }
        final String text = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** The OPC UA-ish name of a value's type, for messages. */
    static String typeName(final Object value)
    {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
