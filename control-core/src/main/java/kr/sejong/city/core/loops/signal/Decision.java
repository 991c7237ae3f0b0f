package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.SignalReason;

/**
 * What a controller decided for the green being shown: hold it (until when, and why), or end it now
 * (why now) in favour of another phase (and why that one). A reusable holder: no allocation per tick.
 */
public final class Decision
{
    private boolean switchPhase;
    private int nextPhase;
    private SignalReason reason = SignalReason.NULL_VAL;
    private SignalReason choice = SignalReason.NULL_VAL;
    private long reviewAtNs;
    private int holdMs;

    /** Keep the green; ask again at {@code reviewAtNs} (or the next tick when it is earlier). */
    public Decision hold(final SignalReason reason, final long reviewAtNs, final int holdMs)
    {
        this.switchPhase = false;
        this.nextPhase = -1;
        this.reason = reason;
        this.choice = SignalReason.NULL_VAL;
        this.reviewAtNs = reviewAtNs;
        this.holdMs = holdMs;
        return this;
    }

    /** End the green now ({@code reason}: why now) and serve {@code nextPhase} next ({@code choice}: why it). */
    public Decision switchTo(final int nextPhase, final SignalReason reason, final SignalReason choice)
    {
        this.switchPhase = true;
        this.nextPhase = nextPhase;
        this.reason = reason;
        this.choice = choice;
        this.reviewAtNs = 0;
        this.holdMs = 0;
        return this;
    }

    public boolean switchPhase()
    {
        return switchPhase;
    }

    public int nextPhase()
    {
        return nextPhase;
    }

    public SignalReason reason()
    {
        return reason;
    }

    public SignalReason choice()
    {
        return choice;
    }

    public long reviewAtNs()
    {
        return reviewAtNs;
    }

    /** How long the controller means to hold the green from now, 0 if it does not know. */
    public int holdMs()
    {
        return holdMs;
    }
}
