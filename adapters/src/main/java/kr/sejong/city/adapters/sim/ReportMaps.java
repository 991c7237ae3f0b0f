package kr.sejong.city.adapters.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps for the JSON reports of runs (twin, simulate, benchmarks): kept in the order their entries are given, so a
 * regenerated report differs from the last only where a figure does. {@code Map.of} iterates in an order that
 * changes from one JVM to the next.
 */
public final class ReportMaps
{
    private ReportMaps()
    {
    }

    /** {@code ordered("a", 1, "b", 2)}: keys (strings) and values, alternately. */
    public static Map<String, Object> ordered(final Object... keysAndValues)
    {
        if (keysAndValues.length % 2 != 0)
        {
            throw new IllegalArgumentException("ordered: keys and values come in pairs, got " + keysAndValues.length + " arguments");
        }
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            map.put((String)keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
