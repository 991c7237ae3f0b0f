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
 * @param operatorSetpoints an operator's manual set-points and releases (OperatorSetpoint through the node), none by default.
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
    List<Fault> faults,
    List<OperatorSetpoint> operatorSetpoints)
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

    /**
     * At {@code at} an operator puts the ESS or charger {@code device} under manual control at {@code kw}
     * (ESS: the power to run at; charger: the cap) for {@code holdS} seconds, or with {@code release} gives it
     * back. The loop checks it like any input: a value outside the device's range or an unknown device is a Reject.
     */
    public record OperatorSetpoint(LocalTime at, long device, double kw, double holdS, boolean release)
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
            frequencyDips, demandResponse, faults, operatorSetpoints);
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
        final ScenarioReader r = new ScenarioReader(source, EnergyScenarioException::new);
        final String kind = r.optionalText(root, "kind");
        if (!KIND.equals(kind))
        {
            throw new EnergyScenarioException("scenario " + source + ": kind is '" + kind + "', this command runs kind '" + KIND + "'");
        }
        r.allowOnly(root, "", "kind", "name", "date", "hours", "stepMs", "seed", "weather", "ev", "frequencyDips", "demandResponse", "faults",
            "operatorSetpoints");
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
        final List<OperatorSetpoint> setpoints = new ArrayList<>();
        i = 0;
        for (final JsonNode node : r.list(root, "operatorSetpoints"))
        {
            final String at = "operatorSetpoints[" + i++ + "].";
            r.allowOnly(node, at, "at", "device", "kw", "holdS", "release");
            final boolean release = r.bool(node, at + "release", "release", false);
            if (release && (node.has("kw") || node.has("holdS")))
            {
                throw new EnergyScenarioException("scenario " + source + ": " + at + "release is true: give no kw or holdS");
            }
            setpoints.add(new OperatorSetpoint(r.time(node, at + "at", "at"),
                (long)r.number(node, at + "device", "device", Double.NaN, 1, 0xFFFF_FFFEL),
                release ? 0 : r.number(node, at + "kw", "kw", Double.NaN, -1_000_000, 1_000_000),
                release ? 0 : r.number(node, at + "holdS", "holdS", 900, 0.001, 86_400),
                release));
        }
        return new EnergyScenario(name != null ? name : fileStem(source), date, hours, stepMs, seed, cloudMean, cloudStdDev, evRate,
            List.copyOf(dips), List.copyOf(events), List.copyOf(faults), List.copyOf(setpoints));
    }

    private static String fileStem(final String source)
    {
        final String file = Path.of(source).getFileName().toString();
        return file.replaceFirst("\\.ya?ml$", "");
    }
}
