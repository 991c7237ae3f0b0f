package kr.sejong.city.core.journal;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.StateSnapshotDecoder;
import kr.sejong.city.codecs.StateSnapshotEncoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loop state snapshots, kept in their own queue of the journal ({@code DATA/journal/snapshots}): one
 * StateSnapshot entry per loop, all entries of a snapshot with the same sequence (the last input the
 * state includes). A replay or a restart starts from the latest snapshot instead of from the beginning.
 */
public final class Snapshots
{
    public static final String QUEUE = "snapshots";

    private Snapshots()
    {
    }

    public static Path dir(final Path dataDir)
    {
        return dataDir.resolve(Journal.DIRECTORY).resolve(QUEUE);
    }

    /** One loop's state in a snapshot; stateVersion is 0 for snapshots written before versions were kept. */
    public record LoopState(String name, int stateVersion, byte[] state, byte[] stateSha256)
    {
    }

    /** A complete snapshot: every loop's state after input {@code sequence}. */
    public record Snapshot(long sequence, long timeNs, long egressSequence, byte[] configSha256, List<LoopState> loops)
    {
        /** The state digest (see {@link StateDigest}). */
        public String digest()
        {
            return StateDigest.of(loops.stream().map(LoopState::name).toList(),
                loops.stream().map(LoopState::stateSha256).toList());
        }

        /** Whether these loops (names, order, state layout versions) can be restored from this snapshot. */
        public boolean fits(final List<ControlLoop> fresh)
        {
            if (fresh.size() != loops.size())
            {
                return false;
            }
            for (int i = 0; i < loops.size(); i++)
            {
                if (!fresh.get(i).name().equals(loops.get(i).name()) || fresh.get(i).stateVersion() != loops.get(i).stateVersion())
                {
                    return false;
                }
            }
            return true;
        }

        /** Restore {@code fresh} loops (same names, same order, same state versions) from this snapshot. */
        public void restore(final List<ControlLoop> fresh)
        {
            if (!fits(fresh))
            {
                throw new IllegalStateException("snapshot at " + sequence + " does not fit these loops (names, order or state versions)");
            }
            if (fresh.size() != loops.size())
            {
                throw new IllegalStateException("snapshot at " + sequence + " holds " + loops.size() + " loops, the node runs "
                    + fresh.size());
            }
            final StateReader reader = new StateReader();
            for (int i = 0; i < loops.size(); i++)
            {
                final LoopState state = loops.get(i);
                final ControlLoop loop = fresh.get(i);
                if (!loop.name().equals(state.name()))
                {
                    throw new IllegalStateException("snapshot at " + sequence + " has loop '" + state.name() + "' where the node runs '"
                        + loop.name() + "'");
                }
                reader.wrap(new UnsafeBuffer(state.state()), 0, state.state().length);
                loop.restore(reader);
                if (reader.remaining() != 0)
                {
                    throw new IllegalStateException("loop '" + loop.name() + "' left " + reader.remaining()
                        + " bytes of its snapshot at " + sequence + " unread");
                }
            }
        }
    }

    /** Appends snapshots; use from one thread (Chronicle appenders belong to a thread). */
    public static final class Writer implements AutoCloseable
    {
        private final ExcerptAppender appender;
        private final StateWriter state = new StateWriter();
        private final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(4096);
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final StateSnapshotEncoder encoder = new StateSnapshotEncoder();

        public Writer(final ChronicleQueue queue)
        {
            this.appender = queue.createAppender();
        }

        /** Snapshot every loop's current state; returns the bytes appended. Allocates (names, digests): not for every input. */
        public long write(final long sequence, final long timeNs, final long egressSequence, final byte[] configSha256,
            final List<ControlLoop> loops)
        {
            long bytes = 0;
            for (int i = 0; i < loops.size(); i++)
            {
                final ControlLoop loop = loops.get(i);
                state.reset();
                loop.snapshot(state);
                final byte[] name = loop.name().getBytes(StandardCharsets.UTF_8);
                final byte[] stateSha = StateDigest.sha256(state.buffer().byteArray(), 0, state.length());
                entry.checkLimit(MessageHeaderEncoder.ENCODED_LENGTH + StateSnapshotEncoder.BLOCK_LENGTH + 2 + name.length
                    + 4 + state.length());
                encoder.wrapAndApplyHeader(entry, 0, header)
                    .sequence(sequence)
                    .timeNs(timeNs)
                    .egressSequence(egressSequence)
                    .loopIndex(i)
                    .loopCount(loops.size())
                    .putConfigSha256(configSha256, 0, StateSnapshotEncoder.configSha256Length())
                    .putStateSha256(stateSha, 0, StateSnapshotEncoder.stateSha256Length())
                    .stateVersion(loop.stateVersion())
                    .putLoopName(name, 0, name.length)
                    .putState(state.buffer(), 0, state.length());
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(entry.byteArray(), 0, length);
                }
                bytes += length;
            }
            return bytes;
        }

        @Override
        public void close()
        {
            appender.close();
        }
    }

    /**
     * The latest complete snapshot taken with this configuration at or before {@code maxSequence} that
     * these loops can be restored from (names, order and state versions), or null when there is none.
     */
    public static Snapshot latest(final Path dataDir, final byte[] configSha256, final long maxSequence, final List<ControlLoop> loops)
    {
        return latest(dataDir, configSha256, maxSequence, snapshot -> snapshot.fits(loops));
    }

    /**
     * The latest complete snapshot taken with this configuration at or before {@code maxSequence}, or
     * null when there is none.
     */
    public static Snapshot latest(final Path dataDir, final byte[] configSha256, final long maxSequence)
    {
        return latest(dataDir, configSha256, maxSequence, snapshot -> true);
    }

    private static Snapshot latest(final Path dataDir, final byte[] configSha256, final long maxSequence,
        final java.util.function.Predicate<Snapshot> usable)
    {
        final Path dir = dir(dataDir);
        if (!Files.isDirectory(dir))
        {
            return null;
        }
        Snapshot latest = null;
        try (ChronicleQueue queue = Journal.openForRead(dir); ExcerptTailer tailer = queue.createTailer())
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final StateSnapshotDecoder decoder = new StateSnapshotDecoder();
            final List<LoopState> group = new ArrayList<>();
            long groupSequence = Long.MIN_VALUE;
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final int length = (int)bytes.readRemaining();
                    buffer.checkLimit(length);
                    bytes.read(buffer.byteArray(), 0, length);
                }
                header.wrap(buffer, 0);
                if (header.templateId() != StateSnapshotDecoder.TEMPLATE_ID)
                {
                    continue;
                }
                decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                final long sequence = decoder.sequence();
                final long timeNs = decoder.timeNs();
                final long egressSequence = decoder.egressSequence();
                final int loopIndex = decoder.loopIndex();
                final int loopCount = decoder.loopCount();
                final byte[] config = new byte[32];
                decoder.getConfigSha256(config, 0, config.length);
                final byte[] stateSha = new byte[32];
                decoder.getStateSha256(stateSha, 0, stateSha.length);
                final int stateVersion = decoder.stateVersion() == StateSnapshotDecoder.stateVersionNullValue() ? 0 : decoder.stateVersion();
                final String name = decoder.loopName();
                final byte[] state = new byte[decoder.stateLength()];
                decoder.getState(state, 0, state.length);
                if (loopIndex == 0)
                {
                    group.clear();
                    groupSequence = sequence;
                }
                if (sequence != groupSequence || loopIndex != group.size())
                {
                    group.clear(); // an incomplete snapshot (the node stopped while writing it)
                    groupSequence = Long.MIN_VALUE;
                    continue;
                }
                if (!Arrays.equals(stateSha, StateDigest.sha256(state, 0, state.length)))
                {
                    group.clear(); // damaged: never restore from it
                    groupSequence = Long.MIN_VALUE;
                    continue;
                }
                group.add(new LoopState(name, stateVersion, state, stateSha));
                if (group.size() == loopCount && Arrays.equals(config, configSha256) && sequence <= maxSequence)
                {
                    final Snapshot candidate = new Snapshot(sequence, timeNs, egressSequence, config, List.copyOf(group));
                    if (usable.test(candidate))
                    {
                        latest = candidate;
                    }
                }
            }
        }
        return latest;
    }
}
