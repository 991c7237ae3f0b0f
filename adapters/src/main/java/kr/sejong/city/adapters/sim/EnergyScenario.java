package kr.sejong.city.adapters.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A closed-loop energy scenario ({@code kind: energy}): the day, the weather, EV traffic, and the
 * events the balancing loop must answer (frequency dips, demand response, measurement faults). Times
 * of day are local ({@code "HH:MM"} or {@code "HH:MM:SS"}) on the scenario's date. Read strictly: an
 * unknown key, a missing value or one out of range is an {@link EnergyScenarioException} naming it.
 *
 * @param name           for reports.
 * @param date           local date of the first simulated midnight.
 * @param hours          simulated duration from that midnight.
 * @param stepMs         physics and Tick step.
 * @param seed           random seed of the weather, the load noise and the EVs.
 * @param cloudinessMean mean share of clear-sky PV output (1 = clear sky).
 * @param cloudinessStdDev spread of that share.
 * @param evArrivalsPerHour EV arrivals at the daytime peak (times the daily profile).
 * @param frequencyDips  grid frequency dips.
 * @param demandResponse demand-response events.
 * @param faults         measurement faults.
 */
public record EnergyScenario(
    String name,
    LocalDate date,
    double hours,
    int stepMs,
    long seed,
    double cloudinessMean,
    double cloudinessStdDev,
    double evArrivalsPerHour,
    List<FrequencyDip> frequencyDips,
    List<DemandResponse> demandResponse,
    List<Fault> faults)
{
    public static final String KIND = "energy";

    /** A dip of the grid frequency: linear fall to the nadir in {@code fallS}, exponential recovery. */
    public record FrequencyDip(LocalTime at, int depthMilliHz, double fallS, double recoveryS)
    {
    }

    /** A demand-response event announced at {@code announceAt}, active from {@code start} to {@code end}. */
    public record DemandResponse(long id, LocalTime announceAt, LocalTime start, LocalTime end, double reduceKw)
    {
    }

    /** What goes wrong with a measurement. */
    public enum FaultKind
    {
        /** The device sends nothing for {@code seconds}. */
        SILENT,
        /** The device sends a value beyond its physical range for {@code seconds}. */
        OUT_OF_RANGE,
        /** The device sends the null value (the wire's NaN) for {@code seconds}. */
        NULL_VALUE
    }

    /** A measurement fault of the PCC meter ({@code pcc}), the frequency meter ({@code frequency}) or an ESS ({@code ess:ID}). */
    public record Fault(LocalTime at, String device, FaultKind kind, double seconds)
    {
    }

    /** First instant of the scenario, ns since the epoch. */
    public long startNs(final ZoneId zone)
    {
        return date.atStartOfDay(zone).toEpochSecond() * 1_000_000_000L;
    }

    /** An instant of the scenario's first day (local time of day), ns since the epoch. */
    public long atNs(final ZoneId zone, final LocalTime timeOfDay)
    {
        return startNs(zone) + timeOfDay.toNanoOfDay();
    }

    public long durationNs()
    {
        return Math.round(hours * 3600e9);
    }

    public long stepNs()
    {
        return stepMs * 1_000_000L;
    }

    /** The same scenario with another duration (the command's --hours). */
    public EnergyScenario withHours(final double newHours)
    {
        return new EnergyScenario(name, date, newHours, stepMs, seed, cloudinessMean, cloudinessStdDev, evArrivalsPerHour,
            frequencyDips, demandResponse, faults);
    }

    /** Read and check a scenario file. */
    public static EnergyScenario load(final Path file)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new EnergyScenarioException("scenario " + file + " not found");
        }
        catch (final IOException ex)
        {
            throw new EnergyScenarioException("scenario " + file + " cannot be read: " + ex.getMessage());
        }
        return parse(file.toString(), bytes);
    }

    /** Read and check a scenario from YAML text; {@code source} names it in messages. */
    public static EnergyScenario parse(final String source, final byte[] yaml)
    {
        final ObjectMapper mapper = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        final JsonNode root;
        try
        {
            root = mapper.readTree(yaml);
        }
        catch (final JsonProcessingException ex)
        {
            throw new EnergyScenarioException("scenario " + source + " is not valid YAML: " + ex.getOriginalMessage()
                + (ex.getLocation() != null ? " (line " + ex.getLocation().getLineNr() + ")" : ""));
        }
        catch (final IOException ex)
        {
            throw new EnergyScenarioException("scenario " + source + " cannot be read: " + ex.getMessage());
        }
        if (root == null || !root.isObject())
        {
            throw new EnergyScenarioException("scenario " + source + " is empty or not a mapping");
        }
        final Reader r = new Reader(source);
        final String kind = r.optionalText(root, "kind");
        if (!KIND.equals(kind))
        {
            throw new EnergyScenarioException("scenario " + source + ": kind is '" + kind + "', this command runs kind '" + KIND + "'");
        }
        r.allowOnly(root, "", "kind", "name", "date", "hours", "stepMs", "seed", "weather", "ev", "frequencyDips", "demandResponse", "faults");
        final String name = r.optionalText(root, "name");
        final LocalDate date = r.date(root, "date");
        final double hours = r.number(root, "hours", 24, 0.001, 24 * 7);
        final int stepMs = (int)r.number(root, "stepMs", 100, 10, 1000);
        if (1000 % stepMs != 0)
        {
            throw new EnergyScenarioException("scenario " + source + ": stepMs must divide 1000 (measurements fall on whole seconds), was " + stepMs);
        }
        final long seed = (long)r.number(root, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        final JsonNode weather = r.object(root, "weather");
        r.allowOnly(weather, "weather.", "cloudinessMean", "cloudinessStdDev");
        final double cloudMean = r.number(weather, "weather.cloudinessMean", "cloudinessMean", 0.8, 0.0, 1.0);
        final double cloudStdDev = r.number(weather, "weather.cloudinessStdDev", "cloudinessStdDev", 0.15, 0.0, 1.0);
        final JsonNode ev = r.object(root, "ev");
        r.allowOnly(ev, "ev.", "arrivalsPerHour");
        final double evRate = r.number(ev, "ev.arrivalsPerHour", "arrivalsPerHour", 25, 0, 10_000);

        final List<FrequencyDip> dips = new ArrayList<>();
        int i = 0;
        for (final JsonNode node : r.list(root, "frequencyDips"))
        {
            final String at = "frequencyDips[" + i++ + "].";
            r.allowOnly(node, at, "at", "depthMilliHz", "fallS", "recoveryS");
            dips.add(new FrequencyDip(r.time(node, at + "at", "at"), (int)r.number(node, at + "depthMilliHz", "depthMilliHz", Double.NaN, -5000, 5000),
                r.number(node, at + "fallS", "fallS", 6, 0.1, 600), r.number(node, at + "recoveryS", "recoveryS", 40, 1, 3600)));
        }
        final List<DemandResponse> events = new ArrayList<>();
        i = 0;
        for (final JsonNode node : r.list(root, "demandResponse"))
        {
            final String at = "demandResponse[" + i++ + "].";
            r.allowOnly(node, at, "id", "announceAt", "start", "end", "reduceKw");
            final DemandResponse event = new DemandResponse((long)r.number(node, at + "id", "id", Double.NaN, 1, Long.MAX_VALUE),
                r.time(node, at + "announceAt", "announceAt"), r.time(node, at + "start", "start"), r.time(node, at + "end", "end"),
                r.number(node, at + "reduceKw", "reduceKw", Double.NaN, 0, 1_000_000));
            if (!event.end().isAfter(event.start()) || event.announceAt().isAfter(event.start()))
            {
                throw new EnergyScenarioException("scenario " + source + ": " + at + " needs announceAt <= start < end");
            }
            events.add(event);
        }
        final List<Fault> faults = new ArrayList<>();
        i = 0;
        for (final JsonNode node : r.list(root, "faults"))
        {
            final String at = "faults[" + i++ + "].";
            r.allowOnly(node, at, "at", "device", "kind", "seconds");
            final String device = r.text(node, at + "device", "device");
            if (!device.equals("pcc") && !device.equals("frequency") && !device.matches("ess:\\d+"))
            {
                throw new EnergyScenarioException("scenario " + source + ": " + at + "device must be pcc, frequency or ess:ID, was '" + device + "'");
            }
            final String kindText = r.text(node, at + "kind", "kind");
            final FaultKind faultKind;
            switch (kindText)
            {
                case "silent": faultKind = FaultKind.SILENT; break;
                case "out-of-range": faultKind = FaultKind.OUT_OF_RANGE; break;
                case "nan": faultKind = FaultKind.NULL_VALUE; break;
                default:
                    throw new EnergyScenarioException("scenario " + source + ": " + at + "kind must be silent, out-of-range or nan (the null value), was '" + kindText + "'");
            }
            faults.add(new Fault(r.time(node, at + "at", "at"), device, faultKind, r.number(node, at + "seconds", "seconds", 1, 0.001, 3600)));
        }
        return new EnergyScenario(name != null ? name : fileStem(source), date, hours, stepMs, seed, cloudMean, cloudStdDev, evRate,
            List.copyOf(dips), List.copyOf(events), List.copyOf(faults));
    }

    private static String fileStem(final String source)
    {
        final String file = Path.of(source).getFileName().toString();
        return file.replaceFirst("\\.ya?ml$", "");
    }

    /** Strict field access with messages that name the field. */
    private static final class Reader
    {
        private final String source;

        Reader(final String source)
        {
            this.source = source;
        }

        private EnergyScenarioException problem(final String field, final String what)
        {
            return new EnergyScenarioException("scenario " + source + ": " + field + " " + what);
        }

        void allowOnly(final JsonNode node, final String prefix, final String... names)
        {
            if (node == null)
            {
                return;
            }
            final List<String> allowed = List.of(names);
            final List<String> unknown = new ArrayList<>();
            node.fieldNames().forEachRemaining(name ->
            {
                if (!allowed.contains(name))
                {
                    unknown.add(name);
                }
            });
            if (!unknown.isEmpty())
            {
                throw problem(prefix + unknown.get(0), "is not a scenario setting (known here: " + String.join(", ", allowed) + ")");
            }
        }

        JsonNode object(final JsonNode parent, final String name)
        {
            final JsonNode node = parent.get(name);
            if (node == null || node.isNull())
            {
                return null;
            }
            if (!node.isObject())
            {
                throw problem(name, "must be a mapping");
            }
            return node;
        }

        List<JsonNode> list(final JsonNode parent, final String name)
        {
            final JsonNode node = parent.get(name);
            if (node == null || node.isNull())
            {
                return List.of();
            }
            if (!node.isArray())
            {
                throw problem(name, "must be a list");
            }
            final List<JsonNode> items = new ArrayList<>();
            node.forEach(item ->
            {
                if (!item.isObject())
                {
                    throw problem(name + "[" + items.size() + "]", "must be a mapping");
                }
                items.add(item);
            });
            return items;
        }

        String optionalText(final JsonNode parent, final String name)
        {
            return text(parent, name, name, null);
        }

        String text(final JsonNode parent, final String field, final String name)
        {
            final String value = text(parent, field, name, null);
            if (value == null)
            {
                throw problem(field, "is missing");
            }
            return value;
        }

        private String text(final JsonNode parent, final String field, final String name, final String fallback)
        {
            final JsonNode node = parent == null ? null : parent.get(name);
            if (node == null || node.isNull())
            {
                return fallback;
            }
            if (!node.isValueNode())
            {
                throw problem(field, "must be a single value");
            }
            return node.asText();
        }

        double number(final JsonNode parent, final String name, final double fallback, final double min, final double max)
        {
            return number(parent, name, name, fallback, min, max);
        }

        double number(final JsonNode parent, final String field, final String name, final double fallback, final double min, final double max)
        {
            final JsonNode node = parent == null ? null : parent.get(name);
            if (node == null || node.isNull())
            {
                if (Double.isNaN(fallback))
                {
                    throw problem(field, "is missing");
                }
                return fallback;
            }
            if (!node.isNumber())
            {
                throw problem(field, "must be a number, was '" + node.asText() + "'");
            }
            final double value = node.asDouble();
            if (!(value >= min && value <= max))
            {
                throw problem(field, "must be between " + plain(min) + " and " + plain(max) + ", was " + node.asText());
            }
            return value;
        }

        LocalDate date(final JsonNode parent, final String name)
        {
            final String text = text(parent, name, name);
            try
            {
                return LocalDate.parse(text);
            }
            catch (final DateTimeParseException ex)
            {
                throw problem(name, "must be a date YYYY-MM-DD, was '" + text + "'");
            }
        }

        LocalTime time(final JsonNode parent, final String field, final String name)
        {
            final String text = text(parent, field, name);
            try
            {
                return LocalTime.parse(text.length() == 5 ? text + ":00" : text.length() == 4 ? "0" + text + ":00" : text);
            }
            catch (final DateTimeParseException ex)
            {
                throw problem(field, "must be a time of day HH:MM or HH:MM:SS, was '" + text + "'");
            }
        }

        private static String plain(final double value)
        {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long)value) : Double.toString(value);
        }
    }
}
