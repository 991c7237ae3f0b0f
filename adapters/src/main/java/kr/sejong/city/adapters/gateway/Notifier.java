package kr.sejong.city.adapters.gateway;

import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.journal.JournalReader;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers what the node decided to the business systems outside: Notifications and Dispatches to the
 * 112/119 agencies and hospitals, Settlements to the energy business system. It is an outbox over the
 * node's egress journal: each receiver has its own thread that reads the journal in egress order from just
 * after what the receiver has acknowledged ({@link DeliveryState}, kept on disk), POSTs each delivery meant
 * for it as JSON with an {@code Idempotency-Key} header, retries it with capped exponential backoff until
 * the receiver answers 2xx (or 409: it already has it), records that durably, and only then reads on. So a
 * receiver that was down gets every delivery, in order, and by deduplicating on the key (an attempt that
 * timed out may have arrived) exactly once in effect; a gateway that was stopped, or not running while the
 * node decided, resumes where each receiver stands.
 * <p>
 * Deliveries come from the journal only, not from the live Aeron egress: a live frame does not carry its
 * egress sequence, and one the node could not publish (no subscriber, a slow one) is in the journal but
 * not on the stream, so the stream cannot be matched to the journal frame for frame. Tailing the journal
 * (which the node appends before it publishes) has no hand-over to get wrong.
 * <p>
 * A 4xx other than 408, 409 and 429 is the receiver refusing the content: retrying cannot help, so the
 * delivery is counted as refused, logged, and the receiver's position moves on.
 */
public final class Notifier implements AutoCloseable
{
    /** How often a receiver that reads frames not meant for it records its progress while idle. */
    static final long PROGRESS_SAVE_MS = 5000;
    /** How far back a receiver looks for an incident it has not seen (decided before where it started). */
    static final int LOOK_BACK_ENTRIES = 1_000_000;
    /** Wait when the receiver has read all the journal holds: at most this much added to a delivery's latency. */
    private static final long IDLE_MS = 2;
    private static final String LOCK_FILE = "lock";

    /** One POST: its idempotency key and JSON body. */
    public record Delivery(String idempotencyKey, String json)
    {
    }

    private final List<Receiver> all = new ArrayList<>();
    private final HttpClient http;
    private final Path dataDir;
    private FileChannel lockChannel;
    private FileLock lock;

    /**
     * Resumes every receiver from its acknowledgement state and starts delivering.
     *
     * @param dataDir the node's data directory: its egress journal is read, and the acknowledgement state is
     *                kept in {@code gateway.notifications.stateDir} resolved against it.
     * @throws IllegalArgumentException naming the setting or path when the state folder or the journal is unusable.
     * @throws IllegalStateException    naming the file when a receiver's acknowledgement state is unreadable
     *                                  or does not belong to this journal.
     */
    public Notifier(final Gateway.Notifications config, final Path dataDir)
    {
        this.dataDir = dataDir;
        http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.retry().timeoutMs())).version(HttpClient.Version.HTTP_1_1).build();
        final Path stateDir = dataDir.resolve(config.stateDir() != null ? config.stateDir() : Gateway.Notifications.STATE_DIR_DEFAULT);
        for (final Gateway.Endpoint endpoint : config.endpoints())
        {
            all.add(new Receiver(endpoint.name(), URI.create(endpoint.url()), config.retry(),
                new Deliveries.Target(endpoint.agency(), endpoint.hospitalId(), false),
                new DeliveryState(stateDir, "endpoint-" + endpoint.name() + ".state", endpoint.name())));
        }
        if (config.settlement() != null)
        {
            all.add(new Receiver("settlement", URI.create(config.settlement()), config.retry(), new Deliveries.Target(null, null, true),
                new DeliveryState(stateDir, "settlement.state", "settlement")));
        }
        if (all.isEmpty())
        {
            return; // nobody to deliver to: no state, no journal needed
        }
        stateFolder(stateDir);
        final Path journal = Journal.egressDir(dataDir);
        if (!Files.isDirectory(journal))
        {
            release();
            throw new IllegalArgumentException("gateway: no egress journal at " + journal + ": notifications are delivered from the "
                + "node's egress journal (run the node on this data directory with its journal on)");
        }
        try
        {
            DeliveryState.Position end = null; // where receivers without a state start: one place for all of them
            for (final Receiver receiver : all)
            {
                end = receiver.resume(end);
            }
        }
        catch (final RuntimeException ex)
        {
            release();
            throw ex;
        }
        all.forEach(Receiver::start);
    }

    /** Per receiver: name, delivered, failed attempts, refused, the egress sequences acknowledged (on disk) and read. */
    public List<Map<String, Object>> status()
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Receiver receiver : all)
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", receiver.name);
            row.put("delivered", receiver.delivered.get());
            row.put("failedAttempts", receiver.failedAttempts.get());
            row.put("refused", receiver.refused.get());
            row.put("acknowledgedSequence", receiver.savedSequence);
            row.put("readSequence", receiver.readSequence);
            if (receiver.failure != null)
            {
                row.put("failure", receiver.failure);
            }
            out.add(row);
        }
        return out;
    }

    @Override
    public void close()
    {
        all.forEach(Receiver::stop);
        release();
    }

    /** Creates the state folder and takes its lock, so that two gateways never move the same receivers. */
    private void stateFolder(final Path stateDir)
    {
        try
        {
            Files.createDirectories(stateDir);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("gateway.notifications.stateDir: cannot create " + stateDir + ": " + ex, ex);
        }
        if (!Files.isWritable(stateDir))
        {
            throw new IllegalArgumentException("gateway.notifications.stateDir: " + stateDir + " is not writable");
        }
        try
        {
            lockChannel = FileChannel.open(stateDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        }
        catch (final IOException | OverlappingFileLockException ex)
        {
            lock = null;
        }
        if (lock == null)
        {
            release();
            throw new IllegalArgumentException("gateway.notifications.stateDir: " + stateDir + " is in use by another gateway");
        }
    }

    private void release()
    {
        try
        {
            if (lock != null)
            {
                lock.release();
            }
            if (lockChannel != null)
            {
                lockChannel.close();
            }
        }
        catch (final IOException ignore)
        {
            // closing: the lock goes with the channel or the process
        }
        lock = null;
        lockChannel = null;
    }

    private final class Receiver implements Runnable
    {
        final String name;
        final URI uri;
        final Gateway.Retry retry;
        final Deliveries deliveries;
        final DeliveryState state;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failedAttempts = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final Thread thread;
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(1024);
        final ExpandableArrayBuffer lookFrame = new ExpandableArrayBuffer(1024);
        volatile boolean running = true;
        volatile long savedSequence = -1;
        volatile long readSequence = -1;
        volatile String failure;
        DeliveryState.Position start;
        long savedAtMs;
        JournalReader lookBack;

        Receiver(final String name, final URI uri, final Gateway.Retry retry, final Deliveries.Target target, final DeliveryState state)
        {
            this.name = name;
            this.uri = uri;
            this.retry = retry;
            this.deliveries = new Deliveries(target);
            this.state = state;
            this.thread = new Thread(this, "gateway-notify-" + name);
            this.thread.setDaemon(true);
        }

        /**
         * Where to read from: after the acknowledged entry, checked against the journal; a new receiver starts at
         * the journal's end.
         *
         * @param end the journal's end as found for another receiver, or null.
         * @return the journal's end if this receiver needed it, else {@code end}.
         */
        DeliveryState.Position resume(final DeliveryState.Position end)
        {
            final DeliveryState.Position stored = state.read();
            DeliveryState.Position found = end;
            try (JournalReader journal = JournalReader.egress(dataDir))
            {
                if (stored == null)
                {
                    found = end != null ? end : lastWhole(journal.backward());
                    start = found;
                    state.write(start);
                    System.err.println("gateway: " + name + ": no delivery state in " + state.file() + "; it starts after egress sequence "
                        + start.egressSequence() + " (what the node decides from now on)");
                }
                else
                {
                    if (!stored.isStart())
                    {
                        check(journal, stored);
                    }
                    start = stored;
                }
            }
            savedSequence = start.egressSequence();
            readSequence = start.egressSequence();
            return found;
        }

        private void check(final JournalReader journal, final DeliveryState.Position stored)
        {
            if (!journal.moveToIndex(stored.journalIndex()) || !journal.next())
            {
                throw state.corrupt("says egress sequence " + stored.egressSequence() + " at journal index " + stored.journalIndex()
                    + ", but the egress journal " + Journal.egressDir(dataDir) + " has no entry there (another data directory, or "
                    + "its cycle file removed)");
            }
            final long found = journal.damage() == null ? journal.egressRecord().egressSequence() : Long.MIN_VALUE;
            if (found != stored.egressSequence())
            {
                throw state.corrupt("says egress sequence " + stored.egressSequence() + " at journal index " + stored.journalIndex()
                    + ", but the egress journal " + Journal.egressDir(dataDir) + " has " + (journal.damage() != null
                    ? "a damaged entry (" + journal.damage() + ")" : "egress sequence " + found) + " there: not this journal's state");
            }
        }

        void start()
        {
            thread.start();
        }

        void stop()
        {
            running = false;
            thread.interrupt(); // out of a backoff wait or an attempt
            try
            {
                thread.join(5000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run()
        {
            final IdleStrategy idle = new SleepingMillisIdleStrategy(IDLE_MS);
            long doneSequence = start.egressSequence();
            long doneIndex = start.journalIndex();
            savedAtMs = System.currentTimeMillis();
            try (JournalReader journal = JournalReader.egress(dataDir))
            {
                if (!start.isStart())
                {
                    journal.moveToIndex(start.journalIndex());
                    journal.next(); // the acknowledged entry itself
                }
                while (running)
                {
                    if (!journal.next())
                    {
                        if (doneSequence != savedSequence && System.currentTimeMillis() - savedAtMs >= PROGRESS_SAVE_MS)
                        {
                            save(doneSequence, doneIndex);
                        }
                        idle.idle();
                        continue;
                    }
                    idle.reset();
                    if (journal.damage() != null)
                    {
                        System.err.println("gateway: " + name + ": egress journal entry at index " + journal.index() + " after egress sequence "
                            + doneSequence + " skipped: " + journal.damage());
                        continue;
                    }
                    final EgressRecordDecoder record = journal.egressRecord();
                    final long sequence = record.egressSequence();
                    final long index = journal.index();
                    final long timeNs = record.timeNs();
                    final int length = record.frameLength();
                    frame.checkLimit(length);
                    record.getFrame(frame, 0, length);
                    readSequence = sequence;
                    final Delivery delivery = deliveries.onFrame(frame, 0, length, timeNs, incidentId -> lookBack(incidentId, index));
                    if (delivery != null)
                    {
                        if (!deliver(delivery))
                        {
                            break; // stopped before the receiver took it: it stays the next one
                        }
                        save(sequence, index);
                    }
                    doneSequence = sequence;
                    doneIndex = index;
                }
                Thread.interrupted(); // the stop's interrupt has done its work
                if (doneSequence != savedSequence)
                {
                    save(doneSequence, doneIndex);
                }
            }
            catch (final RuntimeException ex)
            {
                if (running)
                {
                    failure = ex.toString();
                    System.err.println("gateway: " + name + ": delivery stopped: " + ex);
                    ex.printStackTrace();
                }
            }
            finally
            {
                if (lookBack != null)
                {
                    lookBack.close();
                }
            }
        }

        private void save(final long sequence, final long index)
        {
            state.write(new DeliveryState.Position(sequence, index));
            savedSequence = sequence;
            savedAtMs = System.currentTimeMillis();
        }

        /** The incident as the journal last had it before the entry at {@code index}, or null. */
        private Map<String, Object> lookBack(final long incidentId, final long index)
        {
            if (lookBack == null)
            {
                lookBack = JournalReader.egress(dataDir).backward();
            }
            if (!lookBack.moveToIndex(index))
            {
                return null;
            }
            for (int i = 0; i < LOOK_BACK_ENTRIES && lookBack.next(); i++)
            {
                if (lookBack.damage() != null)
                {
                    continue;
                }
                final EgressRecordDecoder record = lookBack.egressRecord();
                final long timeNs = record.timeNs();
                final int length = record.frameLength();
                lookFrame.checkLimit(length);
                record.getFrame(lookFrame, 0, length);
                final Map<String, Object> view = Deliveries.incidentOf(lookFrame, 0, length, timeNs);
                if (view != null && (Long)view.get("incidentId") == incidentId)
                {
                    return view;
                }
            }
            return null;
        }

        /** Until the receiver has it or refused it for good: true; false when the gateway stops first. */
        private boolean deliver(final Delivery delivery)
        {
            long backoffMs = retry.initialBackoffMs();
            try
            {
                while (running)
                {
                    if (attempt(delivery))
                    {
                        return true;
                    }
                    failedAttempts.incrementAndGet();
                    TimeUnit.MILLISECONDS.sleep(backoffMs);
                    backoffMs = Math.min(retry.maxBackoffMs(), backoffMs * 2);
                }
            }
            catch (final InterruptedException ex)
            {
                // stopping
            }
            return false;
        }

        /** True when the delivery is done with (delivered, or refused for good). */
        private boolean attempt(final Delivery delivery) throws InterruptedException
        {
            final HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(retry.timeoutMs()))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", delivery.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(delivery.json()))
                .build();
            try
            {
                final int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2 || status == 409)
                {
                    delivered.incrementAndGet();
                    return true;
                }
                if (status / 100 == 4 && status != 408 && status != 429)
                {
                    refused.incrementAndGet();
                    System.err.println("gateway: " + name + " refused " + delivery.idempotencyKey() + " with HTTP " + status + "; not retried");
                    return true;
                }
                return false;
            }
            catch (final IOException ex)
            {
                return false; // down, refused, reset or timed out: try again after the backoff
            }
        }
    }

    /** The last whole entry of the journal (read backwards past a torn tail), or the start for an empty one. */
    private static DeliveryState.Position lastWhole(final JournalReader backward)
    {
        if (!backward.last())
        {
            return DeliveryState.Position.START;
        }
        do
        {
            if (backward.damage() == null)
            {
                return new DeliveryState.Position(backward.egressRecord().egressSequence(), backward.index());
            }
        }
        while (backward.next());
        return DeliveryState.Position.START;
    }
}
