package kr.sejong.city.adapters.twin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SUMO's own actuated controllers as references for our signal loop, held to our safety floor: for each light, the
 * network's own green phases in their own order, each followed by a yellow of the safety floor's length and an all-red
 * of the configured length, as an additional file of {@code <tlLogic type="actuated">} (gap-based) or
 * {@code type="delay_based"} programs that SUMO runs by itself (twin {@code --control sumo-actuated|sumo-delay-based}).
 * SUMO's own settings of each type are left at their defaults (actuated: max-gap 3 s, detector-gap 2 s; delay-based:
 * minTimeLoss 1 s, detectorRange 100 m); a green lasts from min green to max green.
 * <p>
 * Between two greens, a movement green in both keeps its letter through the yellow and the all-red; one losing green
 * shows {@code y}, then {@code r}; every other movement shows {@code r}. The network's own yellow and all-red phases are
 * dropped (ours replace them), so a program whose yellows are shorter than the floor, as the shared scenarios' 2 s ones
 * are, runs with ours. A light whose own program has fewer than two green phases (nothing to alternate: a light that
 * only ever shows one green) is left out, so SUMO runs its own program there.
 */
public final class SumoReferencePrograms
{
    /** SUMO's controller types this builds programs for. */
    public enum Type
    {
        /** SUMO's gap-based actuated control ({@code type="actuated"}). */
        ACTUATED("actuated"),
        /** SUMO's delay-based actuated control ({@code type="delay_based"}, Oertel and Wagner). */
        DELAY_BASED("delay_based");

        private final String sumoType;

        Type(final String sumoType)
        {
            this.sumoType = sumoType;
        }

        /** The {@code type} attribute of the tlLogic. */
        public String sumoType()
        {
            return sumoType;
        }
    }

    /** The program id the reference programs load under (the last program loaded for a light is the one SUMO runs). */
    public static final String PROGRAM_ID = "city-reference";

    private SumoReferencePrograms()
    {
    }

    /**
     * The additional file's text for every light.
     *
     * @throws TwinInputException when the timing is below what SUMO can run (min green or yellow under 1 s, a negative
     *                            all-red, max green under min green).
     */
    public static String additionalFile(final List<TrafficLight> lights, final Type type, final long minGreenMs, final long yellowMs,
        final long allRedMs, final long maxGreenMs)
    {
        if (minGreenMs < 1000 || yellowMs < 1000 || allRedMs < 0 || maxGreenMs < minGreenMs)
        {
            throw new TwinInputException("reference programs need min green and yellow of at least 1 s, all-red >= 0 and max green >= min green;"
                + " got min green " + minGreenMs + " ms, yellow " + yellowMs + " ms, all-red " + allRedMs + " ms, max green " + maxGreenMs + " ms");
        }
        final StringBuilder xml = new StringBuilder(4096);
        xml.append("<!-- SUMO's ").append(type.sumoType()).append(" control on the network's own green phases, with yellow ")
            .append(seconds(yellowMs)).append(" s, all-red ").append(seconds(allRedMs)).append(" s, green ")
            .append(seconds(minGreenMs)).append("-").append(seconds(maxGreenMs)).append(" s: made by the twin, not edited -->\n");
        xml.append("<additional>\n");
        for (final TrafficLight light : lights)
        {
            final List<String> greens = greenStates(light);
            if (greens.size() < 2)
            {
                continue;
            }
            xml.append("    <tlLogic id=\"").append(escape(light.id())).append("\" type=\"").append(type.sumoType())
                .append("\" programID=\"").append(PROGRAM_ID).append("\" offset=\"0\">\n");
            for (int k = 0; k < greens.size(); k++)
            {
                final String green = greens.get(k);
                final String next = greens.get((k + 1) % greens.size());
                phase(xml, minGreenMs, minGreenMs, maxGreenMs, green);
                phase(xml, yellowMs, yellowMs, yellowMs, clearance(green, next, 'y'));
                if (allRedMs > 0)
                {
                    phase(xml, allRedMs, allRedMs, allRedMs, clearance(green, next, 'r'));
                }
            }
            xml.append("    </tlLogic>\n");
        }
        xml.append("</additional>\n");
        return xml.toString();
    }

    /** The own program's green phases (any movement green, none yellow), in order, consecutive repeats merged. */
    static List<String> greenStates(final TrafficLight light)
    {
        final List<String> greens = new ArrayList<>();
        for (final TrafficLight.Phase phase : light.program().phases())
        {
            final String state = phase.state();
            boolean green = false;
            boolean yellow = false;
            for (int i = 0; i < state.length(); i++)
            {
                final int aspect = SafetyCheck.aspect(state.charAt(i));
                green |= aspect == SafetyCheck.GREEN;
                yellow |= aspect == SafetyCheck.YELLOW;
            }
            if (green && !yellow && (greens.isEmpty() || !greens.get(greens.size() - 1).equals(state)))
            {
                greens.add(state);
            }
        }
        if (greens.size() > 1 && greens.get(0).equals(greens.get(greens.size() - 1)))
        {
            greens.remove(greens.size() - 1);
        }
        return greens;
    }

    /** The state between green {@code from} and green {@code to}: kept greens keep their letter, lost ones show {@code losing}. */
    static String clearance(final String from, final String to, final char losing)
    {
        final char[] state = new char[from.length()];
        for (int i = 0; i < state.length; i++)
        {
            final boolean greenBefore = SafetyCheck.aspect(from.charAt(i)) == SafetyCheck.GREEN;
            final boolean greenAfter = SafetyCheck.aspect(to.charAt(i)) == SafetyCheck.GREEN;
            state[i] = greenBefore && greenAfter ? from.charAt(i) : greenBefore ? losing : 'r';
        }
        return new String(state);
    }

    private static void phase(final StringBuilder xml, final long durationMs, final long minMs, final long maxMs, final String state)
    {
        xml.append("        <phase duration=\"").append(seconds(durationMs)).append("\" minDur=\"").append(seconds(minMs))
            .append("\" maxDur=\"").append(seconds(maxMs)).append("\" state=\"").append(state).append("\"/>\n");
    }

    private static String seconds(final long ms)
    {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
