package kr.sejong.city.core.loops;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loops.emergency.TriageLoop;
import kr.sejong.city.core.loops.emergency.TriageSettings;
import kr.sejong.city.core.loops.energy.EnergyLoop;
import kr.sejong.city.core.loops.energy.EnergySettings;
import kr.sejong.city.core.loops.mobility.DispatchLoop;
import kr.sejong.city.core.loops.signal.AdaptiveController;
import kr.sejong.city.core.loops.signal.ControlMode;
import kr.sejong.city.core.loops.signal.PrioritySettings;
import kr.sejong.city.core.loops.signal.SignalLoop;
import kr.sejong.city.core.loops.signal.SignalTiming;

import java.util.ArrayList;
import java.util.List;

/**
 * The control loops a node runs for a city, in the order they see an input. Each loop lives in a
 * package of its own under {@code kr.sejong.city.core.loops} and is added here when it exists; until
 * then its input is journaled all the same and simply has no handler.
 */
public final class Loops
{
    private Loops()
    {
    }

    /** Fresh instances of every loop for the configuration (a replay builds its own the same way). */
    public static List<ControlLoop> create(final CityConfig config)
    {
        final List<ControlLoop> loops = new ArrayList<>();
        final boolean timingGiven = config.traffic() != null && config.traffic().signalTiming() != null;
        final SignalTiming timing = timingGiven ? SignalTiming.from(config.traffic().signalTiming()) : SignalTiming.defaults();
        loops.add(new SignalLoop(timing, ControlMode.ADAPTIVE, AdaptiveController.Settings.defaults(), PrioritySettings.from(config, timing)));
        if (config.emergency() != null)
        {
            loops.add(new TriageLoop(TriageSettings.from(config)));
        }
        if (config.mobility() != null && !config.mobility().fleet().isEmpty())
        {
            loops.add(new DispatchLoop(config));
        }
        if (config.energy() != null && config.energy().pcc() != null)
        {
            loops.add(new EnergyLoop(EnergySettings.from(config)));
        }
        return loops;
    }
}
