package kr.sejong.city.adapters.opcua.server;

import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.agrona.concurrent.EpochNanoClock;

import java.util.Objects;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

/**
 * One variable of the field model, as a device (or its feeder) writes it: the value, in the variable's
 * DataType, with the time it was measured as its SourceTimestamp. Numbers given as {@code long} are converted
 * to the DataType and refused when they do not fit; {@link #set(Object, long)} takes the Milo value itself.
 */
public final class FieldVariable
{
    /** 100 ns ticks from 1601-01-01 (OPC UA's epoch) to 1970-01-01. */
    private static final long EPOCH_OFFSET_TICKS = 116_444_736_000_000_000L;

    private final UaVariableNode node;
    private final String identifier;
    private final NodeId dataType;
    private final boolean array;
    private final EpochNanoClock serverClock;

    FieldVariable(final UaVariableNode node, final String identifier, final NodeId dataType, final boolean array,
        final EpochNanoClock serverClock)
    {
        this.node = node;
        this.identifier = identifier;
        this.dataType = dataType;
        this.array = array;
        this.serverClock = serverClock;
    }

    /** An OPC UA DateTime from epoch nanoseconds. */
    public static DateTime dateTime(final long epochNs)
    {
        return new DateTime(Math.floorDiv(epochNs, 100L) + EPOCH_OFFSET_TICKS);
    }

    /** Epoch nanoseconds of an OPC UA DateTime (100 ns resolution). */
    public static long epochNs(final DateTime time)
    {
        return (time.getUtcTime() - EPOCH_OFFSET_TICKS) * 100L;
    }

    /** Sets a scalar number or Boolean (0/1), measured at {@code sourceTimeNs}. */
    public void set(final long value, final long sourceTimeNs)
    {
        if (array)
        {
            throw new IllegalArgumentException(identifier + " is an array");
        }
        store(new Variant(scalar(value)), sourceTimeNs);
    }

    /** Sets an array from {@code values[0..length)}, measured at {@code sourceTimeNs}. */
    public void set(final long[] values, final int length, final long sourceTimeNs)
    {
        if (!array)
        {
            throw new IllegalArgumentException(identifier + " is not an array");
        }
        final Object converted;
        if (NodeIds.UInt16.equals(dataType))
        {
            final UShort[] out = new UShort[length];
            for (int i = 0; i < length; i++)
            {
                out[i] = ushort((int)checkRange(values[i], 0, 0xFFFF));
            }
            converted = out;
        }
        else if (NodeIds.UInt32.equals(dataType))
        {
            final UInteger[] out = new UInteger[length];
            for (int i = 0; i < length; i++)
            {
                out[i] = uint(checkRange(values[i], 0, 0xFFFF_FFFFL));
            }
            converted = out;
        }
        else if (NodeIds.Int32.equals(dataType))
        {
            final Integer[] out = new Integer[length];
            for (int i = 0; i < length; i++)
            {
                out[i] = (int)checkRange(values[i], Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            converted = out;
        }
        else if (NodeIds.Int64.equals(dataType))
        {
            final Long[] out = new Long[length];
            for (int i = 0; i < length; i++)
            {
                out[i] = values[i];
            }
            converted = out;
        }
        else
        {
            throw new IllegalArgumentException(identifier + " is not an array of numbers");
        }
        store(new Variant(converted), sourceTimeNs);
    }

    /** Sets the value as Milo holds it (String, String[], ByteString, UShort[] ...), measured at {@code sourceTimeNs}. */
    public void set(final Object value, final long sourceTimeNs)
    {
        Objects.requireNonNull(value, identifier);
        store(new Variant(value), sourceTimeNs);
    }

    private Object scalar(final long value)
    {
        if (NodeIds.Int32.equals(dataType))
        {
            return (int)checkRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (NodeIds.UInt16.equals(dataType))
        {
            return ushort((int)checkRange(value, 0, 0xFFFF));
        }
        if (NodeIds.UInt32.equals(dataType))
        {
            return uint(checkRange(value, 0, 0xFFFF_FFFFL));
        }
        if (NodeIds.UInt64.equals(dataType))
        {
            return ulong(checkRange(value, 0, Long.MAX_VALUE));
        }
        if (NodeIds.Int64.equals(dataType))
        {
            return value;
        }
        if (NodeIds.Boolean.equals(dataType))
        {
            return checkRange(value, 0, 1) == 1;
        }
        throw new IllegalArgumentException(identifier + " is not a number");
    }

    private long checkRange(final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(identifier + ": " + value + " does not fit its DataType (" + min + ".." + max + ")");
        }
        return value;
    }

    private void store(final Variant variant, final long sourceTimeNs)
    {
        node.setValue(new DataValue(variant, StatusCode.GOOD, dateTime(sourceTimeNs), dateTime(serverClock.nanoTime())));
    }

    /** The value as it stands (null while none was set). */
    public Object value()
    {
        final DataValue value = node.getValue();
        return value == null ? null : value.getValue().getValue();
    }

    /** The value as a number (a Boolean as 0/1); {@code orElse} while none was set. */
    public long longValue(final long orElse)
    {
        final Object value = value();
        if (value instanceof Number number)
        {
            return number.longValue();
        }
        if (value instanceof Boolean bool)
        {
            return bool ? 1 : 0;
        }
        return orElse;
    }

    /** The stored DataValue, timestamps included. */
    public DataValue dataValue()
    {
        return node.getValue();
    }

    /** {@code <Kind>/<id>/<Name>}. */
    public String identifier()
    {
        return identifier;
    }

    public NodeId nodeId()
    {
        return node.getNodeId();
    }

    UaVariableNode node()
    {
        return node;
    }

    @Override
    public String toString()
    {
        return identifier;
    }
}
