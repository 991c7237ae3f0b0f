package kr.sejong.city.adapters.twin;

import kr.sejong.city.adapters.twin.traci.TraciClient;
import kr.sejong.city.adapters.twin.traci.VariableSubscription;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.VehicleRole;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_LANEPOSITION;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_LANE_ID;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_ROAD_ID;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_ROUTE_INDEX;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_SPEED;

/**
 * The on-board units of the twin's emergency vehicles (SUMO vClass {@code emergency}) and buses (vClass
 * {@code bus}): what a real vehicle's unit would send the intersections ahead of it, as PriorityRequests
 * (docs/signal-twin-protocol.md, "Priority requests").
 * <h2>Following a vehicle</h2>
 * The {@link VehicleLedger} reads each vehicle's class once, at departure, and subscribes the vehicles of
 * the two categories with this unit's variables as well (road, lane, lane position, speed, route index):
 * ordinary cars never carry more than the ledger's own two. At departure the unit reads the vehicle's type
 * (for its role) and route once; the route is read again only when the vehicle turns out not to be on it
 * (a reroute).
 * <h2>Each step</h2>
 * From the vehicle's position the remaining route is walked, adding up distance (the rest of the current
 * edge, then whole edges; the junctions' internal lanes ahead are not counted, a few metres each), to the
 * next signalised junction: the first route edge, the current one included, that is an incoming edge of a
 * light. Its ETA is {@code d / max(speed, 0.6 * the current lane's speed limit, 1 m/s)}: the floor keeps a
 * vehicle that waits at a red light from announcing an ETA of forever. Emergency vehicles also list up to
 * {@value #ROUTE_AHEAD} further signalised junctions with the free-flow time of the edges in between (length
 * over speed limit) added to that ETA, so the loop can clear a corridor; buses list none.
 * <ul>
 *   <li>Within {@link TwinAdapter.Context#requestDistanceM} of the next junction: a REQUEST the first
 *   time, an UPDATE every following step, under one request id (counted from 1 over the run).</li>
 *   <li>Once the vehicle has left that junction's incoming edge (it crossed the stop line, it is inside the
 *   junction or beyond), left its route, or left the simulation: one CANCEL, then the next junction. After a
 *   reroute the open request is cancelled and the junctions of the new route are asked afresh.</li>
 * </ul>
 * <h2>Vehicle ids</h2>
 * A SUMO flow's vehicles are named {@code <flow>.<k>}. When {@code <flow>} is a transit line of the
 * configuration ({@link TwinAdapter.Context#obuIdBases}), vehicle k runs trip k and its unit is
 * {@code firstVehicleId + k}, so that the loop finds its timetable; every other followed vehicle gets the
 * next id from {@value #SEQUENTIAL_ID_FIRST}, in order of departure.
 */
final class OnBoardUnits implements VehicleLedger.Tracker
{
    /** The first id handed out to vehicles that run no transit line. */
    static final long SEQUENTIAL_ID_FIRST = 1_000_000L;
    /** Signalised junctions after the next one that an emergency vehicle's request lists. */
    static final int ROUTE_AHEAD = 4;
    /** The ETA's speed floor, as a fraction of the current lane's speed limit. */
    static final double ETA_SPEED_LIMIT_FRACTION = 0.6;
    /** The ETA's absolute speed floor, m/s. */
    static final double ETA_MIN_SPEED_MPS = 1.0;
    /** laneIndex when the vehicle is not yet on a lane of the junction (sent as null). */
    static final int NO_LANE = -1;

    private static final int[] VARIABLES = {VAR_ROAD_ID, VAR_LANE_ID, VAR_LANEPOSITION, VAR_SPEED, VAR_ROUTE_INDEX};

    /**
     * Where an edge ends at a light.
     *
     * @param intersectionId the light's intersection id (its index + 1 in ascending SUMO id).
     * @param approachIndex  the edge's approach index in the light's topology.
     */
    record Approach(long intersectionId, int approachIndex)
    {
    }

    /** A junction further along an emergency vehicle's route. */
    record RoutePoint(long intersectionId, int approachId, int etaMs)
    {
    }

    /**
     * One PriorityRequest to send.
     *
     * @param laneIndex the vehicle's lane in the topology's lanes, {@link #NO_LANE} when it is not on the
     *                  junction's incoming edge yet (and for a CANCEL).
     * @param etaMs     0 for a CANCEL.
     * @param route     the junctions after this one (emergency vehicles), empty otherwise.
     */
    record Request(long requestId, long vehicleId, VehicleRole role, PriorityRequestType type, long intersectionId, int approachId,
        int laneIndex, int etaMs, List<RoutePoint> route)
    {
    }

    /** An open request: for the junction at this index of the route. */
    private record Active(long requestId, int routeIndex, Approach approach)
    {
    }

    private static final class Unit
    {
        final String sumoId;
        final long vehicleId;
        final VehicleRole role;
        final boolean emergency;
        final VariableSubscription subscription;
        List<String> route;
        Active active;

        Unit(final String sumoId, final long vehicleId, final VehicleRole role, final boolean emergency,
            final VariableSubscription subscription, final List<String> route)
        {
            this.sumoId = sumoId;
            this.vehicleId = vehicleId;
            this.role = role;
            this.emergency = emergency;
            this.subscription = subscription;
            this.route = route;
        }
    }

    private final TraciClient traci;
    private final double requestDistanceM;
    private final Map<String, Integer> idBases;
    private final boolean buses;
    private final Map<String, Approach> approaches = new HashMap<>();
    private final Map<String, Integer> laneIndexes = new HashMap<>();
    private final Map<String, Double> edgeLengths = new HashMap<>();
    private final Map<String, Double> edgeSpeeds = new HashMap<>();
    private final Map<String, Double> laneLengths = new HashMap<>();
    private final Map<String, Double> laneSpeeds = new HashMap<>();
    /** In order of departure, so requests go out in the same order every run. */
    private final Map<String, Unit> units = new LinkedHashMap<>();
    private final List<Request> cancelsOfGone = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private long nextRequestId = 1;
    private long nextSequentialId = SEQUENTIAL_ID_FIRST;

    /**
     * @param traci            the connection (for the lazily read lengths and speed limits, types and routes).
     * @param lights           the lights in intersection id order: light i is intersection i + 1.
     * @param requestDistanceM how close to a junction's stop line a vehicle starts asking, m.
     * @param idBases          transit line (SUMO flow) name to the on-board-unit id of its trip 0.
     */
    OnBoardUnits(final TraciClient traci, final List<TrafficLight> lights, final double requestDistanceM, final Map<String, Integer> idBases)
    {
        this(traci, lights, requestDistanceM, idBases, true);
    }

    /**
     * @param buses whether buses' units ask too (false: emergency vehicles only, to measure bus priority apart).
     */
    OnBoardUnits(final TraciClient traci, final List<TrafficLight> lights, final double requestDistanceM, final Map<String, Integer> idBases,
        final boolean buses)
    {
        this.buses = buses;
        this.traci = traci;
        this.requestDistanceM = requestDistanceM;
        this.idBases = Map.copyOf(idBases);
        for (int i = 0; i < lights.size(); i++)
        {
            final TrafficLight light = lights.get(i);
            final long intersectionId = i + 1;
            for (int l = 0; l < light.lanes().size(); l++)
            {
                final TrafficLight.Lane lane = light.lanes().get(l);
                if (lane.pedestrian())
                {
                    continue;
                }
                final Approach approach = approaches.computeIfAbsent(lane.edgeId(), e -> new Approach(intersectionId, lane.approachIndex()));
                if (approach.intersectionId() == intersectionId)
                {
                    laneIndexes.put(lane.id(), l);
                }
                edgeLengths.putIfAbsent(lane.edgeId(), lane.lengthM());
                edgeSpeeds.putIfAbsent(lane.edgeId(), lane.speedLimitMps());
                laneLengths.put(lane.id(), lane.lengthM());
                laneSpeeds.put(lane.id(), lane.speedLimitMps());
            }
        }
    }

    // ---------------------------------------------------------------------------------- VehicleLedger.Tracker

    @Override
    public boolean tracks(final VehicleCategory category)
    {
        return category == VehicleCategory.EMERGENCY || buses && category == VehicleCategory.TRANSIT;
    }

    @Override
    public int[] variables()
    {
        return VARIABLES.clone();
    }

    @Override
    public void departed(final String id, final VehicleCategory category, final VariableSubscription subscription)
    {
        final boolean emergency = category == VehicleCategory.EMERGENCY;
        final VehicleRole role = emergency ? emergencyRole(traci.vehicleType(id)) : VehicleRole.BRT_BUS;
        units.put(id, new Unit(id, vehicleId(id), role, emergency, subscription, traci.vehicleRoute(id)));
    }

    @Override
    public void arrived(final String id)
    {
        final Unit unit = units.remove(id);
        if (unit != null && unit.active != null)
        {
            cancelsOfGone.add(cancel(unit));
            unit.active = null;
        }
    }

    // ---------------------------------------------------------------------------------- requests

    /**
     * The requests of this step, for the state after the last simulation step: first the CANCELs of
     * vehicles that left the simulation, then per vehicle in order of departure. The list is reused.
     */
    List<Request> step()
    {
        requests.clear();
        requests.addAll(cancelsOfGone);
        cancelsOfGone.clear();
        final long step = traci.step();
        for (final Unit unit : units.values())
        {
            if (unit.subscription.updatedAtStep() == step)
            {
                follow(unit);
            }
            // else: not on the road this step (teleporting): nothing new is known, nothing is sent
        }
        return requests;
    }

    private void follow(final Unit unit)
    {
        final VariableSubscription values = unit.subscription;
        final String road = values.string(VAR_ROAD_ID);
        final String lane = values.string(VAR_LANE_ID);
        final double lanePositionM = values.number(VAR_LANEPOSITION);
        final double speedMps = Math.max(0.0, values.number(VAR_SPEED));
        final int routeIndex = values.integer(VAR_ROUTE_INDEX);
        if (road == null || road.isEmpty())
        {
            return;
        }
        final boolean internal = road.charAt(0) == ':';
        boolean rerouted = false;
        if (!onRoute(unit.route, routeIndex, internal ? null : road))
        {
            unit.route = traci.vehicleRoute(unit.sumoId);
            rerouted = true;
            if (!onRoute(unit.route, routeIndex, internal ? null : road))
            {
                if (unit.active != null)
                {
                    requests.add(cancel(unit));
                    unit.active = null;
                }
                return; // cannot be placed on its route this step
            }
        }

        // inside a junction it is past the edge before it (its route index) but not yet on the next one
        final double position = internal ? routeIndex + 0.5 : routeIndex;
        if (unit.active != null && (rerouted || position > unit.active.routeIndex()))
        {
            requests.add(cancel(unit));
            unit.active = null;
        }

        final List<String> route = unit.route;
        final int wanted = unit.emergency ? 1 + ROUTE_AHEAD : 1;
        final List<RoutePoint> ahead = unit.emergency ? new ArrayList<>(ROUTE_AHEAD) : List.of();
        double distanceM = Math.max(0.0, (internal ? laneLength(lane) : edgeLength(road)) - lanePositionM);
        double etaS = 0;
        double freeFlowS = 0;
        int nextIndex = -1;
        Approach next = null;
        double nextDistanceM = 0;
        int found = 0;
        for (int i = internal ? routeIndex + 1 : routeIndex; i < route.size() && found < wanted; i++)
        {
            final String edge = route.get(i);
            if (i > routeIndex)
            {
                final double lengthM = edgeLength(edge);
                distanceM += lengthM;
                if (found > 0)
                {
                    freeFlowS += lengthM / Math.max(ETA_MIN_SPEED_MPS, edgeSpeed(edge));
                }
            }
            final Approach approach = approaches.get(edge);
            if (approach == null)
            {
                continue;
            }
            if (found == 0)
            {
                nextIndex = i;
                next = approach;
                nextDistanceM = distanceM;
                etaS = distanceM / Math.max(speedMps, Math.max(ETA_SPEED_LIMIT_FRACTION * laneSpeed(lane), ETA_MIN_SPEED_MPS));
            }
            else
            {
                ahead.add(new RoutePoint(approach.intersectionId(), approach.approachIndex(), etaMs(etaS + freeFlowS)));
            }
            found++;
        }
        if (next == null)
        {
            return; // no signalised junction left on its route
        }
        if (unit.active != null && unit.active.routeIndex() != nextIndex)
        {
            requests.add(cancel(unit)); // only after a reroute moved the junctions
            unit.active = null;
        }
        final PriorityRequestType type;
        if (unit.active != null)
        {
            type = PriorityRequestType.UPDATE;
        }
        else if (nextDistanceM <= requestDistanceM)
        {
            type = PriorityRequestType.REQUEST;
            unit.active = new Active(nextRequestId++, nextIndex, next);
        }
        else
        {
            return; // not close enough yet
        }
        final int laneIndex = !internal && nextIndex == routeIndex ? laneIndexes.getOrDefault(lane, NO_LANE) : NO_LANE;
        requests.add(new Request(unit.active.requestId(), unit.vehicleId, unit.role, type, next.intersectionId(), next.approachIndex(),
            laneIndex, etaMs(etaS), ahead));
    }

    private static boolean onRoute(final List<String> route, final int routeIndex, final String edge)
    {
        return routeIndex >= 0 && routeIndex < route.size() && (edge == null || route.get(routeIndex).equals(edge));
    }

    private static Request cancel(final Unit unit)
    {
        final Approach approach = unit.active.approach();
        return new Request(unit.active.requestId(), unit.vehicleId, unit.role, PriorityRequestType.CANCEL, approach.intersectionId(),
            approach.approachIndex(), NO_LANE, 0, List.of());
    }

    private static int etaMs(final double etaS)
    {
        return (int)Math.min(Integer.MAX_VALUE - 1L, Math.round(etaS * 1000.0));
    }

    /** Role from the vehicle type's id: ambulance, fire, police; any other emergency vehicle counts as an ambulance. */
    static VehicleRole emergencyRole(final String typeId)
    {
        final String type = typeId.toLowerCase(Locale.ROOT);
        if (type.contains("ambulance"))
        {
            return VehicleRole.AMBULANCE;
        }
        if (type.contains("fire"))
        {
            return VehicleRole.FIRE;
        }
        if (type.contains("police"))
        {
            return VehicleRole.POLICE;
        }
        return VehicleRole.AMBULANCE;
    }

    /** The unit's id: a transit line's trip, or the next sequential id (see the class comment). */
    long vehicleId(final String sumoId)
    {
        final int dot = sumoId.lastIndexOf('.');
        if (dot > 0 && dot < sumoId.length() - 1)
        {
            final Integer base = idBases.get(sumoId.substring(0, dot));
            final String trip = sumoId.substring(dot + 1);
            // at most 9 digits: base (an int) + trip stays below 2^32 - 1, the schema's null
            if (base != null && trip.length() <= 9 && trip.chars().allMatch(c -> c >= '0' && c <= '9'))
            {
                return base + Long.parseLong(trip);
            }
        }
        return nextSequentialId++;
    }

    private double edgeLength(final String edge)
    {
        return cached(edgeLengths, edge, e -> traci.laneLength(e + "_0"));
    }

    private double edgeSpeed(final String edge)
    {
        return cached(edgeSpeeds, edge, e -> traci.laneMaxSpeed(e + "_0"));
    }

    private double laneLength(final String lane)
    {
        return cached(laneLengths, lane, traci::laneLength);
    }

    private double laneSpeed(final String lane)
    {
        return cached(laneSpeeds, lane, traci::laneMaxSpeed);
    }

    /** A network value known from the model, or read from SUMO once (its first lane's, for an edge) and kept. */
    private static double cached(final Map<String, Double> cache, final String key, final java.util.function.ToDoubleFunction<String> read)
    {
        Double value = cache.get(key);
        if (value == null)
        {
            value = read.applyAsDouble(key);
            cache.put(key, value);
        }
        return value;
    }
}
