package kr.sejong.city.core.loops.energy;

import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

/**
 * Whether each measured quantity can be trusted: a channel is {@link #GOOD} while its last
 * measurement is recent and possible, {@link #STALE} when the last good one is older than the limit,
 * {@link #INVALID} after an impossible one (null, out of physical range, stamped in the future) until a
 * good one arrives, and {@link #NEVER} before the first. A device its field adapter reports unreachable
 * ({@link #UNREACHABLE}) or in alarm ({@link #ALARM}) is held there, whatever it measures, until the adapter
 * reports it online again; then it waits as {@link #STALE} for its next good measurement. Stale episodes,
 * invalid measurements and held episodes are counted; transitions are remembered until the loop has
 * reported them.
 */
public final class MeasurementHealth
{
    public static final byte NEVER = 0;
    public static final byte GOOD = 1;
    public static final byte STALE = 2;
    public static final byte INVALID = 3;
    /** The field adapter lost the device (DeviceStatus OFFLINE). */
    public static final byte UNREACHABLE = 4;
    /** The device reports an alarm (DeviceStatus DEGRADED): it is not dispatched. */
    public static final byte ALARM = 5;

    private final byte[] state;
    private final long[] lastGoodAtNs;
    private final int[] badCount;
    private final boolean[] changed;
    private long staleEpisodes;
    private long invalidMeasurements;
    private long heldEpisodes;

    public MeasurementHealth(final int channels)
    {
        state = new byte[channels];
        lastGoodAtNs = new long[channels];
        badCount = new int[channels];
        changed = new boolean[channels];
    }

    /**
     * Check a measurement's time against the loop's: not further ahead than the tolerance.
     *
     * @return whether it may be used (the value checks are the caller's).
     */
    public static boolean timely(final long measuredAtNs, final long nowNs, final long futureToleranceNs)
    {
        return measuredAtNs - nowNs <= futureToleranceNs;
    }

    /** Whether a measurement taken at {@code measuredAtNs} is stale at {@code nowNs}. */
    public static boolean stale(final long measuredAtNs, final long nowNs, final long staleAfterNs)
    {
        return nowNs - measuredAtNs > staleAfterNs;
    }

    public void good(final int channel, final long measuredAtNs)
    {
        if (held(channel))
        {
            return; // not trusted until the adapter reports it online
        }
        // an older measurement arriving late does not make the channel younger
        lastGoodAtNs[channel] = state[channel] == NEVER ? measuredAtNs : Math.max(lastGoodAtNs[channel], measuredAtNs);
        if (state[channel] != GOOD)
        {
            changed[channel] = state[channel] != NEVER;
            state[channel] = GOOD;
        }
    }

    public void invalid(final int channel)
    {
        invalidMeasurements++;
        badCount[channel]++;
        if (state[channel] != INVALID && !held(channel))
        {
            state[channel] = INVALID;
            changed[channel] = true;
        }
    }

    /**
     * The field adapter reports the device unreachable ({@link #UNREACHABLE}) or in alarm ({@link #ALARM}): the
     * channel is not used until {@link #release}.
     */
    public void hold(final int channel, final byte why)
    {
        if (state[channel] != why)
        {
            state[channel] = why;
            changed[channel] = true;
            badCount[channel]++;
            heldEpisodes++;
        }
    }

    /** The field adapter reports the device online again: usable from its next good measurement. */
    public void release(final int channel)
    {
        if (held(channel))
        {
            state[channel] = STALE;
            changed[channel] = false; // nothing new to report until it is good again
        }
    }

    public boolean held(final int channel)
    {
        return state[channel] == UNREACHABLE || state[channel] == ALARM;
    }

    /** At a Tick: good channels whose last measurement is too old become stale. */
    public void checkStale(final long nowNs, final long staleAfterNs)
    {
        for (int i = 0; i < state.length; i++)
        {
            if (state[i] == GOOD && stale(lastGoodAtNs[i], nowNs, staleAfterNs))
            {
                state[i] = STALE;
                changed[i] = true;
                badCount[i]++;
                staleEpisodes++;
            }
        }
    }

    public boolean ok(final int channel)
    {
        return state[channel] == GOOD;
    }

    public byte state(final int channel)
    {
        return state[channel];
    }

    /** Whether the channel changed state since the last {@link #clearChanged}. */
    public boolean changed(final int channel)
    {
        return changed[channel];
    }

    public void clearChanged(final int channel)
    {
        changed[channel] = false;
    }

    public long lastGoodAtNs(final int channel)
    {
        return lastGoodAtNs[channel];
    }

    public int badCount(final int channel)
    {
        return badCount[channel];
    }

    public int channels()
    {
        return state.length;
    }

    public long staleEpisodes()
    {
        return staleEpisodes;
    }

    public long invalidMeasurements()
    {
        return invalidMeasurements;
    }

    /** Times a channel was held because its adapter reported the device unreachable or in alarm. */
    public long heldEpisodes()
    {
        return heldEpisodes;
    }

    void snapshot(final StateWriter out)
    {
        out.putInt(state.length).putLong(staleEpisodes).putLong(invalidMeasurements).putLong(heldEpisodes);
        for (int i = 0; i < state.length; i++)
        {
            out.putByte(state[i]).putLong(lastGoodAtNs[i]).putInt(badCount[i]).putBoolean(changed[i]);
        }
    }

    void restore(final StateReader in)
    {
        final int count = in.getInt();
        if (count != state.length)
        {
            throw new IllegalStateException("snapshot has " + count + " measurement channels, this configuration " + state.length);
        }
        staleEpisodes = in.getLong();
        invalidMeasurements = in.getLong();
        heldEpisodes = in.getLong();
        for (int i = 0; i < count; i++)
        {
            state[i] = in.getByte();
            lastGoodAtNs[i] = in.getLong();
            badCount[i] = in.getInt();
            changed[i] = in.getBoolean();
        }
    }
}
