package kr.sejong.city.bench.energy;

import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

/**
 * Reference "no control": nothing is sent, so every device does what it does alone. The ESS stays idle,
 * every EV charges at full power from the moment it plugs in until it has what it needs, PV is never
 * curtailed, demand-response events and frequency dips go unanswered.
 */
public final class NoControlStrategy implements ControlLoop
{
    public static final String NAME = "no-control";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int[] templateIds()
    {
        return new int[0];
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
    }

    @Override
    public void snapshot(final StateWriter out)
    {
    }

    @Override
    public void restore(final StateReader in)
    {
    }
}
