package kr.sejong.city.core.loop;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateWriterReaderTest
{
    @Test
    void whatIsWrittenIsReadBackInOrderBitForBit()
    {
        final StateWriter out = new StateWriter();
        final byte[] blob = { 1, 2, 3, (byte)0xFF };
        out.putInt(-7).putLong(Long.MIN_VALUE).putDouble(-0.0).putDouble(Double.NaN).putBoolean(true)
            .putBoolean(false).putBytes(new UnsafeBuffer(blob), 0, blob.length).putString("세종 5-1").putByte((byte)9);

        final StateReader in = new StateReader().wrap(out.buffer(), 0, out.length());
        assertEquals(-7, in.getInt());
        assertEquals(Long.MIN_VALUE, in.getLong());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(in.getDouble()));
        assertTrue(Double.isNaN(in.getDouble()));
        assertTrue(in.getBoolean());
        assertFalse(in.getBoolean());
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[8]);
        assertEquals(4, in.getBytes(copy, 2));
        final byte[] copied = new byte[4];
        copy.getBytes(2, copied);
        assertArrayEquals(blob, copied);
        assertEquals("세종 5-1", in.getString());
        assertEquals(9, in.getByte());
        assertEquals(0, in.remaining());
        assertThrows(IndexOutOfBoundsException.class, in::getInt, "reading past the end throws");
    }

    @Test
    void theBufferGrowsAndResetStartsOver()
    {
        final StateWriter out = new StateWriter();
        for (int i = 0; i < 10_000; i++)
        {
            out.putLong(i);
        }
        assertEquals(80_000, out.length());
        out.reset().putInt(5);
        assertEquals(4, out.length());
    }

    @Test
    void aCorruptBooleanIsNamed()
    {
        final StateWriter out = new StateWriter().putByte((byte)7);
        final StateReader in = new StateReader().wrap(out.buffer(), 0, out.length());
        assertThrows(IllegalStateException.class, in::getBoolean);
    }
}
