package kr.sejong.city.replay.indiana;

import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.core.journal.JournalReader;
import kr.sejong.city.replay.CityTime;
import kr.sejong.city.replay.Csv;
import kr.sejong.city.replay.JournalExtent;
import kr.sejong.city.replay.Position;
import kr.sejong.city.replay.ReplayException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signal events of a journal in the Indiana hi-resolution data logger format, so that existing
 * performance-measure tools (ATSPM and the like) read our logs: CSV rows {@code
 * SignalID,Timestamp,EventCode,EventParam}, the timestamp in the city's local time to the tenth of a
 * second, in time order.
 * <p>
 * Where each event comes from (replay/README.md has the table):
 * <ul>
 *   <li>SignalCommand on egress: phase, preemption and TSP-adjustment events ({@link SignalEvents})</li>
 *   <li>DetectorObservation on ingress: Detector On/Off (82/81) when {@code presence} changes, param detectorId</li>
 *   <li>LaneObservations on ingress: Detector On/Off when a lane's occupancy rises above or falls to zero, param laneIndex + 1</li>
 *   <li>PriorityRequest on ingress: Preempt Call Input On/Off (102/104) for ambulance, fire and police,
 *       TSP Check In/Out (112/115) for the BRT, on REQUEST and CANCEL</li>
 * </ul>
 * Both journals are read side by side in sequence order, so every state change is seen in the order
 * the node saw it; --from and --to only choose which events are written.
 */
public final class IndianaExport
{
    /** The one format so far. */
    public static final String FORMAT = "indiana-csv";
    public static final String HEADER = "SignalID,Timestamp,EventCode,EventParam";

    private static final DateTimeFormatter TENTHS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.S", Locale.ROOT);

    /** What an export wrote. */
    public record Result(long events, List<String> notes)
    {
    }

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final SignalCommandDecoder command = new SignalCommandDecoder();
    private final DetectorObservationDecoder detector = new DetectorObservationDecoder();
    private final LaneObservationsDecoder lanes = new LaneObservationsDecoder();
    private final PriorityRequestDecoder priority = new PriorityRequestDecoder();
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final Map<Long, SignalEvents> signals = new HashMap<>();
    private final Map<Long, Boolean> detectorPresence = new HashMap<>();
    private final Map<Long, Boolean> laneOccupied = new HashMap<>();
    private final List<IndianaEvent> events = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Position from;
    private Position to;

    /** Check the format name given on the command line. */
    public static void checkFormat(final String format)
    {
        if (!FORMAT.equalsIgnoreCase(format.trim()))
        {
            throw new ReplayException("unknown format '" + format + "': the one export format is " + FORMAT);
        }
    }

    /**
     * Write the events in [from, to] (null: open) as Indiana CSV, header first.
     *
     * @throws ReplayException not a data directory, or a range outside the journal
     */
    public static Result export(final Path dataDir, final Position from, final Position to, final ZoneId zone, final PrintWriter out)
    {
        final IndianaExport export = new IndianaExport();
        final List<IndianaEvent> events = export.events(dataDir, from, to, zone);
        out.print(HEADER);
        out.print(Csv.LINE_END);
        for (final IndianaEvent event : events)
        {
            out.print(row(event, zone));
            out.print(Csv.LINE_END);
        }
        out.flush();
        return new Result(events.size(), List.copyOf(export.notes));
    }

    /** One CSV row, without its line end. */
    public static String row(final IndianaEvent event, final ZoneId zone)
    {
        return event.signalId() + "," + TENTHS.format(CityTime.instant(event.timeNs()).atZone(zone)) + ","
            + event.code().code() + "," + event.param();
    }

    /** The events in [from, to], in time order (events of one instant in the order the node saw their causes). */
    List<IndianaEvent> events(final Path dataDir, final Position from, final Position to, final ZoneId zone)
    {
        JournalExtent.of(dataDir).checkRange(from, to, zone);
        this.from = from;
        this.to = to;
        try (JournalReader ingress = JournalReader.ingress(dataDir); JournalReader egress = JournalReader.egress(dataDir))
        {
            boolean egressPending = nextEgress(egress);
            long lastSequence = -1;
            while (ingress.next())
            {
                if (ingress.damage() != null)
                {
                    notes.add("ingress entry after sequence " + lastSequence + " skipped: " + ingress.damage());
                    continue;
                }
                final IngressRecordDecoder record = ingress.ingressRecord();
                final long sequence = record.sequence();
                lastSequence = sequence;
                if (record.kind() == JournalRecordKind.INPUT)
                {
                    final long timeNs = record.timeNs();
                    record.wrapFrame(frame);
                    onInput(sequence, timeNs, frame);
                }
                // the outputs of this input (and of any input lost to damage before it)
                while (egressPending && egress.egressRecord().inputSequence() <= sequence)
                {
                    onOutput(egress.egressRecord());
                    egressPending = nextEgress(egress);
                }
            }
            while (egressPending)
            {
                onOutput(egress.egressRecord());
                egressPending = nextEgress(egress);
            }
        }
        events.sort(Comparator.comparingLong(IndianaEvent::timeNs)); // stable: causal order within an instant
        return events;
    }

    private boolean nextEgress(final JournalReader egress)
    {
        while (egress.next())
        {
            if (egress.damage() == null)
            {
                return true;
            }
            notes.add("egress entry skipped: " + egress.damage());
        }
        return false;
    }

    private void onInput(final long sequence, final long timeNs, final DirectBuffer frame)
    {
        if (frame.capacity() < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        header.wrap(frame, 0);
        final int offset = MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId())
        {
            case DetectorObservationDecoder.TEMPLATE_ID ->
            {
                detector.wrap(frame, offset, header.blockLength(), header.version());
                final long intersectionId = detector.intersectionId();
                final long detectorId = detector.detectorId();
                final BooleanType presence = detector.presence();
                if (presence == BooleanType.TRUE || presence == BooleanType.FALSE)
                {
                    detectorChange(detectorPresence, intersectionId, detectorId, presence == BooleanType.TRUE, (int)detectorId, sequence, timeNs);
                }
            }
            case LaneObservationsDecoder.TEMPLATE_ID ->
            {
                lanes.wrap(frame, offset, header.blockLength(), header.version());
                final long intersectionId = lanes.intersectionId();
                for (final LaneObservationsDecoder.LanesDecoder lane : lanes.lanes())
                {
                    final int laneIndex = lane.laneIndex();
                    detectorChange(laneOccupied, intersectionId, laneIndex, lane.occupancyPermille() > 0, laneIndex + 1, sequence, timeNs);
                }
            }
            case PriorityRequestDecoder.TEMPLATE_ID ->
            {
                priority.wrap(frame, offset, header.blockLength(), header.version());
                final VehicleRole role = priority.role();
                final PriorityRequestType type = priority.requestType();
                final long intersectionId = priority.intersectionId();
                if (type != PriorityRequestType.REQUEST && type != PriorityRequestType.CANCEL)
                {
                    return;
                }
                final boolean call = type == PriorityRequestType.REQUEST;
                if (role == VehicleRole.BRT_BUS)
                {
                    add(intersectionId, timeNs, sequence, call ? IndianaEventCode.TSP_CHECK_IN : IndianaEventCode.TSP_CHECK_OUT,
                        SignalEvents.TSP_NUMBER);
                }
                else if (role == VehicleRole.AMBULANCE || role == VehicleRole.FIRE || role == VehicleRole.POLICE)
                {
                    final int number = SignalEvents.preemptNumber(role);
                    if (call)
                    {
                        signal(intersectionId).onPreemptCall(number);
                    }
                    add(intersectionId, timeNs, sequence, call ? IndianaEventCode.PREEMPT_CALL_INPUT_ON : IndianaEventCode.PREEMPT_CALL_INPUT_OFF,
                        number);
                }
            }
            default ->
            {
            }
        }
    }

    private void onOutput(final EgressRecordDecoder record)
    {
        final long sequence = record.inputSequence();
        final long timeNs = record.timeNs();
        record.wrapFrame(frame);
        if (frame.capacity() < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        header.wrap(frame, 0);
        if (header.templateId() != SignalCommandDecoder.TEMPLATE_ID)
        {
            return;
        }
        command.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final long intersectionId = command.intersectionId();
        final int phaseIndex = command.phaseIndex();
        final SignalReason reason = command.reason();
        final String state = command.signalState();
        for (final SignalEvents.Emitted emitted : signal(intersectionId).onCommand(phaseIndex, reason, state))
        {
            add(intersectionId, timeNs, sequence, emitted.code(), emitted.param());
        }
    }

    private void detectorChange(final Map<Long, Boolean> last, final long intersectionId, final long id, final boolean on,
        final int param, final long sequence, final long timeNs)
    {
        final Boolean before = last.put((intersectionId << 32) | (id & 0xFFFF_FFFFL), on);
        if (on && !Boolean.TRUE.equals(before))
        {
            add(intersectionId, timeNs, sequence, IndianaEventCode.DETECTOR_ON, param);
        }
        else if (!on && Boolean.TRUE.equals(before))
        {
            add(intersectionId, timeNs, sequence, IndianaEventCode.DETECTOR_OFF, param);
        }
    }

    private SignalEvents signal(final long intersectionId)
    {
        return signals.computeIfAbsent(intersectionId, id -> new SignalEvents());
    }

    private void add(final long signalId, final long timeNs, final long sequence, final IndianaEventCode code, final int param)
    {
        if (JournalExtent.inRange(from, to, sequence, timeNs))
        {
            events.add(new IndianaEvent(signalId, timeNs, sequence, code, param));
        }
    }
}
