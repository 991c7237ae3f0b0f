package kr.sejong.city.core.loop;

/**
 * A single-threaded, deterministic state machine that turns journaled input into decisions.
 * <p>
 * The determinism contract (see ARCHITECTURE.md): state changes only in {@link #onInput}; time is
 * {@link Input#timeNs()}, never a clock; no threads, no I/O, no unseeded randomness, no iteration over
 * identity-ordered collections. Replaying the journal through a fresh instance must give the same
 * egress bytes, and a loop restored from its snapshot continues exactly as the original.
 */
public interface ControlLoop
{
    /** Short name used in counters, logs and audit output, e.g. "signal". */
    String name();

    /** Templates this loop wants to see. A template may go to several loops, in registration order. */
    int[] templateIds();

    /**
     * Handle one input. Decisions go to {@code egress}; each committed frame counts as one decision.
     * The input's buffer is only valid during the call.
     */
    void onInput(Input input, Egress egress);

    /**
     * Write the loop's whole state, so that {@link #restore} on a fresh instance (made for the same
     * configuration) continues exactly as this one would. The same state must give the same bytes:
     * the state digest that replay compares is a hash of them.
     */
    void snapshot(StateWriter out);

    /** Replace this (fresh) instance's state with one written by {@link #snapshot}. */
    void restore(StateReader in);

    /**
     * Version of the layout {@link #snapshot} writes. Raise it whenever the layout changes: a snapshot
     * of another version is never restored (the node replays the journal from the start of the run
     * instead), because reading one layout as another gives wrong state, not an error.
     */
    default int stateVersion()
    {
        return 1;
    }
}
