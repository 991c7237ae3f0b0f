package kr.sejong.city.adapters.emergency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kr.sejong.city.codecs.EmergencyLine;
import kr.sejong.city.adapters.sim.ScenarioReader;
import kr.sejong.city.adapters.sim.ScenarioTimes;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A closed-loop emergency scenario ({@code kind: emergency}): an event storm on the city's cameras and
 * emergency lines, with labelled ground truth. Times of day ({@code "HH:MM"} or {@code "HH:MM:SS"}) are
 * local; the run starts at {@code date} {@code start} and a time of day before {@code start} falls on
 * the next day. Read strictly: an unknown key, a missing value or one out of range is an
 * {@link EmergencyScenarioException} naming the field ({@code situations[2].cameras} and so on).
 *
 * @param name        for reports.
 * @param date        local date the run starts on.
 * @param start       local time of day the run starts at.
 * @param hours       simulated duration.
 * @param seed        random seed of everything drawn (positions, confidences, the random volume).
 * @param background  false alarms of the given cameras (street lights: headlights, shadows) at low confidence.
 * @param random      events and calls at random cameras and places, each its own situation.
 * @param situations  scripted situations, each with its label (id).
 * @param actions     scripted operator actions on the incidents of situations.
 * @param badInputs   deliberately bad inputs the node must reject.
 */
public record EmergencyScenario(
    String name,
    LocalDate date,
    LocalTime start,
    double hours,
    long seed,
    Background background,
    RandomVolume random,
    List<Situation> situations,
    List<Action> actions,
    List<BadInput> badInputs)
{
    public static final String KIND = "emergency";

    /** Background false alarms: Poisson {@code perHour} over {@code cameras}, confidence uniform in [min, max]. */
    public record Background(double perHour, List<Integer> cameras, int confidenceMin, int confidenceMax, int retriggerPercent)
    {
    }

    /** Random events: video Poisson {@code videoPerHour} at any camera, calls {@code callsPerHour} in any place. */
    public record RandomVolume(double videoPerHour, double callsPerHour, double falseAlarmPercent)
    {
    }

    /**
     * One labelled situation: what really happens, where, and who sees or reports it.
     *
     * @param id             the label (unique): every event and call of the situation carries it, hidden.
     * @param at             local time of day of the first sighting.
     * @param eventClass     what it is.
     * @param eastM          position (null: the first camera's).
     * @param northM         position.
     * @param cameras        cameras that see it, each {@code staggerS} after the previous.
     * @param staggerS       seconds between two cameras' first sightings.
     * @param calls          calls reporting it, the first {@code callAfterS} after {@code at}, then 30 s apart.
     * @param callAfterS     seconds from the first sighting to the first call.
     * @param line           the line called (null: 119 for fire, smoke, medical and falls, else 112).
     * @param changes        CHANGED messages per camera event.
     * @param durationS      INITIALIZED to DELETED, seconds.
     * @param retriggers     new events (new eventId) of the same camera after DELETED, each {@code retriggerAfterS} later.
     * @param retriggerAfterS seconds from DELETED to the re-trigger.
     * @param confidenceMin  permille.
     * @param confidenceMax  permille.
     * @param falseAlarm     whether nothing is really there.
     */
    public record Situation(String id, LocalTime at, EventClass eventClass, Double eastM, Double northM, List<Integer> cameras,
        int staggerS, int calls, int callAfterS, EmergencyLine line, int changes, int durationS, int retriggers, int retriggerAfterS,
        int confidenceMin, int confidenceMax, boolean falseAlarm)
    {
    }

    /** An operator action on the incident of a situation, {@code afterS} after the runner first reads that incident. */
    public record Action(String situation, OperatorActionKind kind, int afterS, OperatorRole role)
    {
    }

    /** What a deliberately bad input gets wrong. */
    public enum BadKind
    {
        UNKNOWN_CAMERA("unknown-camera"),
        CONFIDENCE_OVER_1000("confidence-over-1000"),
        OUTSIDE_BOUNDARY("outside-boundary"),
        UNKNOWN_INCIDENT("unknown-incident");

        final String yaml;

        BadKind(final String yaml)
        {
            this.yaml = yaml;
        }
    }

    /** A deliberately bad input at a time of day. */
    public record BadInput(LocalTime at, BadKind kind)
    {
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

    /** The same scenario with another duration (the command's --hours). */
    public EmergencyScenario withHours(final double newHours)
    {
        return new EmergencyScenario(name, date, start, newHours, seed, background, random, situations, actions, badInputs);
    }

    /** Deliberately bad inputs and actions by a role that may not act: the rejects the scenario expects. */
    public int expectedRejects()
    {
        return badInputs.size() + (int)actions.stream().filter(a -> a.role() == OperatorRole.VIEW).count();
    }

    public static EmergencyScenario load(final Path file)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new EmergencyScenarioException("scenario " + file + " not found");
        }
        catch (final IOException ex)
        {
            throw new EmergencyScenarioException("scenario " + file + " cannot be read: " + ex.getMessage());
        }
        return parse(file.toString(), bytes);
    }

    public static EmergencyScenario parse(final String source, final byte[] yaml)
    {
        final JsonNode root;
        try
        {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        }
        catch (final JsonProcessingException ex)
        {
            throw new EmergencyScenarioException("scenario " + source + " is not valid YAML: " + ex.getOriginalMessage()
                + (ex.getLocation() != null ? " (line " + ex.getLocation().getLineNr() + ")" : ""));
        }
        catch (final IOException ex)
        {
            throw new EmergencyScenarioException("scenario " + source + " cannot be read: " + ex.getMessage());
        }
        if (root == null || !root.isObject())
        {
            throw new EmergencyScenarioException("scenario " + source + " is empty or not a mapping");
        }
        final ScenarioReader r = new ScenarioReader(source, EmergencyScenarioException::new);
        final String kind = r.text(root, "kind", "kind", null);
        if (!KIND.equals(kind))
        {
            throw new EmergencyScenarioException("scenario " + source + ": kind is '" + kind + "', this runs kind '" + KIND + "'");
        }
        r.allowOnly(root, "", "kind", "name", "date", "start", "hours", "seed", "background", "random", "situations", "actions", "badInputs");
        final String name = r.text(root, "name", "name", null);
        final LocalDate date = r.date(root, "date");
        final LocalTime start = r.time(root, "start", "start");
        final double hours = r.number(root, "hours", "hours", 2, 0.001, 48);
        final long seed = (long)r.number(root, "seed", "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);

        final JsonNode bg = r.object(root, "background");
        r.allowOnly(bg, "background.", "perHour", "cameras", "confidenceMin", "confidenceMax", "retriggerPercent");
        final Background background = new Background(
            r.number(bg, "background.perHour", "perHour", 0, 0, 100_000),
            r.ints(bg, "background.cameras", "cameras", 1, Integer.MAX_VALUE),
            (int)r.number(bg, "background.confidenceMin", "confidenceMin", 150, 0, 1000),
            (int)r.number(bg, "background.confidenceMax", "confidenceMax", 450, 0, 1000),
            (int)r.number(bg, "background.retriggerPercent", "retriggerPercent", 30, 0, 100));
        if (background.confidenceMax() < background.confidenceMin())
        {
            throw new EmergencyScenarioException("scenario " + source + ": background.confidenceMax must be at least confidenceMin");
        }
        if (background.perHour() > 0 && background.cameras().isEmpty())
        {
            throw new EmergencyScenarioException("scenario " + source + ": background.cameras is missing (background.perHour is above 0)");
        }
        final JsonNode rnd = r.object(root, "random");
        r.allowOnly(rnd, "random.", "videoPerHour", "callsPerHour", "falseAlarmPercent");
        final RandomVolume random = new RandomVolume(
            r.number(rnd, "random.videoPerHour", "videoPerHour", 0, 0, 100_000),
            r.number(rnd, "random.callsPerHour", "callsPerHour", 0, 0, 100_000),
            r.number(rnd, "random.falseAlarmPercent", "falseAlarmPercent", 30, 0, 100));

        final List<Situation> situations = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        int i = 0;
        for (final JsonNode node : r.list(root, "situations"))
        {
            final String at = "situations[" + i++ + "].";
            r.allowOnly(node, at, "id", "at", "class", "eastM", "northM", "cameras", "staggerS", "calls", "callAfterS", "line",
                "changes", "durationS", "retriggers", "retriggerAfterS", "confidenceMin", "confidenceMax", "falseAlarm");
            final String id = r.text(node, at + "id", "id", null);
            if (id == null || id.isBlank())
            {
                throw r.problem(at + "id", "is missing");
            }
            if (!ids.add(id))
            {
                throw r.problem(at + "id", "'" + id + "' is used twice");
            }
            final EventClass eventClass = eventClass(r, node, at + "class", "class");
            final List<Integer> cameras = r.ints(node, at + "cameras", "cameras", 1, Integer.MAX_VALUE);
            final Double east = node.has("eastM") ? r.number(node, at + "eastM", "eastM", Double.NaN, -1e6, 1e6) : null;
            final Double north = node.has("northM") ? r.number(node, at + "northM", "northM", Double.NaN, -1e6, 1e6) : null;
            if ((east == null) != (north == null))
            {
                throw r.problem(at + (east == null ? "eastM" : "northM"), "is missing (give both eastM and northM, or neither)");
            }
            final int calls = (int)r.number(node, at + "calls", "calls", 0, 0, 100);
            if (cameras.isEmpty() && calls == 0)
            {
                throw r.problem(at + "cameras", "is missing (a situation needs cameras or calls)");
            }
            if (cameras.isEmpty() && east == null)
            {
                throw r.problem(at + "eastM", "is missing (a situation without cameras needs a position)");
            }
            final String lineText = r.text(node, at + "line", "line", null);
            EmergencyLine line = null;
            if (lineText != null)
            {
                switch (lineText)
                {
                    case "112": line = EmergencyLine.POLICE_112; break;
                    case "119": line = EmergencyLine.FIRE_119; break;
                    default: throw r.problem(at + "line", "must be 112 or 119, was '" + lineText + "'");
                }
            }
            final boolean falseAlarm = r.bool(node, at + "falseAlarm", "falseAlarm", false);
            final int cMin = (int)r.number(node, at + "confidenceMin", "confidenceMin", falseAlarm ? 200 : 700, 0, 1000);
            final int cMax = (int)r.number(node, at + "confidenceMax", "confidenceMax", falseAlarm ? 450 : 950, 0, 1000);
            if (cMax < cMin)
            {
                throw r.problem(at + "confidenceMax", "must be at least confidenceMin");
            }
            situations.add(new Situation(id, r.time(node, at + "at", "at"), eventClass, east, north, cameras,
                (int)r.number(node, at + "staggerS", "staggerS", 20, 0, 3600), calls,
                (int)r.number(node, at + "callAfterS", "callAfterS", 60, 0, 3600), line,
                (int)r.number(node, at + "changes", "changes", 2, 0, 100),
                (int)r.number(node, at + "durationS", "durationS", 60, 1, 24 * 3600),
                (int)r.number(node, at + "retriggers", "retriggers", 0, 0, 100),
                (int)r.number(node, at + "retriggerAfterS", "retriggerAfterS", 90, 1, 24 * 3600), cMin, cMax, falseAlarm));
        }
        final List<Action> actions = new ArrayList<>();
        i = 0;
        for (final JsonNode node : r.list(root, "actions"))
        {
            final String at = "actions[" + i++ + "].";
            r.allowOnly(node, at, "situation", "action", "afterS", "role");
            final String situation = r.text(node, at + "situation", "situation", null);
            if (situation == null)
            {
                throw r.problem(at + "situation", "is missing");
            }
            if (!ids.contains(situation))
            {
                throw r.problem(at + "situation", "'" + situation + "' is not one of the situations' ids");
            }
            final String actionText = r.text(node, at + "action", "action", null);
            if (actionText == null)
            {
                throw r.problem(at + "action", "is missing");
            }
            final OperatorActionKind kindOfAction;
            switch (actionText)
            {
                case "acknowledge": kindOfAction = OperatorActionKind.ACKNOWLEDGE; break;
                case "assign": kindOfAction = OperatorActionKind.ASSIGN; break;
                case "escalate": kindOfAction = OperatorActionKind.ESCALATE; break;
                case "hold": kindOfAction = OperatorActionKind.HOLD; break;
                case "close": kindOfAction = OperatorActionKind.CLOSE; break;
                case "mark-false-alarm": kindOfAction = OperatorActionKind.MARK_FALSE_ALARM; break;
                default: throw r.problem(at + "action", "must be acknowledge, assign, escalate, hold, close or mark-false-alarm, was '" + actionText + "'");
            }
            final String roleText = r.text(node, at + "role", "role", "operate");
            final OperatorRole role;
            switch (roleText)
            {
                case "view": role = OperatorRole.VIEW; break;
                case "operate": role = OperatorRole.OPERATE; break;
                case "manage": role = OperatorRole.MANAGE; break;
                default: throw r.problem(at + "role", "must be view, operate or manage, was '" + roleText + "'");
            }
            actions.add(new Action(situation, kindOfAction, (int)r.number(node, at + "afterS", "afterS", Double.NaN, 0, 24 * 3600), role));
        }
        final List<BadInput> bad = new ArrayList<>();
        i = 0;
        for (final JsonNode node : r.list(root, "badInputs"))
        {
            final String at = "badInputs[" + i++ + "].";
            r.allowOnly(node, at, "at", "kind");
            final String kindText = r.text(node, at + "kind", "kind", null);
            BadKind badKind = null;
            for (final BadKind k : BadKind.values())
            {
                if (k.yaml.equals(kindText))
                {
                    badKind = k;
                }
            }
            if (badKind == null)
            {
                throw r.problem(at + "kind", "must be unknown-camera, confidence-over-1000, outside-boundary or unknown-incident, was '" + kindText + "'");
            }
            bad.add(new BadInput(r.time(node, at + "at", "at"), badKind));
        }
        return new EmergencyScenario(name != null ? name : Path.of(source).getFileName().toString().replaceFirst("\\.ya?ml$", ""),
            date, start, hours, seed, background, random, List.copyOf(situations), List.copyOf(actions), List.copyOf(bad));
    }

    /** An event class by its name in the file (fire, vehicle-stopped-in-tunnel, ...). */
    private static EventClass eventClass(final ScenarioReader r, final JsonNode parent, final String field, final String name)
    {
        final String text = r.text(parent, field, name, null);
        if (text == null)
        {
            throw r.problem(field, "is missing");
        }
        final String constant = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (final EventClass c : EventClass.values())
        {
            if (c != EventClass.NULL_VAL && c.name().equals(constant))
            {
                return c;
            }
        }
        final List<String> known = new ArrayList<>();
        for (final EventClass c : EventClass.values())
        {
            if (c != EventClass.NULL_VAL)
            {
                known.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        throw r.problem(field, "must be an event class (" + String.join(", ", known) + "), was '" + text + "'");
    }
}
