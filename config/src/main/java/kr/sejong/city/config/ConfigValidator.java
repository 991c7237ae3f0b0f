package kr.sejong.city.config;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks a configuration must pass after it has been read: ranges, unique ids and references
 * between entities. Walks the configuration in declaration order and stops at the first problem,
 * so a file always gives the same single message.
 */
final class ConfigValidator
{
    /** Positions travel as int32 millimetres: about 2147 km either way. */
    private static final double FRAME_LIMIT_M = 2_000_000;
    /** Approach ids travel as uint16, whose largest value means "absent". */
    private static final int APPROACH_ID_MAX = 65534;
    /** Positions are rounded to the decimetre in files; a link may look that much shorter than the line. */
    private static final double LINK_LENGTH_TOLERANCE_M = 1.0;

    private final String file;
    private City.Boundary boundary;

    private ConfigValidator(final String file)
    {
        this.file = file;
    }

    static void validate(final CityConfig config, final String file)
    {
        new ConfigValidator(file).config(config);
    }

    private void config(final CityConfig config)
    {
        final City city = present(config.city(), "city");
        city(city);
        node(present(config.node(), "node"));
        traffic(present(config.traffic(), "traffic"));
        mobility(present(config.mobility(), "mobility"));
        energy(present(config.energy(), "energy"), city);
        emergency(present(config.emergency(), "emergency"));
        simulator(present(config.simulator(), "simulator"));
        if (config.gateway() != null)
        {
            gateway(config.gateway(), config.emergency());
        }
        if (config.field() != null && config.field().opcua() != null)
        {
            new FieldValidator(file).opcua(config.field().opcua(), config.traffic(), config.energy(), config.emergency());
        }
    }

    private void gateway(final Gateway gateway, final Emergency emergency)
    {
        text(gateway.host(), "gateway.host");
        within(gateway.port(), 0, 65535, "gateway.port");
        within(gateway.maxBodyBytes(), 256, 16 * 1024 * 1024, "gateway.maxBodyBytes");
        rateLimit(present(gateway.rateLimit(), "gateway.rateLimit"), "gateway.rateLimit");
        nonEmpty(gateway.clients(), "gateway.clients");
        final Map<String, String> clientIds = new TreeMap<>();
        for (int i = 0; i < gateway.clients().size(); i++)
        {
            final String path = "gateway.clients[" + i + "]";
            final Gateway.Client client = gateway.clients().get(i);
            text(client.id(), path + ".id");
            if (!client.id().matches("[a-z0-9][a-z0-9-]{0,62}"))
            {
                throw fail(path + ".id", "must be lower-case letters, digits and '-' (at most 63), was \"" + client.id() + "\"");
            }
            final String first = clientIds.putIfAbsent(client.id(), path);
            if (first != null)
            {
                throw fail(path + ".id", "duplicate client id \"" + client.id() + "\" (first at " + first + ")");
            }
            text(client.keyHash(), path + ".keyHash");
            try
            {
                ApiKeyHash.parse(client.keyHash());
            }
            catch (final IllegalArgumentException ex)
            {
                throw fail(path + ".keyHash", ex.getMessage());
            }
            nonEmpty(client.grants(), path + ".grants");
            final Set<Gateway.Center> centers = java.util.EnumSet.noneOf(Gateway.Center.class);
            for (int g = 0; g < client.grants().size(); g++)
            {
                final String grantPath = path + ".grants[" + g + "]";
                final Gateway.Grant grant = client.grants().get(g);
                present(grant.center(), grantPath + ".center");
                present(grant.role(), grantPath + ".role");
                if (!centers.add(grant.center()))
                {
                    throw fail(grantPath + ".center", "a second grant for " + grant.center().name().toLowerCase(java.util.Locale.ROOT)
                        + "; give one role per center");
                }
            }
            if (client.rateLimit() != null)
            {
                rateLimit(client.rateLimit(), path + ".rateLimit");
            }
        }

        final Gateway.Notifications notifications = present(gateway.notifications(), "gateway.notifications");
        final Gateway.Retry retry = present(notifications.retry(), "gateway.notifications.retry");
        positive(retry.initialBackoffMs(), "gateway.notifications.retry.initialBackoffMs");
        atLeast(retry.maxBackoffMs(), retry.initialBackoffMs(), "initialBackoffMs", "gateway.notifications.retry.maxBackoffMs");
        positive(retry.timeoutMs(), "gateway.notifications.retry.timeoutMs");
        final Set<Integer> hospitalIds = new TreeSet<>();
        if (emergency != null)
        {
            emergency.hospitals().forEach(h -> hospitalIds.add(h.id()));
        }
        final Set<String> receivers = new TreeSet<>();
        final Map<String, String> names = new TreeMap<>();
        for (int i = 0; i < notifications.endpoints().size(); i++)
        {
            final String path = "gateway.notifications.endpoints[" + i + "]";
            final Gateway.Endpoint endpoint = notifications.endpoints().get(i);
            text(endpoint.name(), path + ".name");
            // the name keys the receiver's acknowledgement state (a file name): it must stay one receiver's
            if (!endpoint.name().matches("[a-z0-9][a-z0-9-]{0,62}"))
            {
                throw fail(path + ".name", "must be lower-case letters, digits and '-' (at most 63), was \"" + endpoint.name() + "\"");
            }
            final String first = names.putIfAbsent(endpoint.name(), path);
            if (first != null)
            {
                throw fail(path + ".name", "duplicate endpoint name \"" + endpoint.name() + "\" (first at " + first + ")");
            }
            if ((endpoint.agency() == null) == (endpoint.hospitalId() == null))
            {
                throw fail(path, "give exactly one of agency and hospitalId");
            }
            if (endpoint.hospitalId() != null && !hospitalIds.contains(endpoint.hospitalId()))
            {
                throw fail(path + ".hospitalId", "unknown hospital " + endpoint.hospitalId() + " (emergency.hospitals: " + hospitalIds + ")");
            }
            final String receiver = endpoint.agency() != null ? "agency " + endpoint.agency() : "hospital " + endpoint.hospitalId();
            if (!receivers.add(receiver))
            {
                throw fail(path, "a second endpoint for " + receiver);
            }
            httpUrl(endpoint.url(), path + ".url");
        }
        if (notifications.settlement() != null)
        {
            httpUrl(notifications.settlement(), "gateway.notifications.settlement");
        }
        if (notifications.stateDir() != null)
        {
            text(notifications.stateDir(), "gateway.notifications.stateDir");
            try
            {
                java.nio.file.Path.of(notifications.stateDir());
            }
            catch (final java.nio.file.InvalidPathException ex)
            {
                throw fail("gateway.notifications.stateDir", "is not a path: " + ex.getMessage());
            }
        }
    }

    private void rateLimit(final Gateway.RateLimit limit, final String path)
    {
        positive(limit.requestsPerSecond(), path + ".requestsPerSecond");
        positive(limit.burst(), path + ".burst");
    }

    private void httpUrl(final String url, final String path)
    {
        text(url, path);
        try
        {
            final java.net.URI uri = new java.net.URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null)
            {
                throw fail(path, "must be an http:// or https:// URL with a host, was \"" + url + "\"");
            }
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw fail(path, "is not a URL: " + ex.getMessage());
        }
    }

    private void city(final City city)
    {
        text(city.name(), "city.name");
        text(city.timeZone(), "city.timeZone");
        try
        {
            ZoneId.of(city.timeZone());
        }
        catch (final DateTimeException ex)
        {
            throw fail("city.timeZone", "unknown time zone \"" + city.timeZone() + "\"");
        }
        final City.Origin origin = present(city.origin(), "city.origin");
        within(origin.latitudeDeg(), -90, 90, "city.origin.latitudeDeg");
        within(origin.longitudeDeg(), -180, 180, "city.origin.longitudeDeg");
        positive(city.areaKm2(), "city.areaKm2");
        positive(city.residents(), "city.residents");
        positive(city.households(), "city.households");
        atMost(city.households(), city.residents(), "residents", "city.households");

        final City.Boundary frame = present(city.boundary(), "city.boundary");
        within(frame.minEastM(), -FRAME_LIMIT_M, FRAME_LIMIT_M, "city.boundary.minEastM");
        within(frame.maxEastM(), -FRAME_LIMIT_M, FRAME_LIMIT_M, "city.boundary.maxEastM");
        within(frame.minNorthM(), -FRAME_LIMIT_M, FRAME_LIMIT_M, "city.boundary.minNorthM");
        within(frame.maxNorthM(), -FRAME_LIMIT_M, FRAME_LIMIT_M, "city.boundary.maxNorthM");
        greater(frame.maxEastM(), frame.minEastM(), "minEastM", "city.boundary.maxEastM");
        greater(frame.maxNorthM(), frame.minNorthM(), "minNorthM", "city.boundary.maxNorthM");
        boundary = frame;
    }

    private void node(final Node node)
    {
        present(node.mode(), "node.mode");
        present(node.threading(), "node.threading");
        present(node.idleStrategy(), "node.idleStrategy");
        positive(node.tickPeriodMs(), "node.tickPeriodMs");
        final int ringSize = node.ringSize();
        if (ringSize <= 0 || (ringSize & (ringSize - 1)) != 0)
        {
            throw fail("node.ringSize", "must be a power of two, was " + ringSize);
        }
        positive(node.maxFrameLengthBytes(), "node.maxFrameLengthBytes");
        text(node.journalRollCycle(), "node.journalRollCycle");
        if (!Node.JOURNAL_ROLL_CYCLES.contains(node.journalRollCycle()))
        {
            throw fail("node.journalRollCycle", "must be one of " + String.join(", ", Node.JOURNAL_ROLL_CYCLES) +
                ", was \"" + node.journalRollCycle() + "\"");
        }
        positive(node.egressRetryLimit(), "node.egressRetryLimit");

        final Node.Aeron aeron = present(node.aeron(), "node.aeron");
        if (aeron.dir() != null)
        {
            text(aeron.dir(), "node.aeron.dir");
        }
        channel(aeron.ingressChannel(), "node.aeron.ingressChannel");
        channel(aeron.egressChannel(), "node.aeron.egressChannel");
        if (aeron.ingressChannel().equals(aeron.egressChannel()) && aeron.ingressStreamId() == aeron.egressStreamId())
        {
            throw fail("node.aeron.egressStreamId", "must differ from ingressStreamId " + aeron.ingressStreamId() +
                " on the same channel, was " + aeron.egressStreamId());
        }
    }

    private void channel(final String channel, final String path)
    {
        text(channel, path);
        if (!channel.startsWith("aeron:"))
        {
            throw fail(path, "must be an Aeron channel URI (aeron:ipc, aeron:udp?...), was \"" + channel + "\"");
        }
    }

    private void traffic(final Traffic traffic)
    {
        positive(traffic.speedLimitKmh(), "traffic.speedLimitKmh");

        final Traffic.SignalTiming timing = present(traffic.signalTiming(), "traffic.signalTiming");
        positive(timing.minGreenMs(), "traffic.signalTiming.minGreenMs");
        atLeast(timing.yellowMs(), Traffic.SignalTiming.YELLOW_MS_MIN, "traffic.signalTiming.yellowMs");
        atLeast(timing.allRedMs(), 0, "traffic.signalTiming.allRedMs");
        atLeast(timing.maxGreenMs(), timing.minGreenMs(), "minGreenMs", "traffic.signalTiming.maxGreenMs");

        final Traffic.Priority priority = present(traffic.priority(), "traffic.priority");
        atLeast(priority.maxGreenExtensionMs(), 0, "traffic.priority.maxGreenExtensionMs");
        atLeast(priority.busLateThresholdS(), 0, "traffic.priority.busLateThresholdS");
        positive(priority.maxPresenceS(), "traffic.priority.maxPresenceS");
        atLeast(priority.preemptDelayMs(), 0, "traffic.priority.preemptDelayMs");
        if (priority.pedestrianClearanceMinMs() != null)
        {
            within(priority.pedestrianClearanceMinMs(), 0, timing.minGreenMs(), "traffic.priority.pedestrianClearanceMinMs");
        }
        positive(priority.requestTimeoutMs(), "traffic.priority.requestTimeoutMs");
        atLeast(priority.corridorLeadS(), 0, "traffic.priority.corridorLeadS");
        atLeast(priority.exitProgramPhase(), -1, "traffic.priority.exitProgramPhase");
        for (int i = 0; i < priority.trackClearances().size(); i++)
        {
            final String path = "traffic.priority.trackClearances[" + i + "]";
            final Traffic.TrackClearance track = priority.trackClearances().get(i);
            text(track.intersection(), path + ".intersection");
            atLeast(track.approach(), 0, path + ".approach");
            positive(track.durationMs(), path + ".durationMs");
        }
        final Set<String> lineNames = new HashSet<>();
        for (int i = 0; i < priority.transitLines().size(); i++)
        {
            final String path = "traffic.priority.transitLines[" + i + "]";
            final Traffic.TransitLine line = priority.transitLines().get(i);
            text(line.name(), path + ".name");
            if (!lineNames.add(line.name()))
            {
                throw fail(path + ".name", "line '" + line.name() + "' is listed twice");
            }
            atLeast(line.firstVehicleId(), 0, path + ".firstVehicleId");
            within(line.firstDepartureS(), 0, 86_400, path + ".firstDepartureS");
            positive(line.headwayS(), path + ".headwayS");
            positive(line.trips(), path + ".trips");
            for (int j = 0; j < i; j++)
            {
                final Traffic.TransitLine other = priority.transitLines().get(j);
                if ((long)line.firstVehicleId() < (long)other.firstVehicleId() + other.trips()
                    && (long)other.firstVehicleId() < (long)line.firstVehicleId() + line.trips())
                {
                    throw fail(path + ".firstVehicleId", "vehicles " + line.firstVehicleId() + " to "
                        + ((long)line.firstVehicleId() + line.trips() - 1) + " overlap those of line '" + other.name() + "'");
                }
            }
            nonEmpty(line.timepoints(), path + ".timepoints");
            for (int j = 0; j < line.timepoints().size(); j++)
            {
                text(line.timepoints().get(j).intersection(), path + ".timepoints[" + j + "].intersection");
                atLeast(line.timepoints().get(j).offsetS(), 0, path + ".timepoints[" + j + "].offsetS");
            }
        }

        nonEmpty(traffic.intersections(), "traffic.intersections");
        final Ids intersectionIds = new Ids("intersection");
        final Map<Integer, Intersection> intersections = new TreeMap<>();
        for (int i = 0; i < traffic.intersections().size(); i++)
        {
            final String path = "traffic.intersections[" + i + "]";
            final Intersection intersection = traffic.intersections().get(i);
            intersectionIds.add(intersection.id(), path);
            text(intersection.name(), path + ".name");
            present(intersection.kind(), path + ".kind");
            position(intersection.eastM(), intersection.northM(), path);
            approaches(intersection, path);
            intersections.put(intersection.id(), intersection);
        }

        final Ids detectorIds = new Ids("detector");
        for (int i = 0; i < traffic.detectors().size(); i++)
        {
            final String path = "traffic.detectors[" + i + "]";
            final Detector detector = traffic.detectors().get(i);
            detectorIds.add(detector.id(), path);
            final Intersection intersection = intersections.get(detector.intersection());
            if (intersection == null)
            {
                throw fail(path + ".intersection", "unknown intersection " + detector.intersection());
            }
            final Intersection.Approach approach = intersection.approach(detector.approach());
            if (approach == null)
            {
                throw fail(path + ".approach", "unknown approach " + detector.approach() + " of intersection " +
                    intersection.id());
            }
            if (detector.lane() < 0 || detector.lane() >= approach.lanes())
            {
                throw fail(path + ".lane", "no lane " + detector.lane() + ": approach " + approach.id() +
                    " of intersection " + intersection.id() + " has lanes 0.." + (approach.lanes() - 1));
            }
            present(detector.kind(), path + ".kind");
        }

        final Ids linkIds = new Ids("link");
        for (int i = 0; i < traffic.links().size(); i++)
        {
            final String path = "traffic.links[" + i + "]";
            final Link link = traffic.links().get(i);
            linkIds.add(link.id(), path);
            final Intersection from = intersections.get(link.from());
            if (from == null)
            {
                throw fail(path + ".from", "unknown intersection " + link.from());
            }
            final Intersection to = intersections.get(link.to());
            if (to == null)
            {
                throw fail(path + ".to", "unknown intersection " + link.to());
            }
            if (from.id() == to.id())
            {
                throw fail(path + ".to", "must differ from from, was " + link.to());
            }
            positive(link.lengthM(), path + ".lengthM");
            final double straightM = Math.hypot(to.eastM() - from.eastM(), to.northM() - from.northM());
            if (link.lengthM() < straightM - LINK_LENGTH_TOLERANCE_M)
            {
                throw fail(path + ".lengthM", "must be >= " + number(Math.round(straightM * 10) / 10.0) +
                    " (the straight line between intersections " + from.id() + " and " + to.id() + "), was " +
                    number(link.lengthM()));
            }
            positive(link.speedKmh(), path + ".speedKmh");
        }
    }

    private void approaches(final Intersection intersection, final String intersectionPath)
    {
        nonEmpty(intersection.approaches(), intersectionPath + ".approaches");
        final Ids approachIds = new Ids("approach", APPROACH_ID_MAX);
        for (int i = 0; i < intersection.approaches().size(); i++)
        {
            final String path = intersectionPath + ".approaches[" + i + "]";
            final Intersection.Approach approach = intersection.approaches().get(i);
            approachIds.add(approach.id(), path);
            final double bearingDeg = approach.fromBearingDeg();
            if (!(bearingDeg >= 0 && bearingDeg < 360))
            {
                throw fail(path + ".fromBearingDeg", "must be in [0, 360), was " + number(bearingDeg));
            }
            positive(approach.lanes(), path + ".lanes");
        }
    }

    private void mobility(final Mobility mobility)
    {
        nonEmpty(mobility.stops(), "mobility.stops");
        final Ids stopIds = new Ids("stop");
        final Map<Integer, Stop> stops = new TreeMap<>();
        for (int i = 0; i < mobility.stops().size(); i++)
        {
            final String path = "mobility.stops[" + i + "]";
            final Stop stop = mobility.stops().get(i);
            stopIds.add(stop.id(), path);
            text(stop.name(), path + ".name");
            present(stop.kind(), path + ".kind");
            position(stop.eastM(), stop.northM(), path);
            stops.put(stop.id(), stop);
        }
        final Map<Integer, double[]> nodes = new TreeMap<>();
        for (final Stop stop : mobility.stops())
        {
            nodes.put(stop.id(), new double[] { stop.eastM(), stop.northM() });
        }
        for (int i = 0; i < mobility.waypoints().size(); i++)
        {
            final String path = "mobility.waypoints[" + i + "]";
            final Waypoint waypoint = mobility.waypoints().get(i);
            stopIds.add(waypoint.id(), path);
            text(waypoint.name(), path + ".name");
            position(waypoint.eastM(), waypoint.northM(), path);
            nodes.put(waypoint.id(), new double[] { waypoint.eastM(), waypoint.northM() });
        }
        nonEmpty(mobility.passages(), "mobility.passages");
        for (int i = 0; i < mobility.passages().size(); i++)
        {
            final String path = "mobility.passages[" + i + "]";
            final Passage passage = mobility.passages().get(i);
            final double[] from = nodes.get(passage.from());
            if (from == null)
            {
                throw fail(path + ".from", "unknown stop or waypoint " + passage.from());
            }
            final double[] to = nodes.get(passage.to());
            if (to == null)
            {
                throw fail(path + ".to", "unknown stop or waypoint " + passage.to());
            }
            if (passage.from() == passage.to())
            {
                throw fail(path + ".to", "a passage must join two different nodes, both ends are " + passage.to());
            }
            final double straightM = Math.hypot(to[0] - from[0], to[1] - from[1]);
            positive(passage.lengthM(), path + ".lengthM");
            if (passage.lengthM() < straightM - 1.0)
            {
                throw fail(path + ".lengthM", "must be at least the straight line between " + passage.from() + " and " +
                    passage.to() + " (" + number(Math.round(straightM)) + " m), was " + number(passage.lengthM()));
            }
            atLeast(passage.roadKmh(), 0, path + ".roadKmh");
            atLeast(passage.sidewalkKmh(), 0, path + ".sidewalkKmh");
            if (!(passage.roadKmh() > 0) && !(passage.sidewalkKmh() > 0))
            {
                throw fail(path, "neither road (roadKmh) nor sidewalk shuttles (sidewalkKmh) may use it: give one a speed limit above 0");
            }
        }

        nonEmpty(mobility.fleet(), "mobility.fleet");
        for (int i = 0; i < mobility.fleet().size(); i++)
        {
            final String path = "mobility.fleet[" + i + "]";
            final FleetGroup group = mobility.fleet().get(i);
            present(group.type(), path + ".type");
            positive(group.count(), path + ".count");
            positive(group.firstId(), path + ".firstId");
            if ((long)group.firstId() + group.count() - 1 > Integer.MAX_VALUE)
            {
                throw fail(path + ".count", "ids from firstId " + group.firstId() + " run past " + Integer.MAX_VALUE);
            }
            for (int j = 0; j < i; j++)
            {
                final FleetGroup earlier = mobility.fleet().get(j);
                if (group.firstId() <= earlier.lastId() && earlier.firstId() <= group.lastId())
                {
                    throw fail(path + ".firstId", "shuttle ids " + group.firstId() + ".." + group.lastId() +
                        " overlap mobility.fleet[" + j + "] (" + earlier.firstId() + ".." + earlier.lastId() + ")");
                }
            }
            positive(group.maxSpeedKmh(), path + ".maxSpeedKmh");
            positive(group.capacity(), path + ".capacity");
            atLeast(group.wheelchairPlaces(), 0, path + ".wheelchairPlaces");
            atMost(group.wheelchairPlaces(), group.capacity(), "capacity", path + ".wheelchairPlaces");
            positive(group.batteryKwh(), path + ".batteryKwh");
            positive(group.consumptionKwhPerKm(), path + ".consumptionKwhPerKm");
            within(group.reservePercent(), 0, 100, path + ".reservePercent");
            within(group.chargeThresholdPercent(), 0, 100, path + ".chargeThresholdPercent");
            greater(group.chargeThresholdPercent(), group.reservePercent(), "reservePercent",
                path + ".chargeThresholdPercent");
            final Stop depot = stops.get(group.depotStop());
            if (depot == null)
            {
                throw fail(path + ".depotStop", "unknown stop " + group.depotStop());
            }
            if (depot.kind() != Stop.Kind.DEPOT)
            {
                throw fail(path + ".depotStop", "stop " + depot.id() + " (" + depot.name() + ") is a " +
                    YamlNames.of(depot.kind()) + " stop, not a depot");
            }
        }
        // every stop a rider may ask for is reached by some group from its depot; every charger by the group it serves
        final Map<FleetGroup.Type, Set<Integer>> reachable = new EnumMap<>(FleetGroup.Type.class);
        for (final FleetGroup group : mobility.fleet())
        {
            final Set<Integer> reached = reachable(mobility.passages(), group.type(), group.depotStop());
            reachable.computeIfAbsent(group.type(), t -> new TreeSet<>()).addAll(reached);
        }
        for (int i = 0; i < mobility.stops().size(); i++)
        {
            final Stop stop = mobility.stops().get(i);
            boolean reached = false;
            for (final Set<Integer> set : reachable.values())
            {
                reached |= set.contains(stop.id());
            }
            if (!reached)
            {
                throw fail("mobility.stops[" + i + "]", "stop " + stop.id() + " (" + stop.name() +
                    ") cannot be reached from any fleet group's depot over mobility.passages");
            }
        }

        final Ids chargerIds = new Ids("shuttle charger");
        for (int i = 0; i < mobility.chargers().size(); i++)
        {
            final String path = "mobility.chargers[" + i + "]";
            final ShuttleCharger charger = mobility.chargers().get(i);
            chargerIds.add(charger.id(), path);
            text(charger.name(), path + ".name");
            if (!stops.containsKey(charger.stop()))
            {
                throw fail(path + ".stop", "unknown stop " + charger.stop());
            }
            positive(charger.powerKw(), path + ".powerKw");
            present(charger.kind(), path + ".kind");
            boolean reached = false;
            for (final Set<Integer> set : reachable.values())
            {
                reached |= set.contains(charger.stop());
            }
            if (!reached)
            {
                throw fail(path + ".stop", "stop " + charger.stop() + " cannot be reached by any fleet group over mobility.passages");
            }
        }

        final Mobility.Service service = present(mobility.service(), "mobility.service");
        positive(service.maxWaitS(), "mobility.service.maxWaitS");
        atLeast(service.rideTimeFactor(), 1, "mobility.service.rideTimeFactor");
        atLeast(service.rideTimeOffsetS(), 0, "mobility.service.rideTimeOffsetS");
        atLeast(service.dwellS(), 0, "mobility.service.dwellS");
        within(service.serviceStartHour(), 0, 23, "mobility.service.serviceStartHour");
        within(service.serviceEndHour(), 1, 24, "mobility.service.serviceEndHour");
        greater(service.serviceEndHour(), service.serviceStartHour(), "serviceStartHour",
            "mobility.service.serviceEndHour");
        positive(service.maxWalkM(), "mobility.service.maxWalkM");
        atLeast(service.waitCostMPerS(), 0, "mobility.service.waitCostMPerS");
        atLeast(service.newShuttleCostM(), 0, "mobility.service.newShuttleCostM");
    }

    /** Nodes a shuttle type reaches from a start over the passages it may use. */
    private static Set<Integer> reachable(final List<Passage> passages, final FleetGroup.Type type, final int start)
    {
        final Set<Integer> reached = new TreeSet<>();
        final ArrayDeque<Integer> todo = new ArrayDeque<>();
        reached.add(start);
        todo.add(start);
        while (!todo.isEmpty())
        {
            final int node = todo.poll();
            for (final Passage passage : passages)
            {
                if (passage.limitKmh(type) > 0)
                {
                    final int other = passage.from() == node ? passage.to() : passage.to() == node ? passage.from() : -1;
                    if (other >= 0 && reached.add(other))
                    {
                        todo.add(other);
                    }
                }
            }
        }
        return reached;
    }

    private void energy(final Energy energy, final City city)
    {
        final Energy.Pcc pcc = present(energy.pcc(), "energy.pcc");
        positive(pcc.id(), "energy.pcc.id");
        positive(pcc.importLimitKw(), "energy.pcc.importLimitKw");
        atLeast(pcc.exportLimitKw(), 0, "energy.pcc.exportLimitKw");
        if (pcc.nominalFrequencyHz() != 50 && pcc.nominalFrequencyHz() != 60)
        {
            throw fail("energy.pcc.nominalFrequencyHz", "must be 50 or 60, was " + number(pcc.nominalFrequencyHz()));
        }
        atLeast(pcc.deadBandMilliHz(), 0, "energy.pcc.deadBandMilliHz");
        positive(pcc.droopPercent(), "energy.pcc.droopPercent");
        atMost(pcc.droopPercent(), 100, "energy.pcc.droopPercent");
        positive(pcc.responseDeadlineMs(), "energy.pcc.responseDeadlineMs");

        final Ids pvIds = new Ids("pv array");
        for (int i = 0; i < energy.pv().size(); i++)
        {
            final String path = "energy.pv[" + i + "]";
            final PvArray pv = energy.pv().get(i);
            pvIds.add(pv.id(), path);
            text(pv.name(), path + ".name");
            present(pv.kind(), path + ".kind");
            positive(pv.peakKw(), path + ".peakKw");
        }

        final Ids essIds = new Ids("ess");
        for (int i = 0; i < energy.ess().size(); i++)
        {
            final String path = "energy.ess[" + i + "]";
            final Ess ess = energy.ess().get(i);
            essIds.add(ess.id(), path);
            text(ess.name(), path + ".name");
            positive(ess.capacityKwh(), path + ".capacityKwh");
            positive(ess.maxChargeKw(), path + ".maxChargeKw");
            positive(ess.maxDischargeKw(), path + ".maxDischargeKw");
            within(ess.minSocPercent(), 0, 100, path + ".minSocPercent");
            within(ess.maxSocPercent(), 0, 100, path + ".maxSocPercent");
            greater(ess.maxSocPercent(), ess.minSocPercent(), "minSocPercent", path + ".maxSocPercent");
            within(ess.initialSocPercent(), ess.minSocPercent(), ess.maxSocPercent(), path + ".initialSocPercent");
        }

        final Ids evChargerIds = new Ids("ev charger");
        for (int i = 0; i < energy.evChargers().size(); i++)
        {
            final String path = "energy.evChargers[" + i + "]";
            final EvCharger charger = energy.evChargers().get(i);
            evChargerIds.add(charger.id(), path);
            text(charger.name(), path + ".name");
            positive(charger.powerKw(), path + ".powerKw");
        }

        final Energy.Loads loads = present(energy.loads(), "energy.loads");
        atLeast(loads.households(), 0, "energy.loads.households");
        atMost(loads.households(), city.households(), "city.households", "energy.loads.households");
        atLeast(loads.baseLoadKw(), 0, "energy.loads.baseLoadKw");
        atLeast(loads.peakLoadKw(), loads.baseLoadKw(), "baseLoadKw", "energy.loads.peakLoadKw");
        final Ids controllableIds = new Ids("controllable load");
        for (int i = 0; i < loads.controllable().size(); i++)
        {
            final String path = "energy.loads.controllable[" + i + "]";
            final ControllableLoad load = loads.controllable().get(i);
            controllableIds.add(load.id(), path);
            text(load.name(), path + ".name");
            positive(load.maxReductionKw(), path + ".maxReductionKw");
        }

        final Ids prosumerIds = new Ids("prosumer");
        for (int i = 0; i < energy.prosumers().size(); i++)
        {
            final String path = "energy.prosumers[" + i + "]";
            final Prosumer prosumer = energy.prosumers().get(i);
            prosumerIds.add(prosumer.id(), path);
            text(prosumer.name(), path + ".name");
            if (!pvIds.contains(prosumer.pv()))
            {
                throw fail(path + ".pv", "unknown pv array " + prosumer.pv());
            }
            positive(prosumer.households(), path + ".households");
        }

        tariff(energy.tariff());
        within(energy.selfSufficiencyTargetPercent(), 0, 100, "energy.selfSufficiencyTargetPercent");
        within(energy.neighbourSaleCapPercent(), 0, 100, "energy.neighbourSaleCapPercent");
    }

    // the slots must tile the day, in order, so that every hour has exactly one price
    private void tariff(final List<Energy.TariffSlot> tariff)
    {
        nonEmpty(tariff, "energy.tariff");
        int expectedFromHour = 0;
        for (int i = 0; i < tariff.size(); i++)
        {
            final String path = "energy.tariff[" + i + "]";
            final Energy.TariffSlot slot = tariff.get(i);
            if (slot.fromHour() != expectedFromHour)
            {
                throw fail(path + ".fromHour", "must be " + expectedFromHour + (i == 0 ?
                    " (the slots start the day at midnight)" : " (where energy.tariff[" + (i - 1) + "] ends)") +
                    ", was " + slot.fromHour());
            }
            greater(slot.toHour(), slot.fromHour(), "fromHour", path + ".toHour");
            atMost(slot.toHour(), 24, path + ".toHour");
            if (i == tariff.size() - 1 && slot.toHour() != 24)
            {
                throw fail(path + ".toHour", "must be 24 (the last slot ends the day at midnight), was " + slot.toHour());
            }
            atLeast(slot.importKrwPerKwh(), 0, path + ".importKrwPerKwh");
            atLeast(slot.exportKrwPerKwh(), 0, path + ".exportKrwPerKwh");
            expectedFromHour = slot.toHour();
        }
    }

    private void emergency(final Emergency emergency)
    {
        final Ids placeIds = new Ids("place");
        final Map<Integer, Place> places = new TreeMap<>();
        for (int i = 0; i < emergency.places().size(); i++)
        {
            final String path = "emergency.places[" + i + "]";
            final Place place = emergency.places().get(i);
            placeIds.add(place.id(), path);
            text(place.name(), path + ".name");
            present(place.kind(), path + ".kind");
            position(place.eastM(), place.northM(), path);
            positive(place.radiusM(), path + ".radiusM");
            places.put(place.id(), place);
        }

        final Ids cameraIds = new Ids("camera");
        for (int i = 0; i < emergency.cameras().size(); i++)
        {
            final String path = "emergency.cameras[" + i + "]";
            final Camera camera = emergency.cameras().get(i);
            cameraIds.add(camera.id(), path);
            text(camera.name(), path + ".name");
            present(camera.kind(), path + ".kind");
            position(camera.eastM(), camera.northM(), path);
            if (camera.hasPlace())
            {
                final Place place = places.get(camera.place());
                if (place == null)
                {
                    throw fail(path + ".place", "unknown place " + camera.place());
                }
                if (!place.contains(camera.eastM(), camera.northM()))
                {
                    final double distanceM = Math.hypot(camera.eastM() - place.eastM(), camera.northM() - place.northM());
                    throw fail(path + ".place", "the camera stands " + number(Math.round(distanceM * 10) / 10.0) +
                        " m from place " + place.id() + " (" + place.name() + "), outside its radius of " +
                        number(place.radiusM()) + " m");
                }
            }
            within(camera.falseAlarmHistoryPercent(), 0, 100, path + ".falseAlarmHistoryPercent");
        }

        nonEmpty(emergency.agencies(), "emergency.agencies");
        final Map<Agency.Kind, String> agencies = new TreeMap<>();
        for (int i = 0; i < emergency.agencies().size(); i++)
        {
            final String path = "emergency.agencies[" + i + "]";
            final Agency agency = emergency.agencies().get(i);
            present(agency.kind(), path + ".kind");
            final String first = agencies.putIfAbsent(agency.kind(), path);
            if (first != null)
            {
                throw fail(path + ".kind", "duplicate agency " + YamlNames.of(agency.kind()) + " (first at " + first + ")");
            }
            text(agency.name(), path + ".name");
            text(agency.callNumber(), path + ".callNumber");
        }

        final Ids stationIds = new Ids("station");
        final Ids unitIds = new Ids("unit");
        for (int i = 0; i < emergency.stations().size(); i++)
        {
            final String path = "emergency.stations[" + i + "]";
            final Station station = emergency.stations().get(i);
            stationIds.add(station.id(), path);
            text(station.name(), path + ".name");
            present(station.agency(), path + ".agency");
            if (!agencies.containsKey(station.agency()))
            {
                final List<String> listed = new ArrayList<>();
                agencies.keySet().forEach(kind -> listed.add(YamlNames.of(kind)));
                throw fail(path + ".agency", "unknown agency " + YamlNames.of(station.agency()) +
                    " (listed in emergency.agencies: " + String.join(", ", listed) + ")");
            }
            position(station.eastM(), station.northM(), path);
            nonEmpty(station.units(), path + ".units");
            for (int j = 0; j < station.units().size(); j++)
            {
                final String unitPath = path + ".units[" + j + "]";
                final Station.Unit unit = station.units().get(j);
                unitIds.add(unit.id(), unitPath);
                present(unit.kind(), unitPath + ".kind");
                if (!unit.kind().basedAt(station.agency()))
                {
                    throw fail(unitPath + ".kind", YamlNames.of(unit.kind()) + " is a " +
                        YamlNames.of(unit.kind().agency()) + " unit, but station " + station.id() + " is run by " +
                        YamlNames.of(station.agency()));
                }
            }
        }

        final Ids hospitalIds = new Ids("hospital");
        for (int i = 0; i < emergency.hospitals().size(); i++)
        {
            final String path = "emergency.hospitals[" + i + "]";
            final Hospital hospital = emergency.hospitals().get(i);
            hospitalIds.add(hospital.id(), path);
            text(hospital.name(), path + ".name");
            position(hospital.eastM(), hospital.northM(), path);
            positive(hospital.beds(), path + ".beds");
            atLeast(hospital.emergencyBeds(), 0, path + ".emergencyBeds");
            atMost(hospital.emergencyBeds(), hospital.beds(), "beds", path + ".emergencyBeds");
        }

        final Emergency.AckDeadlines deadlines = present(emergency.ackDeadlines(), "emergency.ackDeadlines");
        positive(deadlines.p1S(), "emergency.ackDeadlines.p1S");
        atLeast(deadlines.p2S(), deadlines.p1S(), "p1S", "emergency.ackDeadlines.p2S");
        atLeast(deadlines.p3S(), deadlines.p2S(), "p2S", "emergency.ackDeadlines.p3S");

        final Emergency.Correlation correlation = present(emergency.correlation(), "emergency.correlation");
        positive(correlation.radiusM(), "emergency.correlation.radiusM");
        positive(correlation.windowS(), "emergency.correlation.windowS");

        final Set<String> procedureClasses = new HashSet<>();
        for (int i = 0; i < emergency.procedures().size(); i++)
        {
            final String path = "emergency.procedures[" + i + "]";
            final Emergency.Procedure procedure = emergency.procedures().get(i);
            text(procedure.eventClass(), path + ".eventClass");
            if (!Emergency.EVENT_CLASSES.contains(procedure.eventClass()))
            {
                throw fail(path + ".eventClass", "unknown event class " + procedure.eventClass() + " (known: "
                    + String.join(", ", Emergency.EVENT_CLASSES) + ")");
            }
            if (!procedureClasses.add(procedure.eventClass()))
            {
                throw fail(path + ".eventClass", "a second procedure for " + procedure.eventClass());
            }
            nonEmpty(procedure.steps(), path + ".steps");
            for (int j = 0; j < procedure.steps().size(); j++)
            {
                text(procedure.steps().get(j), path + ".steps[" + j + "]");
            }
        }
    }

    private void simulator(final Simulator simulator)
    {
        positive(simulator.stepMs(), "simulator.stepMs");
        positive(simulator.detectorIntervalMs(), "simulator.detectorIntervalMs");
        positive(simulator.speedFactor(), "simulator.speedFactor");
        atLeast(simulator.peakVehiclesPerHourPerLane(), 0, "simulator.peakVehiclesPerHourPerLane");
        positive(simulator.brtHeadwayS(), "simulator.brtHeadwayS");
        atLeast(simulator.emergencyRunsPerHour(), 0, "simulator.emergencyRunsPerHour");
        atLeast(simulator.peakRideRequestsPerHour(), 0, "simulator.peakRideRequestsPerHour");
        atLeast(simulator.cameraEventsPerHour(), 0, "simulator.cameraEventsPerHour");
        within(simulator.falseAlarmPercent(), 0, 100, "simulator.falseAlarmPercent");
        atLeast(simulator.callsPerHour(), 0, "simulator.callsPerHour");
        atLeast(simulator.evArrivalsPerHour(), 0, "simulator.evArrivalsPerHour");
        positive(simulator.gridMeasurementIntervalMs(), "simulator.gridMeasurementIntervalMs");
    }

    private void position(final double eastM, final double northM, final String path)
    {
        if (eastM < boundary.minEastM() || eastM > boundary.maxEastM())
        {
            throw fail(path + ".eastM", "outside the city boundary [" + number(boundary.minEastM()) + ", " +
                number(boundary.maxEastM()) + "], was " + number(eastM));
        }
        if (northM < boundary.minNorthM() || northM > boundary.maxNorthM())
        {
            throw fail(path + ".northM", "outside the city boundary [" + number(boundary.minNorthM()) + ", " +
                number(boundary.maxNorthM()) + "], was " + number(northM));
        }
    }

    private <T> T present(final T value, final String path)
    {
        if (value == null)
        {
            throw fail(path, "missing required value");
        }
        return value;
    }

    private void text(final String value, final String path)
    {
        if (present(value, path).isBlank())
        {
            throw fail(path, "must not be blank");
        }
    }

    private void nonEmpty(final List<?> list, final String path)
    {
        if (list.isEmpty())
        {
            throw fail(path, "must not be empty");
        }
    }

    private void positive(final double value, final String path)
    {
        if (!(value > 0))
        {
            throw fail(path, "must be > 0, was " + number(value));
        }
    }

    private void atLeast(final double value, final double min, final String path)
    {
        if (!(value >= min))
        {
            throw fail(path, "must be >= " + number(min) + ", was " + number(value));
        }
    }

    private void atLeast(final double value, final double min, final String minName, final String path)
    {
        if (!(value >= min))
        {
            throw fail(path, "must be >= " + minName + " " + number(min) + ", was " + number(value));
        }
    }

    private void atMost(final double value, final double max, final String path)
    {
        if (!(value <= max))
        {
            throw fail(path, "must be <= " + number(max) + ", was " + number(value));
        }
    }

    private void atMost(final double value, final double max, final String maxName, final String path)
    {
        if (!(value <= max))
        {
            throw fail(path, "must be <= " + maxName + " " + number(max) + ", was " + number(value));
        }
    }

    private void greater(final double value, final double min, final String minName, final String path)
    {
        if (!(value > min))
        {
            throw fail(path, "must be > " + minName + " " + number(min) + ", was " + number(value));
        }
    }

    private void within(final double value, final double min, final double max, final String path)
    {
        if (!(value >= min && value <= max))
        {
            throw fail(path, "must be in [" + number(min) + ", " + number(max) + "], was " + number(value));
        }
    }

    private ConfigException fail(final String path, final String problem)
    {
        return new ConfigException(file, path, problem);
    }

    // 5 rather than 5.0, 0.25 rather than 2.5E-1
    private static String number(final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return BigDecimal.valueOf(value).toPlainString();
    }

    /** Ids of one kind of entity: positive, within the wire type, unique. */
    private final class Ids
    {
        private final String kind;
        private final int maxId;
        private final Map<Integer, String> firstPaths = new TreeMap<>();

        Ids(final String kind)
        {
            this(kind, Integer.MAX_VALUE);
        }

        Ids(final String kind, final int maxId)
        {
            this.kind = kind;
            this.maxId = maxId;
        }

        /**
         * @param id         the entity's id.
         * @param entityPath the entity's path, e.g. {@code traffic.intersections[2]}.
         */
        void add(final int id, final String entityPath)
        {
            final String path = entityPath + ".id";
            positive(id, path);
            atMost(id, maxId, path);
            final String first = firstPaths.putIfAbsent(id, entityPath);
            if (first != null)
            {
                throw fail(path, "duplicate " + kind + " id " + id + " (first at " + first + ")");
            }
        }

        boolean contains(final int id)
        {
            return firstPaths.containsKey(id);
        }
    }
}
