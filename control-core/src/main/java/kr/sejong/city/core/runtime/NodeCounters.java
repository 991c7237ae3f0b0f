package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.RejectReason;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's live counters, kept in the status file so that {@code bin/city status} can read them
 * from another process. Each counter has a type id (below) and a label; per-loop and per-reason
 * counters carry the loop index or reason code as their reference id.
 */
public final class NodeCounters implements AutoCloseable
{
    public static final int NODE_STATE = 1;
    public static final int HEARTBEAT_MS = 2;
    public static final int INPUTS = 3;
    public static final int INGRESS_BYTES = 4;
    public static final int REJECTS = 5;
    public static final int REJECTS_BY_REASON = 6;
    public static final int RING_FULL = 7;
    public static final int LAST_SEQUENCE = 8;
    public static final int LOGICAL_TIME_NS = 9;
    public static final int TICKS = 10;
    public static final int JOURNAL_INGRESS_BYTES = 11;
    public static final int JOURNAL_EGRESS_BYTES = 12;
    public static final int EGRESS_MESSAGES = 13;
    public static final int EGRESS_BACK_PRESSURE = 14;
    public static final int EGRESS_GIVEN_UP = 15;
    public static final int EGRESS_NOT_CONNECTED = 16;
    public static final int LOOP_INPUTS = 17;
    public static final int LOOP_DECISIONS = 18;
    public static final int LOOP_ERRORS = 19;
    public static final int MAX_DUTY_CYCLE_NS = 20;
    public static final int ERRORS = 21;
    public static final int SNAPSHOTS = 22;
    public static final int SNAPSHOT_BYTES = 23;
    public static final int RECOVERED_INPUTS = 24;
    public static final int REEMITTED_OUTPUTS = 25;

    /** Values of the NODE_STATE counter. */
    public static final long STATE_STARTING = 0;
    public static final long STATE_RUNNING = 1;
    public static final long STATE_DRAINING = 2;
    public static final long STATE_CLOSED = 3;

    private final StatusFile statusFile;
    private final CountersManager countersManager;
    private final DistinctErrorLog errorLog;
    private final List<AtomicCounter> all = new ArrayList<>();

    final AtomicCounter nodeState;
    final AtomicCounter heartbeatMs;
    final AtomicCounter inputs;
    final AtomicCounter ingressBytes;
    final AtomicCounter rejects;
    final AtomicCounter[] rejectsByReason;
    final AtomicCounter ringFull;
    final AtomicCounter lastSequence;
    final AtomicCounter logicalTimeNs;
    final AtomicCounter ticks;
    final AtomicCounter journalIngressBytes;
    final AtomicCounter journalEgressBytes;
    final AtomicCounter egressMessages;
    final AtomicCounter egressBackPressure;
    final AtomicCounter egressGivenUp;
    final AtomicCounter egressNotConnected;
    final AtomicCounter errors;
    final AtomicCounter snapshots;
    final AtomicCounter snapshotBytes;
    final AtomicCounter recoveredInputs;
    final AtomicCounter reemittedOutputs;

    NodeCounters(final StatusFile statusFile, final EpochClock epochClock)
    {
        this.statusFile = statusFile;
        this.countersManager = new CountersManager(
            statusFile.metaDataBuffer(), statusFile.valuesBuffer(), StandardCharsets.US_ASCII);
        this.errorLog = new DistinctErrorLog(statusFile.errorLogBuffer(), epochClock);

        nodeState = counter("node state (0 starting, 1 running, 2 draining, 3 closed)", NODE_STATE);
        heartbeatMs = counter("heartbeat, epoch ms", HEARTBEAT_MS);
        inputs = counter("inputs journaled", INPUTS);
        ingressBytes = counter("ingress bytes", INGRESS_BYTES);
        rejects = counter("rejects", REJECTS);
        final RejectReason[] reasons = RejectReason.values();
        rejectsByReason = new AtomicCounter[256];
        for (final RejectReason reason : reasons)
        {
            if (reason != RejectReason.NULL_VAL && reason.value() >= 0)
            {
                final AtomicCounter counter = counter("rejects: " + reason.name(), REJECTS_BY_REASON);
                countersManager.setCounterReferenceId(counter.id(), reason.value());
                rejectsByReason[reason.value()] = counter;
            }
        }
        ringFull = counter("ingress paused, ring full", RING_FULL);
        lastSequence = counter("last sequence", LAST_SEQUENCE);
        lastSequence.set(-1);
        logicalTimeNs = counter("logical time, ns", LOGICAL_TIME_NS);
        ticks = counter("ticks", TICKS);
        journalIngressBytes = counter("journal bytes: ingress", JOURNAL_INGRESS_BYTES);
        journalEgressBytes = counter("journal bytes: egress", JOURNAL_EGRESS_BYTES);
        egressMessages = counter("egress messages published", EGRESS_MESSAGES);
        egressBackPressure = counter("egress back-pressure retries", EGRESS_BACK_PRESSURE);
        egressGivenUp = counter("egress given up after retries (journaled)", EGRESS_GIVEN_UP);
        egressNotConnected = counter("egress with no subscriber (journaled)", EGRESS_NOT_CONNECTED);
        errors = counter("errors", ERRORS);
        snapshots = counter("state snapshots written", SNAPSHOTS);
        snapshotBytes = counter("state snapshot bytes", SNAPSHOT_BYTES);
        recoveredInputs = counter("inputs replayed at start-up (recovery)", RECOVERED_INPUTS);
        reemittedOutputs = counter("outputs re-sent at start-up (lost in a crash)", REEMITTED_OUTPUTS);
    }

    private AtomicCounter counter(final String label, final int typeId)
    {
        final AtomicCounter counter = countersManager.newCounter(label, typeId);
        all.add(counter);
        return counter;
    }

    AtomicCounter loopCounter(final int typeId, final int loopIndex, final String label)
    {
        final AtomicCounter counter = counter(label, typeId);
        countersManager.setCounterReferenceId(counter.id(), loopIndex);
        return counter;
    }

    AtomicCounter dutyCycleCounter(final String threadName)
    {
        return counter("longest duty cycle, ns: " + threadName, MAX_DUTY_CYCLE_NS);
    }

    AtomicCounter rejectsFor(final RejectReason reason)
    {
        return rejectsByReason[reason.value()];
    }

    /** Record an error in the distinct error log of the status file; safe from any thread. */
    void recordError(final Throwable error)
    {
        errors.increment();
        errorLog.record(error);
    }

    public long inputs()
    {
        return inputs.get();
    }

    public long rejects()
    {
        return rejects.get();
    }

    public long lastSequence()
    {
        return lastSequence.get();
    }

    public long egressMessages()
    {
        return egressMessages.get();
    }

    public long egressBackPressure()
    {
        return egressBackPressure.get();
    }

    public long egressGivenUp()
    {
        return egressGivenUp.get();
    }

    public long egressNotConnected()
    {
        return egressNotConnected.get();
    }

    public long snapshots()
    {
        return snapshots.get();
    }

    public long ticks()
    {
        return ticks.get();
    }

    public long journalIngressBytes()
    {
        return journalIngressBytes.get();
    }

    public long journalEgressBytes()
    {
        return journalEgressBytes.get();
    }

    public long errors()
    {
        return errors.get();
    }

    public StatusFile statusFile()
    {
        return statusFile;
    }

    @Override
    public void close()
    {
        // counters stay in the file so that a stopped node's last figures can still be read
        statusFile.close();
    }
}
