package kr.sejong.city.replay.indiana;

import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.VehicleRole;

import java.util.ArrayList;
import java.util.List;

/**
 * The hi-resolution phase, preemption and TSP events of one intersection, derived from the signal
 * commands the node sent it, one after another.
 * <p>
 * Each command's signal state (one character per movement, SUMO's rRgGyYuoOs) is compared with the
 * previous one. The model is the signal loop's: one phase is green at a time, and its number is the
 * command's {@code phaseIndex + 1} when its green begins; its clearance events carry that number too
 * (the yellow and all-red steps have phase indexes of their own in a SUMO-style program):
 * <ul>
 *   <li>a movement turns green: Phase End Red Clearance (11) of the phase in red clearance, if any, then
 *       Phase Begin Green (1)</li>
 *   <li>a movement turns from green to yellow: Phase Begin Yellow Clearance (8)</li>
 *   <li>the clearing movements are red and none is yellow any more (movements shared with the next
 *       phase may stay green): Phase End Yellow Clearance (9)
 *       when there was a yellow, and Phase Begin Red Clearance (10) unless the next green starts in
 *       the same command (no red clearance served: no 10 and no 11, as the enumerations say)</li>
 * </ul>
 * A command whose reason changes to a preemption or transit-priority reason gives its event first:
 * 105, 106, 107, 111 (param: the preempt number, see {@link #preemptNumber}) and 113, 114 (param: TSP 1).
 */
final class SignalEvents
{
    /** TSP number for transit priority: one TSP plan, for the BRT. */
    static final int TSP_NUMBER = 1;

    private enum Stage
    {
        NONE, GREEN, YELLOW, RED_CLEARANCE
    }

    private String lastState = "";
    private SignalReason lastReason;
    private Stage stage = Stage.NONE;
    private int phase;
    private int preemptNumber = 1;

    /** A preemption call for this intersection arrived (number: see {@link #preemptNumber(VehicleRole)}). */
    void onPreemptCall(final int number)
    {
        preemptNumber = number;
    }

    /** The events this command starts, in the order a controller logs them. */
    List<Emitted> onCommand(final int phaseIndex, final SignalReason reason, final String state)
    {
        final List<Emitted> events = new ArrayList<>(3);
        if (reason != lastReason)
        {
            final IndianaEventCode reasonCode = reasonCode(reason);
            if (reasonCode != null)
            {
                final boolean preemption = reasonCode != IndianaEventCode.TSP_ADJUSTMENT_TO_EARLY_GREEN
                    && reasonCode != IndianaEventCode.TSP_ADJUSTMENT_TO_EXTEND_GREEN;
                events.add(new Emitted(reasonCode, preemption ? preemptNumber : TSP_NUMBER));
            }
        }

        boolean turnedGreen = false;
        boolean greenToYellow = false;
        boolean toRed = false;
        boolean stillGreen = false;
        boolean anyYellow = false;
        for (int i = 0; i < state.length(); i++)
        {
            final char before = i < lastState.length() ? lastState.charAt(i) : 'r';
            final char now = state.charAt(i);
            turnedGreen |= isGreen(now) && !isGreen(before);
            greenToYellow |= isYellow(now) && isGreen(before);
            toRed |= isRed(now) && (isGreen(before) || isYellow(before));
            stillGreen |= isGreen(now) && isGreen(before);
            anyYellow |= isYellow(now);
        }

        if (greenToYellow && stage == Stage.GREEN)
        {
            events.add(new Emitted(IndianaEventCode.PHASE_BEGIN_YELLOW_CLEARANCE, phase));
            stage = Stage.YELLOW;
        }
        // a movement shared with the next phase stays green through the clearance (the signal loop's
        // yellowState/redState): the yellow ends when nothing is yellow any more
        final boolean yellowEnds = stage == Stage.YELLOW && toRed && !anyYellow;
        final boolean greenCutToRed = stage == Stage.GREEN && toRed && !anyYellow && !stillGreen;
        if (yellowEnds || greenCutToRed)
        {
            if (stage == Stage.YELLOW)
            {
                events.add(new Emitted(IndianaEventCode.PHASE_END_YELLOW_CLEARANCE, phase));
            }
            if (turnedGreen)
            {
                stage = Stage.NONE; // straight from yellow to the next green: no red clearance was served
            }
            else
            {
                events.add(new Emitted(IndianaEventCode.PHASE_BEGIN_RED_CLEARANCE, phase));
                stage = Stage.RED_CLEARANCE;
            }
        }
        if (turnedGreen)
        {
            if (stage == Stage.RED_CLEARANCE)
            {
                events.add(new Emitted(IndianaEventCode.PHASE_END_RED_CLEARANCE, phase));
            }
            phase = phaseIndex + 1;
            stage = Stage.GREEN;
            events.add(new Emitted(IndianaEventCode.PHASE_BEGIN_GREEN, phase));
        }
        lastState = state;
        lastReason = reason;
        return events;
    }

    /** An event code and its parameter, before it gets a signal and a time. */
    record Emitted(IndianaEventCode code, int param)
    {
    }

    static IndianaEventCode reasonCode(final SignalReason reason)
    {
        if (reason == null)
        {
            return null;
        }
        return switch (reason)
        {
            case PREEMPTION_ENTRY -> IndianaEventCode.PREEMPT_ENTRY_STARTED;
            case PREEMPTION_TRACK_CLEARANCE -> IndianaEventCode.PREEMPTION_BEGIN_TRACK_CLEARANCE;
            case PREEMPTION_DWELL -> IndianaEventCode.PREEMPTION_BEGIN_DWELL_SERVICE;
            case PREEMPTION_EXIT -> IndianaEventCode.PREEMPTION_BEGIN_EXIT_INTERVAL;
            case TRANSIT_EARLY_GREEN -> IndianaEventCode.TSP_ADJUSTMENT_TO_EARLY_GREEN;
            case TRANSIT_EXTENSION -> IndianaEventCode.TSP_ADJUSTMENT_TO_EXTEND_GREEN;
            default -> null;
        };
    }

    /**
     * Our preemption has no physical inputs, so the preempt number says who called: 1 ambulance, 2 fire,
     * 3 police; 0 for a role that does not preempt.
     */
    static int preemptNumber(final VehicleRole role)
    {
        return switch (role)
        {
            case AMBULANCE -> 1;
            case FIRE -> 2;
            case POLICE -> 3;
            default -> 0;
        };
    }

    static boolean isGreen(final char c)
    {
        return c == 'G' || c == 'g';
    }

    static boolean isYellow(final char c)
    {
        return c == 'y' || c == 'Y';
    }

    /** Red, red+yellow (before green) and the stop-then-go right-turn arrow all hold traffic. */
    static boolean isRed(final char c)
    {
        return c == 'r' || c == 'R' || c == 'u' || c == 's';
    }
}
