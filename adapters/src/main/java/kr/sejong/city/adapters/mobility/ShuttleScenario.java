package kr.sejong.city.adapters.mobility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kr.sejong.city.adapters.sim.DailyProfiles;
import kr.sejong.city.adapters.sim.ScenarioReader;
import kr.sejong.city.adapters.sim.ScenarioTimes;
import kr.sejong.city.codecs.RideRejectReason;
import kr.sejong.city.config.ConfigException;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.LoadedConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A closed-loop shuttle scenario ({@code kind: shuttle}): a day of ride requests in the city's mobility
 * graph, served by the dispatch loop through the node and driven by the {@link SimulatedFleet}. Times of day
 * are local; the run starts at {@code date} {@code start}. Read strictly: an unknown key, a missing value or
 * one out of range is a {@link ShuttleScenarioException} naming the field ({@code demand.partySizes[2]} and so on).
 *
 * @param name              for reports.
 * @param date              local date the run starts on.
 * @param start             local time of day the run starts at.
 * @param hours             simulated duration of the demand (requests are made in it).
 * @param seed              random seed of everything drawn (requests, states of charge, travel-time noise).
 * @param drainMinutes      after the last hour, at most this long with no new request, for the rides under way to end.
 * @param demand            the requests.
 * @param fleet             shuttles per fleet group type instead of the configuration's count (empty: as configured).
 * @param initialSocPercent each shuttle starts with a state of charge drawn in this range.
 * @param travelTimeNoise   each edge a shuttle drives takes its network time times a factor drawn in this range.
 * @param badInputs         deliberately bad inputs, each with the answer it must get.
 */
public record ShuttleScenario(
    String name,
    LocalDate date,
    LocalTime start,
    double hours,
    long seed,
    int drainMinutes,
    Demand demand,
    Map<FleetGroup.Type, Integer> fleet,
    Range initialSocPercent,
    Range travelTimeNoise,
    List<BadInput> badInputs)
{
    public static final String KIND = "shuttle";

    /** An interval [min, max]. */
    public record Range(double min, double max)
    {
    }

    /**
     * Who asks for which ride, when.
     *
     * @param peakPerHour     requests per hour at the profile's 1.0.
     * @param profile         24 hourly factors of {@code peakPerHour} (linear in between), local time.
     * @param outboundProfile 24 hourly shares of trips from home (a feeder stop) outward, the rest come back home.
     * @param wheelchairShare share of requests with one wheelchair.
     * @param partySizes      shares of parties of 1, 2, 3 ... riders.
     * @param positionShare   share of requests whose home end is a position (near the home stop) instead of a stop id.
     * @param positionRadiusM such a position lies within this distance of the home stop.
     * @param cancelShare     share of requests cancelled later, before their earliest pickup time.
     * @param pickupLeadS     earliest pickup time after the request, seconds.
     * @param destinations    where the far end of a trip is, by time of day.
     */
    public record Demand(
        double peakPerHour,
        List<Double> profile,
        List<Double> outboundProfile,
        double wheelchairShare,
        List<Double> partySizes,
        double positionShare,
        double positionRadiusM,
        double cancelShare,
        Range pickupLeadS,
        Destinations destinations)
    {
        public double profileAt(final double hourOfDay)
        {
            return DailyProfiles.interpolate(unbox(profile), hourOfDay);
        }

        public double outboundShareAt(final double hourOfDay)
        {
            return DailyProfiles.interpolate(unbox(outboundProfile), hourOfDay);
        }
    }

    /** Shares of a trip's far end: a BRT station, a hotspot, another residential block. */
    public record Shares(double brt, double hotspot, double block)
    {
        double[] weights()
        {
            return new double[] { brt, hotspot, block };
        }
    }

    /**
     * The far ends by time of day: {@code morning} before {@value #MIDDAY_FROM_HOUR}:00 (commuters to the BRT),
     * {@code midday} until {@value #EVENING_FROM_HOUR}:00 (errands to the hotspots), {@code evening} after.
     */
    public record Destinations(Shares morning, Shares midday, Shares evening)
    {
        public static final int MIDDAY_FROM_HOUR = 10;
        public static final int EVENING_FROM_HOUR = 16;

        public Shares at(final double hourOfDay)
        {
            return hourOfDay < MIDDAY_FROM_HOUR ? morning : hourOfDay < EVENING_FROM_HOUR ? midday : evening;
        }
    }

    /** What a deliberately bad input gets wrong, and the rejection it gets unless the scenario says otherwise. */
    public enum BadKind
    {
        /** A request from a stop id no configuration has. */
        UNKNOWN_STOP("unknown-stop", RideRejectReason.UNKNOWN_STOP),
        /** A request whose earliest pickup time is ten minutes before it is made. */
        PICKUP_IN_PAST("pickup-in-past", RideRejectReason.PICKUP_IN_PAST),
        /** A party of one more rider than the largest shuttle carries. */
        PARTY_TOO_LARGE("party-too-large", RideRejectReason.PARTY_TOO_LARGE),
        /**
         * The last request answered before, sent again byte for byte (same id, same content): an app's retry, which
         * gets the same answer again (docs/shuttle-dispatch.md); {@code expect: duplicate-request} for a loop that
         * refuses it.
         */
        DUPLICATE_REQUEST("duplicate-request", null),
        /** A RideCancel of a request id nobody made. */
        CANCEL_UNKNOWN("cancel-unknown", RideRejectReason.UNKNOWN_REQUEST);

        final String yaml;
        final RideRejectReason defaultExpected;

        BadKind(final String yaml, final RideRejectReason defaultExpected)
        {
            this.yaml = yaml;
            this.defaultExpected = defaultExpected;
        }

        public String yaml()
        {
            return yaml;
        }
    }

    /** In {@code expect}: the answer is the one the request had before, no rejection (an idempotent retry). */
    public static final String SAME_ANSWER = "same-answer";

    /**
     * A deliberately bad input at a time of day.
     *
     * @param expected the rejection reason it must get; null: {@value #SAME_ANSWER}.
     */
    public record BadInput(LocalTime at, BadKind kind, RideRejectReason expected)
    {
        public String expectedText()
        {
            return expected == null ? SAME_ANSWER : reasonText(expected);
        }
    }

    /** First instant of the run, ns since the epoch. */
    public long startNs(final ZoneId zone)
    {
        return ScenarioTimes.startNs(date, start, zone);
    }

    public long durationNs()
    {
        return ScenarioTimes.durationNs(hours);
    }

    /** The instant of a time of day within the run: on the start date, or the next day when before {@code start}. */
    public long atNs(final ZoneId zone, final LocalTime timeOfDay)
    {
        return ScenarioTimes.atNs(date, start, zone, timeOfDay);
    }

    /** The same scenario with another duration (the command's --hours); bad inputs after its end are dropped. */
    public ShuttleScenario withHours(final double newHours)
    {
        final long endS = start.toSecondOfDay() + Math.round(newHours * 3600);
        final List<BadInput> kept = new ArrayList<>();
        for (final BadInput bad : badInputs)
        {
            final long atS = bad.at().toSecondOfDay() + (bad.at().isBefore(start) ? 86_400 : 0);
            if (atS < endS)
            {
                kept.add(bad);
            }
        }
        return new ShuttleScenario(name, date, start, newHours, seed, drainMinutes, demand, fleet, initialSocPercent, travelTimeNoise,
            List.copyOf(kept));
    }

    /** The same scenario with another seed: other requests of the same demand model (and other draws of the rest). */
    public ShuttleScenario withSeed(final long newSeed)
    {
        return new ShuttleScenario(name, date, start, hours, newSeed, drainMinutes, demand, fleet, initialSocPercent, travelTimeNoise,
            badInputs);
    }

    /**
     * The city with this scenario's fleet: the configuration's YAML with the counts replaced, loaded and validated
     * again, so the node journals (and a replay uses) exactly the fleet that was simulated. The city itself when
     * the scenario overrides nothing.
     */
    public LoadedConfig applyFleet(final LoadedConfig city)
    {
        if (fleet.isEmpty())
        {
            return city;
        }
        final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        final byte[] bytes;
        try
        {
            final JsonNode root = yaml.readTree(city.yamlBytes());
            final JsonNode groups = root.path("mobility").path("fleet");
            for (final Map.Entry<FleetGroup.Type, Integer> entry : fleet.entrySet())
            {
                final String type = entry.getKey().name().toLowerCase(Locale.ROOT);
                final List<ObjectNode> ofType = new ArrayList<>();
                for (final JsonNode group : groups)
                {
                    if (type.equals(group.path("type").asText()))
                    {
                        ofType.add((ObjectNode)group);
                    }
                }
                if (ofType.size() != 1)
                {
                    throw new ShuttleScenarioException("scenario " + name + ": fleet." + type + " must name exactly one fleet group, the configuration "
                        + city.source() + " has " + ofType.size() + " of type " + type);
                }
                ofType.get(0).put("count", entry.getValue());
            }
            bytes = yaml.writeValueAsBytes(root);
        }
        catch (final IOException ex)
        {
            throw new ShuttleScenarioException("scenario " + name + ": the configuration " + city.source() + " cannot be re-read: " + ex.getMessage());
        }
        try
        {
            return ConfigLoader.parse(city.source(), bytes);
        }
        catch (final ConfigException ex)
        {
            throw new ShuttleScenarioException("scenario " + name + ": the fleet it asks for does not fit the configuration: " + ex.getMessage());
        }
    }

    public static ShuttleScenario load(final Path file)
    {
        return parse(file.toString(), ScenarioReader.readFile(file, ShuttleScenarioException::new));
    }

    public static ShuttleScenario parse(final String source, final byte[] yaml)
    {
        final JsonNode root = ScenarioReader.parseTree(source, yaml, ShuttleScenarioException::new);
        final ScenarioReader r = new ScenarioReader(source, ShuttleScenarioException::new);
        final String kind = r.text(root, "kind", "kind", null);
        if (!KIND.equals(kind))
        {
            throw new ShuttleScenarioException("scenario " + source + ": kind is '" + kind + "', this runs kind '" + KIND + "'");
        }
        r.allowOnly(root, "", "kind", "name", "date", "start", "hours", "seed", "drainMinutes", "demand", "fleet", "initialSocPercent",
            "travelTimeNoise", "badInputs");
        final String name = r.text(root, "name", "name", null);
        final LocalDate date = r.date(root, "date");
        final LocalTime start = r.time(root, "start", "start");
        final double hours = r.number(root, "hours", "hours", Double.NaN, 0.001, 48);
        final long seed = (long)r.number(root, "seed", "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        final int drainMinutes = (int)r.number(root, "drainMinutes", "drainMinutes", 30, 0, 240);

        final JsonNode d = r.object(root, "demand");
        if (d == null)
        {
            throw r.problem("demand", "is missing");
        }
        r.allowOnly(d, "demand.", "peakPerHour", "profile", "outboundProfile", "wheelchairShare", "partySizes", "positionShare",
            "positionRadiusM", "cancelShare", "pickupLeadS", "destinations");
        final List<Double> profile = r.numbers(d, "demand.profile", "profile", 24, 0, 1);
        final List<Double> outbound = r.numbers(d, "demand.outboundProfile", "outboundProfile", 24, 0, 1);
        final List<Double> parties = r.numbers(d, "demand.partySizes", "partySizes", 0, 0, 1);
        if (parties != null && (parties.isEmpty() || parties.stream().mapToDouble(Double::doubleValue).sum() <= 0))
        {
            throw r.problem("demand.partySizes", "must have a share above 0");
        }
        final Range lead = range(r, d, "demand.pickupLeadS", "pickupLeadS", 120, 900, 0, 24 * 3600);
        final JsonNode dest = r.object(d, "destinations");
        r.allowOnly(dest, "demand.destinations.", "morning", "midday", "evening");
        final Demand demand = new Demand(
            r.number(d, "demand.peakPerHour", "peakPerHour", Double.NaN, 0, 1_000_000),
            profile != null ? profile : hourly(true),
            outbound != null ? outbound : hourly(false),
            r.number(d, "demand.wheelchairShare", "wheelchairShare", 0.03, 0, 1),
            parties != null ? parties : List.of(0.70, 0.20, 0.07, 0.03),
            r.number(d, "demand.positionShare", "positionShare", 0.05, 0, 1),
            r.number(d, "demand.positionRadiusM", "positionRadiusM", 200, 0, 10_000),
            r.number(d, "demand.cancelShare", "cancelShare", 0.05, 0, 1),
            lead,
            new Destinations(
                shares(r, dest, "morning", new Shares(0.65, 0.25, 0.10)),
                shares(r, dest, "midday", new Shares(0.30, 0.55, 0.15)),
                shares(r, dest, "evening", new Shares(0.45, 0.40, 0.15))));
        if (lead.min() < 1)
        {
            throw r.problem("demand.pickupLeadS.min", "must be at least 1 (a pickup time at the request is in the past by the time it arrives)");
        }

        final JsonNode f = r.object(root, "fleet");
        r.allowOnly(f, "fleet.", "road", "sidewalk");
        final Map<FleetGroup.Type, Integer> fleet = new EnumMap<>(FleetGroup.Type.class);
        for (final FleetGroup.Type type : FleetGroup.Type.values())
        {
            final String key = type.name().toLowerCase(Locale.ROOT);
            if (f != null && f.has(key))
            {
                fleet.put(type, (int)whole(r, f, "fleet." + key, key, 1, 10_000));
            }
        }
        final Range soc = range(r, root, "initialSocPercent", "initialSocPercent", 70, 100, 0, 100);
        final Range noise = range(r, root, "travelTimeNoise", "travelTimeNoise", 1.0, 1.25, 0.5, 5);

        final List<BadInput> bad = new ArrayList<>();
        int i = 0;
        for (final JsonNode node : r.list(root, "badInputs"))
        {
            final String at = "badInputs[" + i++ + "].";
            r.allowOnly(node, at, "at", "kind", "expect");
            final String kindText = r.text(node, at + "kind", "kind", null);
            BadKind badKind = null;
            final List<String> kinds = new ArrayList<>();
            for (final BadKind k : BadKind.values())
            {
                kinds.add(k.yaml);
                if (k.yaml.equals(kindText))
                {
                    badKind = k;
                }
            }
            if (badKind == null)
            {
                throw r.problem(at + "kind", "must be " + String.join(", ", kinds) + ", was '" + kindText + "'");
            }
            final String expectText = r.text(node, at + "expect", "expect", null);
            RideRejectReason expected = badKind.defaultExpected; // null: same-answer
            if (SAME_ANSWER.equals(expectText))
            {
                expected = null;
            }
            else if (expectText != null)
            {
                expected = reason(r, at + "expect", expectText);
            }
            bad.add(new BadInput(r.time(node, at + "at", "at"), badKind, expected));
        }
        return new ShuttleScenario(name != null ? name : Path.of(source).getFileName().toString().replaceFirst("\\.ya?ml$", ""),
            date, start, hours, seed, drainMinutes, demand, Collections.unmodifiableMap(fleet), soc, noise, List.copyOf(bad));
    }

    /** A rejection reason as the scenario writes it: no-feasible-shuttle, unknown-stop ... */
    public static String reasonText(final RideRejectReason reason)
    {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static RideRejectReason reason(final ScenarioReader r, final String field, final String text)
    {
        final List<String> known = new ArrayList<>();
        for (final RideRejectReason reason : RideRejectReason.values())
        {
            if (reason == RideRejectReason.NULL_VAL)
            {
                continue;
            }
            if (reasonText(reason).equals(text))
            {
                return reason;
            }
            known.add(reasonText(reason));
        }
        known.add(SAME_ANSWER);
        throw r.problem(field, "must be a rejection reason or " + SAME_ANSWER + " (" + String.join(", ", known) + "), was '" + text + "'");
    }

    private static Range range(final ScenarioReader r, final JsonNode parent, final String field, final String name, final double defaultMin,
        final double defaultMax, final double lowest, final double highest)
    {
        final JsonNode node = r.object(parent, name);
        if (node == null)
        {
            return new Range(defaultMin, defaultMax);
        }
        r.allowOnly(node, field + ".", "min", "max");
        final double min = r.number(node, field + ".min", "min", Double.NaN, lowest, highest);
        final double max = r.number(node, field + ".max", "max", Double.NaN, lowest, highest);
        if (max < min)
        {
            throw r.problem(field + ".max", "must be at least min (" + min + "), was " + max);
        }
        return new Range(min, max);
    }

    private static Shares shares(final ScenarioReader r, final JsonNode destinations, final String name, final Shares fallback)
    {
        final JsonNode node = destinations == null ? null : r.object(destinations, name);
        if (node == null)
        {
            return fallback;
        }
        final String field = "demand.destinations." + name;
        r.allowOnly(node, field + ".", "brt", "hotspot", "block");
        final Shares shares = new Shares(
            r.number(node, field + ".brt", "brt", 0, 0, 1),
            r.number(node, field + ".hotspot", "hotspot", 0, 0, 1),
            r.number(node, field + ".block", "block", 0, 0, 1));
        if (shares.brt() + shares.hotspot() + shares.block() <= 0)
        {
            throw r.problem(field, "must give a share above 0 to brt, hotspot or block");
        }
        return shares;
    }

    private static double whole(final ScenarioReader r, final JsonNode parent, final String field, final String name, final long min, final long max)
    {
        final double value = r.number(parent, field, name, Double.NaN, min, max);
        if (value != Math.rint(value))
        {
            throw r.problem(field, "must be a whole number, was " + parent.get(name).asText());
        }
        return value;
    }

    /** The default profiles of the field simulator (DailyProfiles), as 24 hourly values. */
    private static List<Double> hourly(final boolean requests)
    {
        final List<Double> values = new ArrayList<>();
        for (int h = 0; h < 24; h++)
        {
            values.add(requests ? DailyProfiles.rideRequests(h) : DailyProfiles.outboundShare(h));
        }
        return List.copyOf(values);
    }

    private static double[] unbox(final List<Double> values)
    {
        final double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = values.get(i);
        }
        return array;
    }
}
