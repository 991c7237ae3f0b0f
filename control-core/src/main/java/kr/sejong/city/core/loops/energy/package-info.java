/**
 * Smart-grid balancing for the energy management center (issue 8): one loop, {@link
 * kr.sejong.city.core.loops.energy.EnergyLoop} ("energy"), that answers every Tick with the set-points of the
 * microgrid's ESS, EV chargers, PV inverters and controllable loads.
 *
 * <h2>Where a decision is made</h2>
 * <ul>
 *   <li>{@link kr.sejong.city.core.loops.energy.EnergyLoop}: decoding at the edge, measurement checks, energy
 *   integration (EV needs, settlement, demand-response baseline), egress. No arithmetic of its own.</li>
 *   <li>{@link kr.sejong.city.core.loops.energy.Balancer}: the decision of one Tick, in the order of
 *   priority (PCC limits, frequency response, demand response, EV deadlines, self-consumption and time of
 *   use), the devices under an operator's manual set-point (which outrank goals 3 to 5, not the PCC limits, the
 *   droop or the device limits), and the safe fallback.</li>
 *   <li>Pure arithmetic, tested directly: {@link kr.sejong.city.core.loops.energy.PccLimit} (limits, margin,
 *   the demand-response cap), {@link kr.sejong.city.core.loops.energy.FrequencyDroop},
 *   {@link kr.sejong.city.core.loops.energy.EssLimits} (SoC window and rating per tick, sharing among units),
 *   {@link kr.sejong.city.core.loops.energy.EvScheduling} (required power, laxity, least-laxity shedding),
 *   {@link kr.sejong.city.core.loops.energy.TouPlan} (the rolling 24 h plan in 15-minute slots),
 *   {@link kr.sejong.city.core.loops.energy.NeighbourSettlement} (the 50 % neighbour cap),
 *   {@link kr.sejong.city.core.loops.energy.OperatorSetpoints} (an operator's manual set-point against the device's
 *   range, its SoC window and the PCC limits).</li>
 *   <li>{@link kr.sejong.city.core.loops.energy.MeasurementHealth}: stale (older than 2 s), invalid (null, out of
 *   physical range, stamped more than 1 s ahead), counted and reported.</li>
 * </ul>
 *
 * <h2>Wire conventions of the set-points</h2>
 * Bus sign convention throughout (drawn from the bus positive). {@code Setpoint.activePowerW} is: for an ESS
 * or a charger the power to run at (V2G negative); for a PV inverter the most it may deliver, as a negative
 * number (minus the peak: no curtailment); for a controllable load the reduction asked, as a negative number.
 * Set-points are sent when they move beyond a dead band (ESS and PV 1 kW, chargers 100 W) or to exactly zero,
 * and to a charger whenever a new vehicle plugs in. Each Tick's answer ends with one {@code BalancingStatus}
 * (schema version 4): the planned PCC power, the limits in force, each priority's share, the fallback flag
 * and the counts of stale and invalid measurements. Settlements go out per prosumer every 15 minutes.
 *
 * <p>docs/energy.md explains the algorithm with the measured figures.
 */
package kr.sejong.city.core.loops.energy;
