package kr.sejong.city.core.loops.signal;

/**
 * Decides, for an intersection showing a green phase past its min green, whether to hold that green or
 * which phase to serve next. Controllers keep no state of their own: what they remember lives in the
 * {@link ControlledIntersection}, so that a snapshot holds it. Clearance (yellow, all-red) and min green
 * are the sequencer's business, safety the conflict monitor's.
 */
public interface PhaseController
{
    void decide(ControlledIntersection intersection, long nowNs, Decision decision);
}
