package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * How the control node runs. Every field is optional; omitted fields take the {@code *_DEFAULT}
 * values below, so most city files leave the section out.
 *
 * @param mode                where input comes from and where time comes from.
 * @param threading           how agents map onto threads.
 * @param idleStrategy        how an agent waits when it has no work.
 * @param tickPeriodMs        period of the journaled Tick messages that drive periodic work.
 * @param ringSize            slots in the Disruptor ring; a power of two.
 * @param maxFrameLengthBytes longest ingress frame accepted; longer ones are rejected (TOO_LARGE).
 * @param journalRollCycle    Chronicle Queue roll cycle name, one of {@link #JOURNAL_ROLL_CYCLES}.
 * @param egressRetryLimit    publication retries on back-pressure before egress counts a drop.
 * @param aeron               transport settings.
 */
public record Node(
    Mode mode,
    Threading threading,
    IdleStrategyKind idleStrategy,
    int tickPeriodMs,
    int ringSize,
    int maxFrameLengthBytes,
    String journalRollCycle,
    int egressRetryLimit,
    Aeron aeron)
{
    /**
     * A running city takes its time from the clock; a simulation or digital twin asks for simulated
     * time (the mode says where time comes from, not which devices are driven).
     */
    public static final Mode MODE_DEFAULT = Mode.LIVE;
    /** Runs on a 2-core machine; production boxes choose {@code dedicated}. */
    public static final Threading THREADING_DEFAULT = Threading.LOW_RESOURCE;
    public static final IdleStrategyKind IDLE_STRATEGY_DEFAULT = IdleStrategyKind.BACKOFF;
    public static final int TICK_PERIOD_MS_DEFAULT = 100;
    public static final int RING_SIZE_DEFAULT = 65536;
    public static final int MAX_FRAME_LENGTH_BYTES_DEFAULT = 1024 * 1024;
    public static final String JOURNAL_ROLL_CYCLE_DEFAULT = "FAST_HOURLY";
    public static final int EGRESS_RETRY_LIMIT_DEFAULT = 1000;

    /** The Chronicle Queue roll cycles a journal may use. */
    public static final List<String> JOURNAL_ROLL_CYCLES = List.of(
        "HALF_HOURLY", "FAST_HOURLY", "TWO_HOURLY", "FOUR_HOURLY", "SIX_HOURLY", "FAST_DAILY", "WEEKLY");

    public enum Mode
    {
        /** Time from the node's clock, read once per duty cycle; the clock agent sends the Ticks. */
        @JsonProperty("live") LIVE,
        /** Time from the Ticks a simulation or digital twin sends. */
        @JsonProperty("simulated") SIMULATED
    }

    public enum Threading
    {
        /** All agents composed onto one thread, the embedded media driver on a second. */
        @JsonProperty("low-resource") LOW_RESOURCE,
        /** All agents and the embedded media driver on one thread. */
        @JsonProperty("single") SINGLE,
        /** One thread per agent. */
        @JsonProperty("dedicated") DEDICATED
    }

    public enum IdleStrategyKind
    {
        @JsonProperty("backoff") BACKOFF,
        @JsonProperty("yielding") YIELDING,
        @JsonProperty("busy-spin") BUSY_SPIN,
        @JsonProperty("sleeping") SLEEPING
    }

    /** Every field at its default. */
    public static Node defaults()
    {
        return fromYaml(null, null, null, null, null, null, null, null, null);
    }

    // boxed parameters so that an omitted key can be told from a zero
    @JsonCreator
    private static Node fromYaml(
        @JsonProperty("mode") final Mode mode,
        @JsonProperty("threading") final Threading threading,
        @JsonProperty("idleStrategy") final IdleStrategyKind idleStrategy,
        @JsonProperty("tickPeriodMs") final Integer tickPeriodMs,
        @JsonProperty("ringSize") final Integer ringSize,
        @JsonProperty("maxFrameLengthBytes") final Integer maxFrameLengthBytes,
        @JsonProperty("journalRollCycle") final String journalRollCycle,
        @JsonProperty("egressRetryLimit") final Integer egressRetryLimit,
        @JsonProperty("aeron") final Aeron aeron)
    {
        return new Node(
            mode == null ? MODE_DEFAULT : mode,
            threading == null ? THREADING_DEFAULT : threading,
            idleStrategy == null ? IDLE_STRATEGY_DEFAULT : idleStrategy,
            tickPeriodMs == null ? TICK_PERIOD_MS_DEFAULT : tickPeriodMs,
            ringSize == null ? RING_SIZE_DEFAULT : ringSize,
            maxFrameLengthBytes == null ? MAX_FRAME_LENGTH_BYTES_DEFAULT : maxFrameLengthBytes,
            journalRollCycle == null ? JOURNAL_ROLL_CYCLE_DEFAULT : journalRollCycle,
            egressRetryLimit == null ? EGRESS_RETRY_LIMIT_DEFAULT : egressRetryLimit,
            aeron == null ? Aeron.defaults() : aeron);
    }

    /**
     * Aeron transport between adapters and the node. Every field is optional.
     *
     * @param embeddedDriver  run the media driver inside the node process.
     * @param dir             Aeron directory; null means derived at run time.
     * @param ingressChannel  channel adapters publish on.
     * @param ingressStreamId stream id of ingress.
     * @param egressChannel   channel the node publishes on.
     * @param egressStreamId  stream id of egress.
     */
    public record Aeron(
        boolean embeddedDriver,
        String dir,
        String ingressChannel,
        int ingressStreamId,
        String egressChannel,
        int egressStreamId)
    {
        public static final boolean EMBEDDED_DRIVER_DEFAULT = true;
        public static final String INGRESS_CHANNEL_DEFAULT = "aeron:ipc";
        public static final int INGRESS_STREAM_ID_DEFAULT = 1001;
        public static final String EGRESS_CHANNEL_DEFAULT = "aeron:ipc";
        public static final int EGRESS_STREAM_ID_DEFAULT = 1002;

        /** Every field at its default. */
        public static Aeron defaults()
        {
            return fromYaml(null, null, null, null, null, null);
        }

        @JsonCreator
        private static Aeron fromYaml(
            @JsonProperty("embeddedDriver") final Boolean embeddedDriver,
            @JsonProperty("dir") final String dir,
            @JsonProperty("ingressChannel") final String ingressChannel,
            @JsonProperty("ingressStreamId") final Integer ingressStreamId,
            @JsonProperty("egressChannel") final String egressChannel,
            @JsonProperty("egressStreamId") final Integer egressStreamId)
        {
            return new Aeron(
                embeddedDriver == null ? EMBEDDED_DRIVER_DEFAULT : embeddedDriver,
                dir,
                ingressChannel == null ? INGRESS_CHANNEL_DEFAULT : ingressChannel,
                ingressStreamId == null ? INGRESS_STREAM_ID_DEFAULT : ingressStreamId,
                egressChannel == null ? EGRESS_CHANNEL_DEFAULT : egressChannel,
                egressStreamId == null ? EGRESS_STREAM_ID_DEFAULT : egressStreamId);
        }
    }
}
