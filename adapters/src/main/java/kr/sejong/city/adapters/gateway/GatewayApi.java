package kr.sejong.city.adapters.gateway;

import io.javalin.http.Context;
import kr.sejong.city.codecs.DemandResponseState;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.City;
import kr.sejong.city.config.Gateway.Center;
import kr.sejong.city.config.Gateway.Role;
import kr.sejong.city.config.Intersection;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's endpoints: each checks the caller's role, validates its body field by field, and offers
 * the SBE message on the node's ingress (where it is journaled before any loop sees it), then answers
 * 202 with the id. What the loop then decides comes back on egress (the ride's status, the incident's
 * new state, a Reject naming the reason) and is shown by {@code GET} endpoints and the event stream.
 * <p>
 * Every accepted request also puts an {@code OperatorAction} on the journal naming the client (who),
 * its role, what it asked and the state before and after as the gateway saw it: for operator actions on
 * incidents and signals the OperatorAction is the action itself; for business messages (rides, priority
 * requests, demand response, prices) it is an audit record of kind OTHER next to the message; an operator's
 * set-point is both: an OperatorAction SET_POINT (who, before, after) and, with the same actionId, the
 * structured {@code OperatorSetpoint} the grid balancing loop acts on.
 */
final class GatewayApi
{
    /** Latest accepted time: 2100-01-01, so that milliseconds times 10^6 stay far inside int64. */
    static final long MAX_TIME_MS = 4_102_444_800_000L;
    static final long UINT32_MAX = 0xFFFF_FFFFL;
    static final int MAX_ROUTE_POINTS = 32;
    /** An operator's set-point holds 15 minutes unless told otherwise, a day at most: a forgotten one must not stay for ever. */
    static final long DEFAULT_HOLD_S = 900;
    static final long MAX_HOLD_S = 86_400;
    private static final long NS_PER_MS = 1_000_000L;

    private final IngressPublisher ingress;
    private final LiveState state;
    private final Set<Long> stops = new TreeSet<>();
    private final Map<Long, Set<Long>> approaches = new TreeMap<>();
    /** ESS and chargers by id, with the range an operator's value may take (W). */
    private final Map<Long, EnergyDevice> energyDevices = new TreeMap<>();
    private final City.Boundary boundary;
    // ids made here: milliseconds since the epoch times 1000 at start, then counted, so a restarted gateway does not reuse them
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);

    GatewayApi(final CityConfig city, final IngressPublisher ingress, final LiveState state)
    {
        this.ingress = ingress;
        this.state = state;
        this.boundary = city.city().boundary();
        if (city.mobility() != null)
        {
            city.mobility().stops().forEach(s -> stops.add((long)s.id()));
        }
        if (city.traffic() != null)
        {
            for (final Intersection intersection : city.traffic().intersections())
            {
                final Set<Long> ids = new TreeSet<>();
                intersection.approaches().forEach(a -> ids.add((long)a.id()));
                approaches.put((long)intersection.id(), ids);
            }
        }
        if (city.energy() != null)
        {
            city.energy().ess().forEach(e -> energyDevices.put((long)e.id(), new EnergyDevice(DeviceKind.ESS, "ESS",
                -Math.round(e.maxDischargeKw() * 1000), Math.round(e.maxChargeKw() * 1000))));
            city.energy().evChargers().forEach(c -> energyDevices.put((long)c.id(), new EnergyDevice(DeviceKind.EV_CHARGER,
                c.v2g() ? "V2G charger" : "charger", c.v2g() ? -Math.round(c.powerKw() * 1000) : 0, Math.round(c.powerKw() * 1000))));
        }
    }

    // ------------------------------------------------------------------------------------------ mobility

    void postRide(final Context ctx)
    {
        final Principal who = principal(ctx);
        who.require(Center.TRAFFIC, Role.OPERATE, "request rides");
        final Body body = body(ctx).only("riderId", "origin", "destination", "earliestPickupAtMs", "partySize", "wheelchairs");
        final long riderId = body.integer("riderId", 1, Long.MAX_VALUE);
        final Place origin = place(body.object("origin"));
        final Place destination = place(body.object("destination"));
        if (origin.stopId > 0 && origin.stopId == destination.stopId)
        {
            throw ApiException.badField("destination.stopId", "is the origin's stop " + origin.stopId);
        }
        final long nowMs = System.currentTimeMillis();
        final long earliestMs = body.integer("earliestPickupAtMs", 0, MAX_TIME_MS, nowMs);
        final int partySize = (int)body.integer("partySize", 1, 255);
        final int wheelchairs = (int)body.integer("wheelchairs", 0, partySize, 0);
        final long requestId = ids.incrementAndGet();
        state.rideRequested(requestId, riderId, who.clientId());
        audit(who, Center.TRAFFIC, SubjectKind.REQUEST, requestId, "RideRequest " + requestId + " rider " + riderId + " party " + partySize);
        ingress.rideRequest(requestId, riderId, origin.stopId, origin.eastMm, origin.northMm, destination.stopId, destination.eastMm,
            destination.northMm, earliestMs * NS_PER_MS, partySize, wheelchairs);
        accepted(ctx, "requestId", requestId, "/api/rides/" + requestId);
    }

    void getRide(final Context ctx)
    {
        principal(ctx).require(Center.TRAFFIC, Role.VIEW, "see rides");
        final long requestId = pathId(ctx, "requestId");
        final LiveState.RideView ride = state.ride(requestId);
        if (ride == null)
        {
            throw new ApiException(404, "requestId", "requestId: no ride request " + requestId + " was made through this gateway");
        }
        ctx.json(ride);
    }

    void cancelRide(final Context ctx)
    {
        final Principal who = principal(ctx);
        who.require(Center.TRAFFIC, Role.OPERATE, "cancel rides");
        final long requestId = pathId(ctx, "requestId");
        final LiveState.RideView ride = state.ride(requestId);
        if (ride == null)
        {
            throw new ApiException(404, "requestId", "requestId: no ride request " + requestId + " was made through this gateway");
        }
        if ("CANCELLED".equals(ride.status()))
        {
            throw new ApiException(409, "requestId", "requestId: ride request " + requestId + " is already cancelled");
        }
        audit(who, Center.TRAFFIC, SubjectKind.REQUEST, requestId, "RideCancel " + requestId);
        ingress.rideCancel(requestId, ride.riderId());
        state.rideOutcome(requestId, "CANCELLED", 0, 0, "cancelled by " + who.clientId());
        accepted(ctx, "requestId", requestId, "/api/rides/" + requestId);
    }

    private record Place(long stopId, int eastMm, int northMm)
    {
    }

    private Place place(final Body body)
    {
        body.only("stopId", "eastM", "northM");
        if (body.has("stopId"))
        {
            if (body.has("eastM") || body.has("northM"))
            {
                throw ApiException.badField(body.path("stopId"), "give either stopId or eastM and northM, not both");
            }
            final long stopId = body.integer("stopId", 1, UINT32_MAX - 1);
            if (!stops.contains(stopId))
            {
                throw ApiException.badField(body.path("stopId"), "unknown stop " + stopId);
            }
            return new Place(stopId, Integer.MIN_VALUE, Integer.MIN_VALUE);
        }
        final double eastM = body.number("eastM", boundary.minEastM(), boundary.maxEastM());
        final double northM = body.number("northM", boundary.minNorthM(), boundary.maxNorthM());
        // null stop ids: the loop uses the position
        return new Place(UINT32_MAX, (int)Math.round(eastM * 1000), (int)Math.round(northM * 1000));
    }

    // ------------------------------------------------------------------------------------------ traffic

    void postPriorityRequest(final Context ctx)
    {
        final Principal who = principal(ctx);
        who.require(Center.TRAFFIC, Role.OPERATE, "send priority requests");
        final Body body = body(ctx).only("requestId", "vehicleId", "role", "type", "intersectionId", "approachId", "laneIndex", "etaMs", "route");
        final long requestId = body.integer("requestId", 1, Long.MAX_VALUE);
        final long vehicleId = body.integer("vehicleId", 1, UINT32_MAX - 1);
        final VehicleRole role = body.choice("role", VehicleRole.class,
            EnumSet.of(VehicleRole.AMBULANCE, VehicleRole.FIRE, VehicleRole.POLICE, VehicleRole.BRT_BUS, VehicleRole.SHUTTLE));
        final PriorityRequestType type = body.choice("type", PriorityRequestType.class,
            EnumSet.of(PriorityRequestType.REQUEST, PriorityRequestType.UPDATE, PriorityRequestType.CANCEL));
        final long intersectionId = intersection(body, "intersectionId");
        final int approachId = approach(body, "approachId", intersectionId);
        final int laneIndex = (int)body.integer("laneIndex", 0, 65534, -1);
        final int etaMs = (int)body.integer("etaMs", 0, 3_600_000);
        final Body[] points = body.has("route") ? body.objects("route", MAX_ROUTE_POINTS) : new Body[0];
        final IngressPublisher.RoutePoint[] route = new IngressPublisher.RoutePoint[points.length];
        for (int i = 0; i < points.length; i++)
        {
            final Body point = points[i].only("intersectionId", "approachId", "etaMs");
            final long pointIntersection = intersection(point, "intersectionId");
            route[i] = new IngressPublisher.RoutePoint(pointIntersection, approach(point, "approachId", pointIntersection),
                (int)point.integer("etaMs", 0, 3_600_000));
        }
        audit(who, Center.TRAFFIC, SubjectKind.VEHICLE, vehicleId, "PriorityRequest " + requestId + " " + lower(type) + " "
            + lower(role) + " at intersection " + intersectionId);
        ingress.priorityRequest(requestId, vehicleId, role, type, intersectionId, approachId, laneIndex, etaMs, route);
        accepted(ctx, "requestId", requestId, null);
    }

    void postControl(final Context ctx)
    {
        final Principal who = principal(ctx);
        who.require(Center.TRAFFIC, Role.MANAGE, "change an intersection's control");
        final long intersectionId = pathId(ctx, "intersectionId");
        if (!approaches.containsKey(intersectionId))
        {
            throw new ApiException(404, "intersectionId", "intersectionId: unknown intersection " + intersectionId);
        }
        final Body body = body(ctx).only("control");
        final String control = body.text("control", 32);
        if (!Set.of("adaptive", "maxpressure", "fixed").contains(control))
        {
            throw ApiException.badField("control", "must be one of adaptive, fixed, maxpressure, was \"" + control + "\"");
        }
        final LiveState.SignalView signal = state.signal(intersectionId);
        final long actionId = ids.incrementAndGet();
        ingress.operatorAction(new IngressPublisher.Action(actionId, codec(Center.TRAFFIC), codec(who.roleIn(Center.TRAFFIC)),
            OperatorActionKind.MODE_CHANGE, SubjectKind.INTERSECTION, intersectionId, who.clientId(), "control=" + control,
            signal == null ? "" : "mode=" + signal.mode(), "control=" + control));
        accepted(ctx, "actionId", actionId, null);
    }

    // ------------------------------------------------------------------------------------------ energy

    void postDemandResponse(final Context ctx)
    {
        final Principal who = principal(ctx);
        who.require(Center.ENERGY, Role.OPERATE, "send demand-response events");
        final Body body = body(ctx).only("eventId", "state", "reduceImportW", "startAtMs", "endAtMs");
        final long eventId = body.integer("eventId", 1, Long.MAX_VALUE);
        final DemandResponseState drState = body.choice("state", DemandResponseState.class,
            EnumSet.of(DemandResponseState.ANNOUNCED, DemandResponseState.ACTIVE, DemandResponseState.CANCELLED));
        final int reduceImportW = (int)body.integer("reduceImportW", 0, Integer.MAX_VALUE);
        final long startMs = body.integer("startAtMs", 0, MAX_TIME_MS);
        final long endMs = body.integer("endAtMs", 0, MAX_TIME_MS);
        if (endMs <= startMs)
        {
            throw ApiException.badField("endAtMs", "must be after startAtMs " + startMs + ", was " + endMs);
        }
        audit(who, Center.ENERGY, SubjectKind.NONE, eventId, "DemandResponseEvent " + eventId + " " + lower(drState) + " reduce "
            + reduceImportW + " W");
        ingress.demandResponse(eventId, drState, reduceImportW, startMs * NS_PER_MS, endMs * NS_PER_MS);
        accepted(ctx, "eventId", eventId, null);
    }

    void postPrice(final Context ctx)
    {
        final Principal who = principal(ctx);
        who.require(Center.ENERGY, Role.OPERATE, "send prices");
        final Body body = body(ctx).only("tariffId", "validFromMs", "validToMs", "importPriceKrwPerMwh", "exportPriceKrwPerMwh");
        final long tariffId = body.integer("tariffId", 1, UINT32_MAX - 1);
        final long fromMs = body.integer("validFromMs", 0, MAX_TIME_MS);
        final long toMs = body.integer("validToMs", 0, MAX_TIME_MS);
        if (toMs <= fromMs)
        {
            throw ApiException.badField("validToMs", "must be after validFromMs " + fromMs + ", was " + toMs);
        }
        final int importPrice = (int)body.integer("importPriceKrwPerMwh", Integer.MIN_VALUE + 1, Integer.MAX_VALUE);
        final int exportPrice = (int)body.integer("exportPriceKrwPerMwh", Integer.MIN_VALUE + 1, Integer.MAX_VALUE);
        audit(who, Center.ENERGY, SubjectKind.NONE, tariffId, "PriceSignal tariff " + tariffId + " import " + importPrice
            + " export " + exportPrice + " KRW/MWh");
        ingress.price(tariffId, fromMs * NS_PER_MS, toMs * NS_PER_MS, importPrice, exportPrice);
        accepted(ctx, "tariffId", tariffId, null);
    }

    /** An ESS or a charger, and the values an operator may give it: W, bus convention. */
    private record EnergyDevice(DeviceKind kind, String label, long minW, long maxW)
    {
    }

    /** Manual control of an ESS or a charger until DELETE or the hold ends (the grid balancing loop still clamps it for safety). */
    void postSetpoint(final Context ctx)
    {
        final Principal who = principal(ctx);
        who.require(Center.ENERGY, Role.OPERATE, "change grid set-points");
        final Body body = body(ctx).only("deviceId", "activePowerW", "holdS");
        final long deviceId = body.integer("deviceId", 1, UINT32_MAX - 1);
        final EnergyDevice device = energyDevices.get(deviceId);
        if (device == null)
        {
            throw ApiException.badField("deviceId", "unknown ESS or charger " + deviceId);
        }
        final int powerW = (int)body.integer("activePowerW", Integer.MIN_VALUE + 1, Integer.MAX_VALUE);
        if (powerW < device.minW() || powerW > device.maxW())
        {
            throw ApiException.badField("activePowerW", "must be " + device.minW() + " to " + device.maxW() + " W for " + device.label() + " "
                + deviceId + ", was " + powerW);
        }
        final long holdS = body.integer("holdS", 1, MAX_HOLD_S, DEFAULT_HOLD_S);
        final LiveState.SetpointView before = state.setpoint(deviceId);
        final long actionId = ids.incrementAndGet();
        final OperatorRole role = codec(who.roleIn(Center.ENERGY));
        ingress.operatorAction(new IngressPublisher.Action(actionId, codec(Center.ENERGY), role,
            OperatorActionKind.SET_POINT, SubjectKind.DEVICE, deviceId, who.clientId(), "activePowerW=" + powerW + " holdS=" + holdS,
            before == null ? "" : "activePowerW=" + before.activePowerW() + " reason=" + before.reason(),
            "activePowerW=" + powerW + " manual for " + holdS + " s"));
        ingress.operatorSetpoint(actionId, deviceId, device.kind(), role, powerW, holdS * 1000, false);
        accepted(ctx, "actionId", actionId, null);
    }

    /** The device back under automatic control. */
    void releaseSetpoint(final Context ctx)
    {
        final Principal who = principal(ctx);
        who.require(Center.ENERGY, Role.OPERATE, "change grid set-points");
        final long deviceId = pathId(ctx, "deviceId");
        final EnergyDevice device = energyDevices.get(deviceId);
        if (device == null)
        {
            throw new ApiException(404, "deviceId", "deviceId: unknown ESS or charger " + deviceId);
        }
        if (ctx.bodyAsBytes().length > 0)
        {
            body(ctx).only();
        }
        final LiveState.SetpointView before = state.setpoint(deviceId);
        final long actionId = ids.incrementAndGet();
        final OperatorRole role = codec(who.roleIn(Center.ENERGY));
        ingress.operatorAction(new IngressPublisher.Action(actionId, codec(Center.ENERGY), role,
            OperatorActionKind.SET_POINT, SubjectKind.DEVICE, deviceId, who.clientId(), "release",
            before == null ? "" : "activePowerW=" + before.activePowerW() + " reason=" + before.reason(), "automatic"));
        ingress.operatorSetpoint(actionId, deviceId, device.kind(), role, 0, 0, true);
        accepted(ctx, "actionId", actionId, null);
    }

    // ------------------------------------------------------------------------------------------ emergency

    void incidentAction(final Context ctx)
    {
        final Principal who = principal(ctx);
        final String actionName = ctx.pathParam("action");
        final OperatorActionKind kind = switch (actionName)
        {
            case "acknowledge" -> OperatorActionKind.ACKNOWLEDGE;
            case "assign" -> OperatorActionKind.ASSIGN;
            case "escalate" -> OperatorActionKind.ESCALATE;
            case "hold" -> OperatorActionKind.HOLD;
            case "close" -> OperatorActionKind.CLOSE;
            case "false-alarm" -> OperatorActionKind.MARK_FALSE_ALARM;
            default -> throw new ApiException(404, "action", "action: unknown incident action \"" + actionName
                + "\" (acknowledge, assign, escalate, hold, close, false-alarm)");
        };
        who.require(Center.EMERGENCY, Role.OPERATE, actionName + " incidents");
        final long incidentId = pathId(ctx, "incidentId");
        final LiveState.IncidentView incident = state.incident(incidentId);
        if (incident == null)
        {
            throw new ApiException(404, "incidentId", "incidentId: no incident " + incidentId);
        }
        if ("CLOSED".equals(incident.state()))
        {
            throw new ApiException(409, "incidentId", "incidentId: incident " + incidentId + " is closed");
        }
        String what = "";
        if (kind == OperatorActionKind.ASSIGN)
        {
            what = body(ctx).only("to").text("to", 60);
        }
        else if (ctx.bodyAsBytes().length > 0)
        {
            body(ctx).only();
        }
        final String before = "state=" + incident.state() + " priority=" + incident.priority() + " owner=" + incident.owner();
        final String after = switch (kind)
        {
            case ACKNOWLEDGE -> "state=" + ("NEW".equals(incident.state()) ? "IN_PROGRESS" : incident.state()) + " owner=" + who.clientId();
            case ASSIGN -> "state=" + ("NEW".equals(incident.state()) ? "IN_PROGRESS" : incident.state()) + " owner=" + what;
            case HOLD -> "state=ON_HOLD";
            case CLOSE, MARK_FALSE_ALARM -> "state=CLOSED";
            default -> "escalated";
        };
        final long actionId = ids.incrementAndGet();
        ingress.operatorAction(new IngressPublisher.Action(actionId, codec(Center.EMERGENCY), codec(who.roleIn(Center.EMERGENCY)),
            kind, SubjectKind.INCIDENT, incidentId, who.clientId(), what, before, after));
        accepted(ctx, "actionId", actionId, null);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void audit(final Principal who, final Center center, final SubjectKind subjectKind, final long subjectId, final String what)
    {
        ingress.operatorAction(new IngressPublisher.Action(ids.incrementAndGet(), codec(center), codec(who.roleIn(center)),
            OperatorActionKind.OTHER, subjectKind, subjectId, who.clientId(), what, "", ""));
    }

    private long intersection(final Body body, final String field)
    {
        final long id = body.integer(field, 1, UINT32_MAX - 1);
        if (!approaches.containsKey(id))
        {
            throw ApiException.badField(body.path(field), "unknown intersection " + id);
        }
        return id;
    }

    private int approach(final Body body, final String field, final long intersectionId)
    {
        final long id = body.integer(field, 0, 65534);
        final Set<Long> known = approaches.get(intersectionId);
        if (!known.contains(id))
        {
            throw ApiException.badField(body.path(field), "intersection " + intersectionId + " has no approach " + id + " (it has " + known + ")");
        }
        return (int)id;
    }

    static Principal principal(final Context ctx)
    {
        final Principal principal = ctx.attribute(GatewayServer.PRINCIPAL);
        if (principal == null)
        {
            throw new ApiException(401, "Authorization", "Authorization: missing");
        }
        return principal;
    }

    static Body body(final Context ctx)
    {
        final String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json"))
        {
            throw new ApiException(415, "Content-Type", "Content-Type: must be application/json, was " + (type == null ? "none" : "\"" + type + "\""));
        }
        return Body.parse(ctx.bodyAsBytes());
    }

    static long pathId(final Context ctx, final String name)
    {
        final String text = ctx.pathParam(name);
        try
        {
            final long id = Long.parseLong(text);
            if (id < 1)
            {
                throw ApiException.badField(name, "must be a positive integer, was " + text);
            }
            return id;
        }
        catch (final NumberFormatException ex)
        {
            throw ApiException.badField(name, "must be a positive integer, was \"" + text + "\"");
        }
    }

    private static void accepted(final Context ctx, final String idName, final long id, final String statusUrl)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "accepted");
        out.put(idName, id);
        if (statusUrl != null)
        {
            out.put("statusUrl", statusUrl);
        }
        ctx.status(202).json(out);
    }

    static kr.sejong.city.codecs.Center codec(final Center center)
    {
        return switch (center)
        {
            case TRAFFIC -> kr.sejong.city.codecs.Center.TRAFFIC;
            case ENERGY -> kr.sejong.city.codecs.Center.ENERGY;
            case EMERGENCY -> kr.sejong.city.codecs.Center.EMERGENCY;
        };
    }

    static OperatorRole codec(final Role role)
    {
        return switch (role)
        {
            case VIEW -> OperatorRole.VIEW;
            case OPERATE -> OperatorRole.OPERATE;
            case MANAGE -> OperatorRole.MANAGE;
            case CONFIGURE -> OperatorRole.CONFIGURE;
        };
    }

    private static String lower(final Enum<?> value)
    {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
