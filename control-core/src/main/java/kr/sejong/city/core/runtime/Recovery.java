package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.ConfigSnapshotDecoder;
import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.journal.JournalLayout;
import kr.sejong.city.core.journal.JournalReader;
import kr.sejong.city.core.journal.Snapshots;
import kr.sejong.city.core.loop.ControlLoop;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a (re)starting node finds in its data directory, and the loop state it rebuilds from it.
 * <p>
 * Epochs: loop state carries over a restart when the node starts with the configuration of the
 * journal's latest ConfigSnapshot (same SHA-256); with another configuration the loops start fresh.
 * Carrying over means: restore the latest snapshot of this epoch, then run the journal's tail after it
 * through the loops. The tail's outputs that are already in the egress journal are checked byte for byte
 * against it (a difference means a loop is not deterministic, and start-up fails); outputs the egress
 * journal lacks (the node died between journaling an input and journaling what it decided) are sent
 * now. The sequence then continues without a gap or a repeat. A torn last entry (a write cut short by
 * the crash) is reported and skipped; Chronicle writes the next entry after it.
 */
final class Recovery
{
    /** What was found and done. */
    record Result(
        long nextSequence,
        long lastTimeNs,
        byte[] ingressChain,
        EgressWriter egress,
        boolean carriedOver,
        long restoredFromSequence,
        long replayedInputs,
        long reemittedOutputs,
        List<String> notes)
    {
    }

    private Recovery()
    {
    }

    static Result run(
        final Path dataDir,
        final List<ControlLoop> loops,
        final byte[] configSha256,
        final EgressWriterFactory egressWriters)
    {
        final List<String> notes = new ArrayList<>();
        // pass 1, ingress: where the journal ends and which configuration epoch it is in
        long lastSequence = -1;
        long lastTimeNs = 0;
        byte[] ingressChain = null;
        byte[] epochSha = null;
        long epochStart = 0;
        if (Files.isDirectory(Journal.ingressDir(dataDir)))
        {
            final ConfigSnapshotDecoder config = new ConfigSnapshotDecoder();
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
            try (JournalReader reader = JournalReader.ingress(dataDir))
            {
                while (reader.next())
                {
                    if (reader.damage() != null)
                    {
                        notes.add("ingress journal entry after sequence " + lastSequence + " skipped: " + reader.damage());
                        continue;
                    }
                    final IngressRecordDecoder record = reader.ingressRecord();
                    lastSequence = record.sequence();
                    lastTimeNs = record.timeNs();
                    ingressChain = chainOf(reader, JournalLayout.ingressHasChain(reader.blockLength()), JournalLayout.INGRESS_CHAIN_OFFSET);
                    if (record.kind() == JournalRecordKind.INPUT)
                    {
                        record.wrapFrame(frame);
                        header.wrap(frame, 0);
                        if (header.templateId() == ConfigSnapshotDecoder.TEMPLATE_ID)
                        {
                            config.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                            epochSha = new byte[32];
                            config.getConfigSha256(epochSha, 0, epochSha.length);
                            epochStart = lastSequence;
                        }
                    }
                }
            }
        }

        // pass 1, egress: where it ends, and where the epoch's outputs begin
        long lastEgressSequence = -1;
        long epochEgressStart = -1;
        byte[] egressChain = null;
        if (Files.isDirectory(Journal.egressDir(dataDir)))
        {
            try (JournalReader reader = JournalReader.egress(dataDir))
            {
                while (reader.next())
                {
                    if (reader.damage() != null)
                    {
                        notes.add("egress journal entry after egress sequence " + lastEgressSequence + " skipped: " + reader.damage());
                        continue;
                    }
                    final EgressRecordDecoder record = reader.egressRecord();
                    lastEgressSequence = record.egressSequence();
                    egressChain = chainOf(reader, JournalLayout.egressHasChain(reader.blockLength()), JournalLayout.EGRESS_CHAIN_OFFSET);
                    if (epochEgressStart < 0 && record.inputSequence() >= epochStart)
                    {
                        epochEgressStart = lastEgressSequence;
                    }
                }
            }
        }
        if (epochEgressStart < 0)
        {
            epochEgressStart = lastEgressSequence + 1;
        }

        final EgressWriter egress = egressWriters.create(lastEgressSequence + 1, egressChain);
        final boolean carriedOver = lastSequence >= 0 && Arrays.equals(epochSha == null ? ControlNode.NO_CONFIG_SHA256 : epochSha,
            configSha256);
        long restoredFrom = -1;
        long replayed = 0;
        long reemitted = 0;
        if (carriedOver)
        {
            final Snapshots.Snapshot snapshot = Snapshots.latest(dataDir, configSha256, lastSequence, loops);
            final Snapshots.Snapshot newest = Snapshots.latest(dataDir, configSha256, lastSequence);
            if (newest != null && (snapshot == null || newest.sequence() > snapshot.sequence()))
            {
                notes.add("the snapshot at " + newest.sequence() + " was written by loops of another state layout and is not"
                    + " restored; the loops' state is rebuilt from " + (snapshot == null ? "the run's start" : "an earlier snapshot"));
            }
            long replayFrom = epochStart;
            long egressSequence = epochEgressStart;
            if (snapshot != null && snapshot.sequence() >= epochStart)
            {
                snapshot.restore(loops);
                restoredFrom = snapshot.sequence();
                replayFrom = snapshot.sequence() + 1;
                egressSequence = snapshot.egressSequence();
            }
            final long[] counts = replayTail(dataDir, loops, replayFrom, lastSequence, egressSequence, lastEgressSequence, egress);
            replayed = counts[0];
            reemitted = counts[1];
        }
        return new Result(lastSequence + 1, lastTimeNs, ingressChain, egress, carriedOver, restoredFrom, replayed, reemitted,
            List.copyOf(notes));
    }

    /** Makes the egress writer recovery re-sends lost outputs with (and the egress agent then continues). */
    @FunctionalInterface
    interface EgressWriterFactory
    {
        EgressWriter create(long firstEgressSequence, byte[] lastChain);
    }

    private static byte[] chainOf(final JournalReader reader, final boolean hasChain, final int chainOffset)
    {
        return hasChain ? Arrays.copyOfRange(reader.entryBuffer().byteArray(), chainOffset, chainOffset + 16) : null;
    }

    /** @return {inputs replayed, outputs re-emitted} */
    private static long[] replayTail(
        final Path dataDir,
        final List<ControlLoop> loops,
        final long fromSequence,
        final long toSequence,
        final long firstEgressSequence,
        final long lastJournaledEgress,
        final EgressWriter egress)
    {
        final LoopDispatcher dispatcher = new LoopDispatcher(loops, LoopDispatcher.Listener.NONE);
        final OutputBuffer output = new OutputBuffer();
        final Rejects rejects = new Rejects();
        final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
        final EgressCursor journaled = new EgressCursor(dataDir);
        long replayed = 0;
        long reemitted = 0;
        long egressSequence = firstEgressSequence;
        try (JournalReader reader = JournalReader.ingress(dataDir); journaled)
        {
            while (reader.next())
            {
                if (reader.damage() != null)
                {
                    continue;
                }
                final IngressRecordDecoder record = reader.ingressRecord();
                final long sequence = record.sequence();
                if (sequence < fromSequence)
                {
                    continue;
                }
                if (sequence > toSequence)
                {
                    break;
                }
                final long timeNs = record.timeNs();
                output.reset();
                if (record.kind() == JournalRecordKind.REJECTED)
                {
                    final var reason = record.rejectReason();
                    final int receivedLength = record.receivedLength();
                    record.wrapFrame(frame);
                    final int length = rejects.encode(sequence, reason, frame, frame.capacity(), receivedLength);
                    final int offset = output.claim(length);
                    output.buffer().putBytes(offset, rejects.buffer(), 0, length);
                    output.commit(length);
                }
                else
                {
                    record.wrapFrame(frame);
                    dispatcher.dispatch(sequence, timeNs, frame, 0, frame.capacity(), output);
                }
                replayed++;
                final long first = egressSequence;
                final long[] next = { egressSequence, 0 };
                output.forEach((buffer, offset, length) ->
                {
                    final long egressSeq = next[0]++;
                    if (egressSeq <= lastJournaledEgress)
                    {
                        journaled.requireSame(egressSeq, sequence, buffer, offset, length);
                    }
                    else
                    {
                        egress.emit(sequence, timeNs, 0, buffer, offset, length);
                        next[1]++;
                    }
                });
                egressSequence = first + output.count();
                reemitted += next[1];
            }
        }
        return new long[]{ replayed, reemitted };
    }

    /** Walks the egress journal alongside the replay to compare what the loops decide again with what was sent. */
    private static final class EgressCursor implements AutoCloseable
    {
        private final JournalReader reader;
        private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);

        EgressCursor(final Path dataDir)
        {
            reader = Files.isDirectory(Journal.egressDir(dataDir)) ? JournalReader.egress(dataDir) : null;
        }

        void requireSame(final long egressSequence, final long inputSequence, final DirectBuffer buffer, final int offset, final int length)
        {
            while (true)
            {
                if (reader == null || !reader.next())
                {
                    throw new IllegalStateException("recovery: egress " + egressSequence + " not found in the egress journal");
                }
                if (reader.damage() == null && reader.egressRecord().egressSequence() == egressSequence)
                {
                    break;
                }
            }
            final EgressRecordDecoder record = reader.egressRecord();
            record.wrapFrame(frame);
            final boolean same = record.inputSequence() == inputSequence && frame.capacity() == length
                && frame.compareTo(new UnsafeBuffer(buffer, offset, length)) == 0;
            if (!same)
            {
                throw new IllegalStateException("recovery: replaying input " + inputSequence + " gave another output (egress "
                    + egressSequence + ") than the journal holds: a loop is not deterministic; see `city replay --verify`");
            }
        }

        @Override
        public void close()
        {
            if (reader != null)
            {
                reader.close();
            }
        }
    }
}
