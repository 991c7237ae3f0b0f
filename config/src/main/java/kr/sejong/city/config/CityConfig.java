package kr.sejong.city.config;

/**
 * The whole configuration of one control node: the city, the node runtime and what each control
 * loop and the field simulator need. Read from YAML by {@link ConfigLoader}, which also validates it.
 *
 * @param city      the city and its local metric frame.
 * @param node      the node runtime; defaults apply when the section is omitted.
 * @param traffic   intersections, detectors and links for signal control and priority.
 * @param mobility  shuttle stops, fleet, chargers and service rules for dispatch.
 * @param energy    the microgrid for grid balancing.
 * @param emergency places, cameras, agencies and hospitals for incident triage.
 * @param simulator seed and rates of the field simulator.
 * @param gateway   the business-systems gateway and console (may be left out: no gateway).
 * @param field     field devices the node talks to directly, e.g. OPC UA servers (may be left out).
 */
public record CityConfig(
    City city,
    Node node,
    Traffic traffic,
    Mobility mobility,
    Energy energy,
    Emergency emergency,
    Simulator simulator,
    Gateway gateway,
    Field field)
{
    public CityConfig
    {
        // most city files omit the node section: it tunes the runtime, not the city
        node = node == null ? Node.defaults() : node;
    }

    /** Without a field section (no directly connected field devices). */
    public CityConfig(final City city, final Node node, final Traffic traffic, final Mobility mobility, final Energy energy,
        final Emergency emergency, final Simulator simulator, final Gateway gateway)
    {
        this(city, node, traffic, mobility, energy, emergency, simulator, gateway, null);
    }

    /** The same city with another shuttle dispatch policy ({@link Mobility.Service#withPolicy}; the promises unchanged). */
    public CityConfig withDispatchPolicy(final double waitCostMPerS, final double newShuttleCostM, final boolean rebalancing)
    {
        final Mobility m = mobility;
        return new CityConfig(city, node, traffic,
            new Mobility(m.stops(), m.waypoints(), m.passages(), m.fleet(), m.chargers(), m.service().withPolicy(waitCostMPerS, newShuttleCostM, rebalancing)),
            energy, emergency, simulator, gateway, field);
    }
}
