package kr.sejong.city.app;

import kr.sejong.city.core.runtime.NodeCounters;
import kr.sejong.city.core.runtime.NodeStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Human-readable views of a node's counters: the full status page and the one-line live status. */
final class StatusReport
{
    private StatusReport()
    {
    }

    static String full(final NodeStatus status, final Path dataDir, final long nowMs)
    {
        final StringBuilder sb = new StringBuilder();
        final long heartbeatAgeMs = nowMs - status.heartbeatMs();
        sb.append("node in ").append(dataDir).append(": ").append(status.state(nowMs)).append('\n');
        sb.append(String.format(Locale.ROOT, "  pid %d, started %s, up %s, heartbeat %s ago%n",
            status.pid(), Instant.ofEpochMilli(status.startTimeMs()), duration(nowMs - status.startTimeMs()),
            status.heartbeatMs() > 0 ? duration(heartbeatAgeMs) : "never"));
        for (final String line : status.info().split("\n"))
        {
            if (!line.isBlank() && !line.startsWith("dataDir="))
            {
                sb.append("  ").append(line.replace('=', ' ')).append('\n');
            }
        }
        row(sb, "inputs journaled", count(status.value(NodeCounters.INPUTS, 0)));
        final StringBuilder reasons = new StringBuilder();
        for (final NodeStatus.Counter counter : status.countersOfType(NodeCounters.REJECTS_BY_REASON))
        {
            if (counter.value() > 0)
            {
                reasons.append(reasons.length() == 0 ? "  (" : ", ")
                    .append(counter.label().replace("rejects: ", "")).append(' ').append(count(counter.value()));
            }
        }
        if (reasons.length() > 0)
        {
            reasons.append(')');
        }
        row(sb, "rejects", count(status.value(NodeCounters.REJECTS, 0)) + reasons);
        row(sb, "ticks", count(status.value(NodeCounters.TICKS, 0)));
        row(sb, "last sequence", count(status.value(NodeCounters.LAST_SEQUENCE, -1)));
        row(sb, "logical time", logicalTime(status.value(NodeCounters.LOGICAL_TIME_NS, 0)));
        row(sb, "ingress", bytes(status.value(NodeCounters.INGRESS_BYTES, 0)) + " received, ring-full pauses "
            + count(status.value(NodeCounters.RING_FULL, 0)));
        row(sb, "journal", "ingress " + bytes(status.value(NodeCounters.JOURNAL_INGRESS_BYTES, 0))
            + ", egress " + bytes(status.value(NodeCounters.JOURNAL_EGRESS_BYTES, 0)));
        row(sb, "egress", "published " + count(status.value(NodeCounters.EGRESS_MESSAGES, 0))
            + ", back-pressure retries " + count(status.value(NodeCounters.EGRESS_BACK_PRESSURE, 0))
            + ", given up " + count(status.value(NodeCounters.EGRESS_GIVEN_UP, 0))
            + ", no subscriber " + count(status.value(NodeCounters.EGRESS_NOT_CONNECTED, 0)));
        final List<NodeStatus.Counter> loopInputs = status.countersOfType(NodeCounters.LOOP_INPUTS);
        if (loopInputs.isEmpty())
        {
            row(sb, "loops", "none registered (inputs are journaled all the same)");
        }
        for (final NodeStatus.Counter inputs : loopInputs)
        {
            final String name = inputs.label().replace("loop inputs: ", "");
            row(sb, "loop " + name, "inputs " + count(inputs.value())
                + ", decisions " + count(loopValue(status, NodeCounters.LOOP_DECISIONS, inputs.referenceId()))
                + ", errors " + count(loopValue(status, NodeCounters.LOOP_ERRORS, inputs.referenceId())));
        }
        for (final NodeStatus.Counter duty : status.countersOfType(NodeCounters.MAX_DUTY_CYCLE_NS))
        {
            row(sb, "longest duty cycle", duty.label().replace("longest duty cycle, ns: ", "") + " " + nanos(duty.value()));
        }
        row(sb, "errors", count(status.value(NodeCounters.ERRORS, 0)));
        for (final String error : status.errors())
        {
            sb.append("    ").append(error.strip().replace("\n", "\n    ")).append('\n');
        }
        return sb.toString();
    }

    /** One line for the live display of {@code bin/city run}. */
    static String line(final NodeStatus status, final long elapsedMs, final long previousInputs, final long intervalMs)
    {
        final long inputs = status.value(NodeCounters.INPUTS, 0);
        long decisions = 0;
        for (final NodeStatus.Counter counter : status.countersOfType(NodeCounters.LOOP_DECISIONS))
        {
            decisions += counter.value();
        }
        long maxDuty = 0;
        for (final NodeStatus.Counter duty : status.countersOfType(NodeCounters.MAX_DUTY_CYCLE_NS))
        {
            maxDuty = Math.max(maxDuty, duty.value());
        }
        final double rate = intervalMs > 0 ? (inputs - previousInputs) * 1000.0 / intervalMs : 0;
        return String.format(Locale.ROOT,
            "%6.1fs  inputs %s (%,.0f/s)  rejects %s  decisions %s  journal %s  egress %s (gave up %s)  max duty %s  errors %s",
            elapsedMs / 1000.0, count(inputs), rate, count(status.value(NodeCounters.REJECTS, 0)), count(decisions),
            bytes(status.value(NodeCounters.JOURNAL_INGRESS_BYTES, 0) + status.value(NodeCounters.JOURNAL_EGRESS_BYTES, 0)),
            count(status.value(NodeCounters.EGRESS_MESSAGES, 0)), count(status.value(NodeCounters.EGRESS_GIVEN_UP, 0)),
            nanos(maxDuty), count(status.value(NodeCounters.ERRORS, 0)));
    }

    private static long loopValue(final NodeStatus status, final int typeId, final long loopIndex)
    {
        for (final NodeStatus.Counter counter : status.countersOfType(typeId))
        {
            if (counter.referenceId() == loopIndex)
            {
                return counter.value();
            }
        }
        return 0;
    }

    private static void row(final StringBuilder sb, final String name, final String value)
    {
        sb.append(String.format(Locale.ROOT, "  %-20s %s%n", name, value));
    }

    static String count(final long value)
    {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String bytes(final long value)
    {
        if (value < 1024)
        {
            return value + " B";
        }
        if (value < 1024 * 1024)
        {
            return String.format(Locale.ROOT, "%.1f KiB", value / 1024.0);
        }
        if (value < 1024L * 1024 * 1024)
        {
            return String.format(Locale.ROOT, "%.1f MiB", value / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", value / (1024.0 * 1024 * 1024));
    }

    static String nanos(final long value)
    {
        if (value < 10_000)
        {
            return value + " ns";
        }
        if (value < 10_000_000)
        {
            return String.format(Locale.ROOT, "%.1f us", value / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1f ms", value / 1_000_000.0);
    }

    static String duration(final long ms)
    {
        final Duration d = Duration.ofMillis(Math.max(0, ms));
        if (d.toHours() > 0)
        {
            return String.format(Locale.ROOT, "%dh%02dm%02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
        }
        if (d.toMinutes() > 0)
        {
            return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Epoch nanoseconds (live mode) print as an instant; small values (simulated mode) as seconds. */
    static String logicalTime(final long timeNs)
    {
        if (timeNs > 1_000_000_000_000_000_000L)
        {
            return Instant.ofEpochSecond(timeNs / 1_000_000_000L, timeNs % 1_000_000_000L).toString();
        }
        return String.format(Locale.ROOT, "%.3f s", timeNs / 1e9);
    }
}
