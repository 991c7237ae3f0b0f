package kr.sejong.city.core.loops.mobility;

import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Every ride request the dispatch loop knows, in flat arrays indexed by slot: what was asked, where it stands,
 * the answer given. A request that has ended (delivered, rejected, cancelled) is kept for {@link #retainNs} so
 * that a repeated request id gets the same answer again, then its slot is reused. The arrays grow (doubling)
 * when every slot is taken; nothing else allocates.
 */
final class RideBook
{
    static final int FREE = 0;
    /** Accepted, on a shuttle's plan, not yet picked up. */
    static final int ASSIGNED = 1;
    static final int ON_BOARD = 2;
    static final int DELIVERED = 3;
    static final int REJECTED = 4;
    static final int CANCELLED = 5;

    private final long retainNs;
    private final Long2LongHashMap slotById = new Long2LongHashMap(-1);

    int capacity;
    long[] id;
    long[] rider;
    int[] origin;        // stop node index
    int[] destination;   // stop node index
    long[] earliestNs;
    long[] boardNotBeforeNs; // the earliest pickup, or later when the plan holds the rider's boarding to keep a promise
    long[] latestPickupNs;
    long[] maxRideNs;
    int[] party;
    int[] wheelchairs;
    int[] state;
    int[] shuttle;       // shuttle index while assigned or on board, else -1
    long[] pickupNs;     // planned, then actual once on board
    long[] dropoffNs;    // planned, then actual once delivered
    long[] sentPickupNs; // ETAs in the last RideAssignment sent
    long[] sentDropoffNs;
    int[] sentShuttle;
    int[] rejectReason;
    long[] requestedNs;
    long[] content;      // digest of what was asked, to tell a repeat from another ride under the same id

    private int[] freeSlots;
    private int freeCount;
    /** Ended slots in the order they ended (so in expiry order), with their expiry. */
    private int[] endedSlots;
    private long[] endedExpiryNs;
    private int endedHead;
    private int endedCount;

    RideBook(final int initialCapacity, final long retainNs)
    {
        this.retainNs = retainNs;
        allocate(initialCapacity);
        for (int i = initialCapacity - 1; i >= 0; i--)
        {
            freeSlots[freeCount++] = i;
        }
    }

    private void allocate(final int newCapacity)
    {
        id = grow(id, newCapacity);
        rider = grow(rider, newCapacity);
        origin = grow(origin, newCapacity);
        destination = grow(destination, newCapacity);
        earliestNs = grow(earliestNs, newCapacity);
        boardNotBeforeNs = grow(boardNotBeforeNs, newCapacity);
        latestPickupNs = grow(latestPickupNs, newCapacity);
        maxRideNs = grow(maxRideNs, newCapacity);
        party = grow(party, newCapacity);
        wheelchairs = grow(wheelchairs, newCapacity);
        state = grow(state, newCapacity);
        shuttle = grow(shuttle, newCapacity);
        pickupNs = grow(pickupNs, newCapacity);
        dropoffNs = grow(dropoffNs, newCapacity);
        sentPickupNs = grow(sentPickupNs, newCapacity);
        sentDropoffNs = grow(sentDropoffNs, newCapacity);
        sentShuttle = grow(sentShuttle, newCapacity);
        rejectReason = grow(rejectReason, newCapacity);
        requestedNs = grow(requestedNs, newCapacity);
        content = grow(content, newCapacity);
        freeSlots = grow(freeSlots, newCapacity);
        final int[] oldEnded = endedSlots;
        final long[] oldExpiry = endedExpiryNs;
        endedSlots = new int[newCapacity];
        endedExpiryNs = new long[newCapacity];
        for (int i = 0; i < endedCount; i++)
        {
            endedSlots[i] = oldEnded[(endedHead + i) % oldEnded.length];
            endedExpiryNs[i] = oldExpiry[(endedHead + i) % oldEnded.length];
        }
        endedHead = 0;
        capacity = newCapacity;
    }

    private static long[] grow(final long[] array, final int length)
    {
        return array == null ? new long[length] : Arrays.copyOf(array, length);
    }

    private static int[] grow(final int[] array, final int length)
    {
        return array == null ? new int[length] : Arrays.copyOf(array, length);
    }

    /** Slot of a request id, -1 when unknown (never seen, or forgotten after its retention). */
    int slotOf(final long requestId)
    {
        return (int)slotById.get(requestId);
    }

    /** A fresh slot for a new request id. */
    int add(final long requestId)
    {
        if (freeCount == 0)
        {
            final int old = capacity;
            allocate(old * 2);
            for (int i = capacity - 1; i >= old; i--)
            {
                freeSlots[freeCount++] = i;
            }
        }
        final int slot = freeSlots[--freeCount];
        id[slot] = requestId;
        state[slot] = FREE;
        shuttle[slot] = -1;
        sentShuttle[slot] = -1;
        pickupNs[slot] = 0;
        dropoffNs[slot] = 0;
        sentPickupNs[slot] = 0;
        sentDropoffNs[slot] = 0;
        rejectReason[slot] = 0;
        maxRideNs[slot] = 0;
        slotById.put(requestId, slot);
        return slot;
    }

    /** The request has ended with {@code endState}: kept for repeats until the retention passes. */
    void end(final int slot, final int endState, final long nowNs)
    {
        state[slot] = endState;
        shuttle[slot] = -1;
        final int tail = (endedHead + endedCount) % endedSlots.length;
        endedSlots[tail] = slot;
        endedExpiryNs[tail] = nowNs + retainNs;
        endedCount++;
    }

    /** Forget ended requests whose retention has passed. */
    void expire(final long nowNs)
    {
        while (endedCount > 0 && endedExpiryNs[endedHead] <= nowNs)
        {
            final int slot = endedSlots[endedHead];
            slotById.remove(id[slot]);
            state[slot] = FREE;
            freeSlots[freeCount++] = slot;
            endedHead = (endedHead + 1) % endedSlots.length;
            endedCount--;
        }
    }

    /** Requests known now (open and retained). */
    int size()
    {
        return capacity - freeCount;
    }

    void snapshot(final StateWriter out)
    {
        out.putInt(capacity);
        out.putInt(size());
        for (int slot = 0; slot < capacity; slot++)
        {
            if (slotById.get(id[slot]) != slot)
            {
                continue;
            }
            out.putInt(slot).putLong(id[slot]).putLong(rider[slot]).putInt(origin[slot]).putInt(destination[slot])
                .putLong(earliestNs[slot]).putLong(boardNotBeforeNs[slot]).putLong(latestPickupNs[slot]).putLong(maxRideNs[slot])
                .putInt(party[slot]).putInt(wheelchairs[slot]).putInt(state[slot]).putInt(shuttle[slot])
                .putLong(pickupNs[slot]).putLong(dropoffNs[slot]).putLong(sentPickupNs[slot]).putLong(sentDropoffNs[slot])
                .putInt(sentShuttle[slot]).putInt(rejectReason[slot]).putLong(requestedNs[slot]).putLong(content[slot]);
        }
        // the free list in its order: the next slot taken must be the same one after a restore
        out.putInt(freeCount);
        for (int i = 0; i < freeCount; i++)
        {
            out.putInt(freeSlots[i]);
        }
        out.putInt(endedCount);
        for (int i = 0; i < endedCount; i++)
        {
            final int at = (endedHead + i) % endedSlots.length;
            out.putInt(endedSlots[at]).putLong(endedExpiryNs[at]);
        }
    }

    void restore(final StateReader in)
    {
        final int savedCapacity = in.getInt();
        if (savedCapacity != capacity)
        {
            // exactly the saved book, also in a loop whose book has grown since: its free slots are the saved ones
            endedCount = 0;
            allocate(savedCapacity);
        }
        slotById.clear();
        final int count = in.getInt();
        for (int i = 0; i < count; i++)
        {
            final int slot = in.getInt();
            id[slot] = in.getLong();
            rider[slot] = in.getLong();
            origin[slot] = in.getInt();
            destination[slot] = in.getInt();
            earliestNs[slot] = in.getLong();
            boardNotBeforeNs[slot] = in.getLong();
            latestPickupNs[slot] = in.getLong();
            maxRideNs[slot] = in.getLong();
            party[slot] = in.getInt();
            wheelchairs[slot] = in.getInt();
            state[slot] = in.getInt();
            shuttle[slot] = in.getInt();
            pickupNs[slot] = in.getLong();
            dropoffNs[slot] = in.getLong();
            sentPickupNs[slot] = in.getLong();
            sentDropoffNs[slot] = in.getLong();
            sentShuttle[slot] = in.getInt();
            rejectReason[slot] = in.getInt();
            requestedNs[slot] = in.getLong();
            content[slot] = in.getLong();
            slotById.put(id[slot], slot);
        }
        freeCount = in.getInt();
        for (int i = 0; i < freeCount; i++)
        {
            freeSlots[i] = in.getInt();
            state[freeSlots[i]] = FREE;
        }
        endedHead = 0;
        endedCount = in.getInt();
        for (int i = 0; i < endedCount; i++)
        {
            endedSlots[i] = in.getInt();
            endedExpiryNs[i] = in.getLong();
        }
    }
}
