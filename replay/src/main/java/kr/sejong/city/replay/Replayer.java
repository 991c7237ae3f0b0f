package kr.sejong.city.replay;

import kr.sejong.city.codecs.ConfigSnapshotDecoder;
import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigException;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.journal.ChainHash;
import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.journal.JournalLayout;
import kr.sejong.city.core.journal.JournalReader;
import kr.sejong.city.core.journal.Snapshots;
import kr.sejong.city.core.journal.StateDigest;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.LoopDispatcher;
import kr.sejong.city.core.runtime.OutputBuffer;
import kr.sejong.city.core.runtime.Rejects;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a recorded journal through fresh loops, exactly as the node ran them, and (with verify) compares
 * what they decide with the recorded egress, byte for byte; it also checks the journals' hash chains.
 * <p>
 * The configuration comes from the journal (its ConfigSnapshots), not from disk. Loop state carries over
 * a node restart with the same configuration and starts fresh with another, as the node does. A replay
 * from a point starts from the nearest earlier state snapshot of that configuration.
 */
public final class Replayer
{
    /** Progress of a long replay: called about four times a second. */
    @FunctionalInterface
    public interface Progress
    {
        Progress NONE = (done, total, ratePerS) -> { };

        void update(long done, long total, double ratePerS);
    }

    /** What to replay and how. */
    public static final class Options
    {
        private final Path dataDir;
        private Position from;
        private Position to;
        private boolean verify;
        private Function<CityConfig, List<ControlLoop>> loopFactory = Loops::create;
        private Progress progress = Progress.NONE;

        public Options(final Path dataDir)
        {
            this.dataDir = dataDir;
        }

        public Options from(final Position from) { this.from = from; return this; }
        public Options to(final Position to) { this.to = to; return this; }
        public Options verify(final boolean verify) { this.verify = verify; return this; }
        /** The loops for a configuration; the node's own (Loops::create) unless a test says otherwise. */
        public Options loopFactory(final Function<CityConfig, List<ControlLoop>> loopFactory) { this.loopFactory = loopFactory; return this; }
        public Options progress(final Progress progress) { this.progress = progress; return this; }
    }

    /** The first place where the replayed loops and the recorded egress disagree. */
    public record Divergence(long inputSequence, long egressSequence, String message, String expected, String actual, List<String> fields)
    {
        @Override
        public String toString()
        {
            return "divergence at input " + inputSequence + " (egress " + egressSequence + "), " + message + ":\n"
                + "  recorded: " + expected + "\n  replayed: " + actual + "\n  differing: " + String.join("; ", fields);
        }
    }

    /** A journal entry whose hash chain link is broken: edited or damaged. */
    public record ChainBreak(String journal, long sequence, String detail)
    {
        @Override
        public String toString()
        {
            return journal + " journal entry " + sequence + ": " + detail;
        }
    }

    /** What a replay did and found. */
    public record Result(
        long firstSequence,
        long lastSequence,
        long inputs,
        long outputs,
        long outputsCompared,
        Long startedFromSnapshot,
        String stateDigest,
        double wallSeconds,
        Divergence divergence,
        List<ChainBreak> chainBreaks,
        List<String> notes)
    {
        public double ratePerS()
        {
            return wallSeconds > 0 ? inputs / wallSeconds : 0;
        }

        /** Verified: no divergence and an unbroken chain. */
        public boolean ok()
        {
            return divergence == null && chainBreaks.isEmpty();
        }
    }

    private final Options options;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ConfigSnapshotDecoder configSnapshot = new ConfigSnapshotDecoder();
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final OutputBuffer output = new OutputBuffer();
    private final Rejects rejects = new Rejects();
    private final List<ChainBreak> chainBreaks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private List<ControlLoop> loops;
    private LoopDispatcher dispatcher;
    private byte[] epochSha;

    public Replayer(final Options options)
    {
        this.options = options;
    }

    public Result run()
    {
        final Path dataDir = options.dataDir;
        final Extent extent = extent(dataDir);
        final long fromSequence = options.from == null ? extent.first : resolve(dataDir, options.from, extent, "--from");
        final long toSequence = options.to == null ? extent.last : resolveEnd(dataDir, options.to, extent);
        if (toSequence < fromSequence)
        {
            throw new ReplayException("--to " + options.to + " is before --from " + options.from);
        }

        final long startNanos = System.nanoTime();
        Long startedFromSnapshot = null;
        long startSequence = extent.first;
        if (options.from != null && fromSequence > extent.first)
        {
            final Start start = startBefore(dataDir, fromSequence);
            startSequence = start.sequence;
            startedFromSnapshot = start.snapshot == null ? null : start.snapshot.sequence();
        }

        final EgressCursor egress = options.verify ? new EgressCursor(dataDir, chainBreaks) : null;
        long inputs = 0;
        long outputs = 0;
        Divergence divergence = null;
        long lastReplayed = startSequence - 1;
        final ChainHash chain = new ChainHash().continueFrom(null);
        final long total = toSequence - startSequence + 1;
        long nextProgressNanos = startNanos;
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() != null)
                {
                    notes.add("ingress entry after sequence " + lastReplayed + " skipped: " + reader.damage());
                    continue;
                }
                final IngressRecordDecoder record = reader.ingressRecord();
                final long sequence = record.sequence();
                if (JournalLayout.ingressHasChain(reader.blockLength()))
                {
                    if (!chain.verify(reader.entryBuffer().byteArray(), reader.entryLength(), JournalLayout.INGRESS_CHAIN_OFFSET))
                    {
                        chainBreaks.add(new ChainBreak("ingress", sequence, "its chain hash does not follow from its bytes and its predecessor's"
                            + " (edited or damaged)"));
                    }
                }
                if (sequence < startSequence)
                {
                    continue;
                }
                if (sequence > toSequence)
                {
                    break;
                }
                final long timeNs = record.timeNs();
                output.reset();
                record.wrapFrame(frame);
                if (record.kind() == JournalRecordKind.REJECTED)
                {
                    final RejectReason reason = record.rejectReason();
                    final int length = rejects.encode(sequence, reason, frame, frame.capacity(), record.receivedLength());
                    final int offset = output.claim(length);
                    output.buffer().putBytes(offset, rejects.buffer(), 0, length);
                    output.commit(length);
                }
                else
                {
                    onEpochBoundary(sequence, frame);
                    dispatcher.dispatch(sequence, timeNs, frame, 0, frame.capacity(), output);
                }
                inputs++;
                outputs += output.count();
                lastReplayed = sequence;
                if (egress != null && divergence == null)
                {
                    divergence = egress.compare(sequence, output);
                    if (divergence != null)
                    {
                        break;
                    }
                }
                if ((inputs & 0x3FF) == 0)
                {
                    final long now = System.nanoTime();
                    if (now >= nextProgressNanos)
                    {
                        options.progress.update(inputs, total, inputs / ((now - startNanos) / 1e9));
                        nextProgressNanos = now + 250_000_000L;
                    }
                }
            }
        }
        if (egress != null)
        {
            egress.close();
        }
        final double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        options.progress.update(inputs, total, inputs / Math.max(wallSeconds, 1e-9));
        final String digest = loops == null ? StateDigest.of(List.of(), new StateWriter()) : StateDigest.of(loops, new StateWriter());
        return new Result(startSequence, lastReplayed, inputs, outputs, egress == null ? 0 : egress.compared, startedFromSnapshot,
            digest, wallSeconds, divergence, List.copyOf(chainBreaks), List.copyOf(notes));
    }

    /**
     * A ConfigSnapshot starts a run of the node: with the same configuration as the epoch, the loops
     * carry on (the node rebuilt their state when it restarted); with another, they start fresh.
     */
    private void onEpochBoundary(final long sequence, final DirectBuffer frame)
    {
        header.wrap(frame, 0);
        if (header.templateId() == ConfigSnapshotDecoder.TEMPLATE_ID)
        {
            configSnapshot.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            final byte[] sha = new byte[32];
            configSnapshot.getConfigSha256(sha, 0, sha.length);
            if (loops == null || !Arrays.equals(sha, epochSha))
            {
                startEpoch(sequence, sha, configOf(sequence, configSnapshot));
            }
        }
        else if (loops == null)
        {
            throw new ReplayException("the journal has no ConfigSnapshot before input " + sequence
                + ": a replay cannot know which configuration the loops ran with");
        }
    }

    private void startEpoch(final long sequence, final byte[] sha, final CityConfig config)
    {
        epochSha = sha;
        loops = options.loopFactory.apply(config);
        dispatcher = new LoopDispatcher(loops, LoopDispatcher.Listener.NONE);
    }

    private static CityConfig configOf(final long sequence, final ConfigSnapshotDecoder snapshot)
    {
        final int version = snapshot.schemaVersion(); // read in schema order: fixed fields, then var data
        final byte[] sha = new byte[32];
        snapshot.getConfigSha256(sha, 0, sha.length);
        final String source = snapshot.source();
        final byte[] yaml = new byte[snapshot.configYamlLength()];
        snapshot.getConfigYaml(yaml, 0, yaml.length);
        if (!Arrays.equals(sha, StateDigest.sha256(yaml, 0, yaml.length)))
        {
            throw new ReplayException("the ConfigSnapshot at sequence " + sequence + " does not match its own hash (damaged)");
        }
        try
        {
            return ConfigLoader.parse(Path.of(source.isEmpty() ? "config-snapshot-" + sequence : source), yaml).config();
        }
        catch (final ConfigException ex)
        {
            throw new ReplayException("the configuration journaled at sequence " + sequence + " (schema version " + version
                + ") no longer reads with this build: " + ex.getMessage());
        }
    }

    /** Where a replay from {@code fromSequence} starts: after the nearest earlier snapshot of its epoch, or at the epoch's start. */
    private Start startBefore(final Path dataDir, final long fromSequence)
    {
        // find the epoch of fromSequence and the configuration it ran with
        long epochStart = -1;
        byte[] sha = null;
        CityConfig config = null;
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() != null)
                {
                    continue;
                }
                final IngressRecordDecoder record = reader.ingressRecord();
                final long sequence = record.sequence();
                if (sequence > fromSequence)
                {
                    break;
                }
                if (record.kind() != JournalRecordKind.INPUT)
                {
                    continue;
                }
                record.wrapFrame(frame);
                header.wrap(frame, 0);
                if (header.templateId() == ConfigSnapshotDecoder.TEMPLATE_ID)
                {
                    configSnapshot.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                    final byte[] next = new byte[32];
                    configSnapshot.getConfigSha256(next, 0, next.length);
                    if (sha == null || !Arrays.equals(next, sha))
                    {
                        epochStart = sequence;
                        sha = next;
                        config = configOf(sequence, configSnapshot);
                    }
                }
            }
        }
        if (sha == null)
        {
            throw new ReplayException("the journal has no ConfigSnapshot before sequence " + fromSequence
                + ": a replay cannot know which configuration the loops ran with");
        }
        startEpoch(epochStart, sha, config);
        final Snapshots.Snapshot snapshot = Snapshots.latest(dataDir, sha, fromSequence - 1, loops);
        if (snapshot != null && snapshot.sequence() >= epochStart)
        {
            snapshot.restore(loops);
            notes.add("started from the state snapshot at sequence " + snapshot.sequence() + " (digest " + snapshot.digest() + ")");
            return new Start(snapshot.sequence() + 1, snapshot);
        }
        notes.add("no state snapshot before sequence " + fromSequence + ": started at the run's beginning, sequence " + epochStart);
        return new Start(epochStart, null);
    }

    private record Start(long sequence, Snapshots.Snapshot snapshot)
    {
    }

    /** First and last sequence of the ingress journal, and their times. */
    private record Extent(long first, long firstTimeNs, long last, long lastTimeNs)
    {
    }

    static Extent extent(final Path dataDir)
    {
        if (!Files.isDirectory(dataDir))
        {
            throw new ReplayException(dataDir + " is not a directory");
        }
        if (!Files.isDirectory(Journal.ingressDir(dataDir)))
        {
            throw new ReplayException(dataDir + " is not a node's data directory: it has no journal (expected "
                + Journal.ingressDir(dataDir) + ")");
        }
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            long first = -1;
            long firstTime = 0;
            while (reader.next())
            {
                if (reader.damage() == null)
                {
                    first = reader.ingressRecord().sequence();
                    firstTime = reader.ingressRecord().timeNs();
                    break;
                }
                if (reader.damage().contains("schema version"))
                {
                    throw new ReplayException("the journal in " + dataDir + " was written with another schema: " + reader.damage());
                }
                throw new ReplayException("the journal in " + dataDir + " does not start with a readable record: " + reader.damage());
            }
            if (first < 0)
            {
                throw new ReplayException("the journal in " + dataDir + " is empty");
            }
            long last = first;
            long lastTime = firstTime;
            try (JournalReader tail = JournalReader.ingress(dataDir))
            {
                if (tail.last())
                {
                    if (tail.damage() == null)
                    {
                        last = tail.ingressRecord().sequence();
                        lastTime = tail.ingressRecord().timeNs();
                    }
                    else
                    {
                        // a torn last entry: take the last whole one
                        while (reader.next())
                        {
                            if (reader.damage() == null)
                            {
                                last = reader.ingressRecord().sequence();
                                lastTime = reader.ingressRecord().timeNs();
                            }
                        }
                    }
                }
            }
            return new Extent(first, firstTime, last, lastTime);
        }
    }

    private static long resolve(final Path dataDir, final Position position, final Extent extent, final String option)
    {
        if (position.isSequence())
        {
            if (position.sequence() > extent.last || position.sequence() < extent.first)
            {
                throw new ReplayException(option + " " + position + " is outside the journal (sequences " + extent.first + " to "
                    + extent.last + ")");
            }
            return position.sequence();
        }
        if (position.timeNs() > extent.lastTimeNs || position.timeNs() < extent.firstTimeNs && "--to".equals(option))
        {
            throw new ReplayException(option + " " + position + " is outside the journal (" + Position.ofTime(extent.firstTimeNs)
                + " to " + Position.ofTime(extent.lastTimeNs) + ")");
        }
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() == null && reader.ingressRecord().timeNs() >= position.timeNs())
                {
                    return reader.ingressRecord().sequence();
                }
            }
        }
        return extent.last;
    }

    private static long resolveEnd(final Path dataDir, final Position position, final Extent extent)
    {
        if (position.isSequence())
        {
            return resolve(dataDir, position, extent, "--to");
        }
        if (position.timeNs() < extent.firstTimeNs)
        {
            throw new ReplayException("--to " + position + " is before the journal begins (" + Position.ofTime(extent.firstTimeNs) + ")");
        }
        long last = extent.first;
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() != null)
                {
                    continue;
                }
                if (reader.ingressRecord().timeNs() > position.timeNs())
                {
                    break;
                }
                last = reader.ingressRecord().sequence();
            }
        }
        return last;
    }

    /** Walks the recorded egress alongside the replay. */
    private static final class EgressCursor implements AutoCloseable
    {
        private final JournalReader reader;
        private final List<ChainBreak> chainBreaks;
        private final ChainHash chain = new ChainHash().continueFrom(null);
        private final UnsafeBuffer recorded = new UnsafeBuffer(0, 0);
        private final UnsafeBuffer replayed = new UnsafeBuffer(0, 0);
        private boolean pending;
        private boolean positioned;
        private long compared;
        private Divergence divergence;
        private long inputSequence;
        private long nextEgressSequence = -1;

        EgressCursor(final Path dataDir, final List<ChainBreak> chainBreaks)
        {
            this.chainBreaks = chainBreaks;
            this.reader = Files.isDirectory(Journal.egressDir(dataDir)) ? JournalReader.egress(dataDir) : null;
        }

        /** Move to the next whole egress record (verifying the chain); false at the end. */
        private boolean advance()
        {
            while (reader != null && reader.next())
            {
                if (reader.damage() != null)
                {
                    continue;
                }
                final EgressRecordDecoder record = reader.egressRecord();
                if (JournalLayout.egressHasChain(reader.blockLength())
                    && !chain.verify(reader.entryBuffer().byteArray(), reader.entryLength(), JournalLayout.EGRESS_CHAIN_OFFSET))
                {
                    chainBreaks.add(new ChainBreak("egress", record.egressSequence(),
                        "its chain hash does not follow from its bytes and its predecessor's (edited or damaged)"));
                }
                return true;
            }
            return false;
        }

        /** Compare the outputs of one input with the recorded ones. */
        Divergence compare(final long sequence, final OutputBuffer output)
        {
            inputSequence = sequence;
            divergence = null;
            if (!positioned)
            {
                // a replay from a snapshot: the recorded outputs of earlier inputs are not compared
                pending = advance();
                while (pending && reader.egressRecord().inputSequence() < sequence)
                {
                    pending = advance();
                }
                positioned = true;
            }
            output.forEach(this::compareOne);
            if (divergence == null && pending && reader.egressRecord().inputSequence() <= sequence)
            {
                final EgressRecordDecoder record = reader.egressRecord();
                final long egressSequence = record.egressSequence();
                final long input = record.inputSequence();
                record.wrapFrame(recorded);
                final String expected = FrameDiff.describe(recorded, 0, recorded.capacity());
                divergence = new Divergence(input, egressSequence, FrameDiff.messageName(recorded, 0, recorded.capacity()), expected,
                    "(nothing: the replayed loops did not make it)", List.of("an output the replay did not make"));
            }
            return divergence;
        }

        private void compareOne(final DirectBuffer buffer, final int offset, final int length)
        {
            if (divergence != null)
            {
                return;
            }
            replayed.wrap(buffer, offset, length);
            if (!pending || reader.egressRecord().inputSequence() != inputSequence)
            {
                divergence = new Divergence(inputSequence, pending ? reader.egressRecord().egressSequence() : nextEgressSequence,
                    FrameDiff.messageName(buffer, offset, length), "(nothing: the recorded run sent no such output)",
                    FrameDiff.describe(buffer, offset, length), List.of("an output the recorded run did not send"));
                return;
            }
            final EgressRecordDecoder record = reader.egressRecord();
            final long egressSequence = record.egressSequence();
            record.wrapFrame(recorded);
            compared++;
            if (recorded.capacity() != length || recorded.compareTo(replayed) != 0)
            {
                final String expected = FrameDiff.describe(recorded, 0, recorded.capacity());
                final String actual = FrameDiff.describe(buffer, offset, length);
                divergence = new Divergence(inputSequence, egressSequence, FrameDiff.messageName(recorded, 0, recorded.capacity()),
                    expected, actual, FrameDiff.differingFields(expected, actual));
                return;
            }
            nextEgressSequence = egressSequence + 1;
            pending = advance();
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

    static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }
}
