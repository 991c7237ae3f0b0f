package kr.sejong.city.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks of the {@code field} section: the OPC UA servers, their security, where their passwords come from
 * and which devices they serve (each a device of the traffic, energy or emergency section, served by one server).
 */
final class FieldValidator
{
    private static final String OPCUA = "field.opcua";

    private final String file;

    FieldValidator(final String file)
    {
        this.file = file;
    }

    void opcua(final Field.OpcUa opcua, final Traffic traffic, final Energy energy, final Emergency emergency)
    {
        if (opcua.pkiDir() == null || opcua.pkiDir().isBlank())
        {
            throw fail(OPCUA + ".pkiDir", "must not be empty");
        }
        samplingMs(opcua.samplingMs(), OPCUA + ".samplingMs");
        final Field.Reconnect reconnect = opcua.reconnect();
        if (reconnect.initialBackoffMs() < 10 || reconnect.initialBackoffMs() > 600_000)
        {
            throw fail(OPCUA + ".reconnect.initialBackoffMs", "must be in [10, 600000], was " + reconnect.initialBackoffMs());
        }
        if (reconnect.maxBackoffMs() < reconnect.initialBackoffMs() || reconnect.maxBackoffMs() > 3_600_000)
        {
            throw fail(OPCUA + ".reconnect.maxBackoffMs", "must be in [initialBackoffMs " + reconnect.initialBackoffMs()
                + ", 3600000], was " + reconnect.maxBackoffMs());
        }
        ranges(opcua.ranges());
        if (opcua.servers().isEmpty())
        {
            throw fail(OPCUA + ".servers", "must not be empty (leave the opcua section out when no field server is used)");
        }

        final Map<Field.DeviceKind, Set<Integer>> known = knownIds(traffic, energy, emergency);
        final Map<String, String> names = new TreeMap<>();
        final Map<String, String> servedBy = new TreeMap<>();
        for (int i = 0; i < opcua.servers().size(); i++)
        {
            final String path = OPCUA + ".servers[" + i + "]";
            final Field.Server server = opcua.servers().get(i);
            if (server.name() == null || server.name().isBlank())
            {
                throw fail(path + ".name", "must not be empty");
            }
            final String first = names.putIfAbsent(server.name(), path);
            if (first != null)
            {
                throw fail(path + ".name", "duplicate server name \"" + server.name() + "\" (first at " + first + ")");
            }
            final String quoted = "server \"" + server.name() + "\": ";
            final String endpointProblem = Field.endpointProblem(server.endpoint());
            if (endpointProblem != null)
            {
                throw fail(path + ".endpoint", quoted + endpointProblem);
            }
            security(opcua.allowInsecure(), server, path, quoted);
            if (server.samplingMs() != null)
            {
                samplingMs(server.samplingMs(), path + ".samplingMs");
            }
            if (server.devices().isEmpty())
            {
                throw fail(path + ".devices", quoted + "must serve at least one device");
            }
            for (int d = 0; d < server.devices().size(); d++)
            {
                final String devicesPath = path + ".devices[" + d + "]";
                final Field.Devices devices = server.devices().get(d);
                if (devices.kind() == null)
                {
                    throw fail(devicesPath + ".kind", "missing; one of " + YamlNames.all(Field.DeviceKind.class));
                }
                if (devices.ids().isEmpty())
                {
                    throw fail(devicesPath + ".ids", "must not be empty");
                }
                final String kind = YamlNames.of(devices.kind());
                for (int k = 0; k < devices.ids().size(); k++)
                {
                    final String idPath = devicesPath + ".ids[" + k + "]";
                    final int id = devices.ids().get(k);
                    final Set<Integer> ids = known.get(devices.kind());
                    if (ids != null && !ids.contains(id))
                    {
                        throw fail(idPath, quoted + "unknown " + kind + " " + id + " (" + where(devices.kind()) + ": " + ids + ")");
                    }
                    if (ids == null && id <= 0)
                    {
                        throw fail(idPath, "must be > 0, was " + id);
                    }
                    final String other = servedBy.putIfAbsent(kind + " " + id, idPath);
                    if (other != null)
                    {
                        throw fail(idPath, quoted + kind + " " + id + " is already served at " + other);
                    }
                }
            }
        }
    }

    private void security(final boolean allowInsecure, final Field.Server server, final String path, final String quoted)
    {
        if (!allowInsecure && server.securityPolicy() == Field.SecurityPolicy.NONE)
        {
            throw fail(path + ".securityPolicy", quoted + "None is only allowed with field.opcua.allowInsecure (development); "
                + "use Basic256Sha256 or Aes256_Sha256_RsaPss");
        }
        if (!allowInsecure && server.securityMode() == Field.SecurityMode.NONE)
        {
            throw fail(path + ".securityMode", quoted + "None is only allowed with field.opcua.allowInsecure (development); "
                + "use SignAndEncrypt or Sign");
        }
        if ((server.securityPolicy() == Field.SecurityPolicy.NONE) != (server.securityMode() == Field.SecurityMode.NONE))
        {
            throw fail(path + ".securityMode", quoted + "securityPolicy None goes with securityMode None and only with it");
        }
        if (server.password() != null)
        {
            throw fail(path + ".password", quoted + "never put a password in the configuration; name its source with passwordEnv "
                + "(an environment variable) or passwordFile");
        }
        if (server.user() == null)
        {
            if (!allowInsecure)
            {
                throw fail(path + ".user", quoted + "missing; anonymous sessions are only allowed with field.opcua.allowInsecure (development)");
            }
            if (server.passwordEnv() != null || server.passwordFile() != null)
            {
                throw fail(path + ".user", quoted + "missing, but a password source is given");
            }
            return;
        }
        if (server.user().isBlank())
        {
            throw fail(path + ".user", quoted + "must not be empty");
        }
        if ((server.passwordEnv() == null) == (server.passwordFile() == null))
        {
            throw fail(path, quoted + "give exactly one of passwordEnv (an environment variable name) and passwordFile");
        }
        if (server.passwordEnv() != null && !server.passwordEnv().matches("[A-Za-z_][A-Za-z0-9_]*"))
        {
            throw fail(path + ".passwordEnv", quoted + "must be an environment variable name, was \"" + server.passwordEnv() + "\"");
        }
        if (server.passwordFile() != null && server.passwordFile().isBlank())
        {
            throw fail(path + ".passwordFile", quoted + "must not be empty");
        }
    }

    private void ranges(final Field.Ranges ranges)
    {
        final String path = OPCUA + ".ranges";
        if (ranges.powerMarginPercent() < 0 || ranges.powerMarginPercent() > 100)
        {
            throw fail(path + ".powerMarginPercent", "must be in [0, 100], was " + ranges.powerMarginPercent());
        }
        range(ranges.frequencyMilliHz(), path + ".frequencyMilliHz");
        if (ranges.frequencyMilliHz().min() < 1 || ranges.frequencyMilliHz().max() > 100_000)
        {
            throw fail(path + ".frequencyMilliHz", "must lie within [1, 100000] mHz, was [" + ranges.frequencyMilliHz().min() + ", "
                + ranges.frequencyMilliHz().max() + "]");
        }
        range(ranges.pccPowerW(), path + ".pccPowerW");
        range(ranges.loadW(), path + ".loadW");
    }

    private void range(final Field.Range range, final String path)
    {
        if (range != null && range.min() >= range.max())
        {
            throw fail(path + ".max", "must be > min " + range.min() + ", was " + range.max());
        }
    }

    private void samplingMs(final int samplingMs, final String path)
    {
        if (samplingMs < 10 || samplingMs > 60_000)
        {
            throw fail(path, "must be in [10, 60000], was " + samplingMs);
        }
    }

    private static Map<Field.DeviceKind, Set<Integer>> knownIds(final Traffic traffic, final Energy energy, final Emergency emergency)
    {
        final Map<Field.DeviceKind, Set<Integer>> known = new java.util.EnumMap<>(Field.DeviceKind.class);
        final Set<Integer> intersections = new TreeSet<>();
        traffic.intersections().forEach(x -> intersections.add(x.id()));
        known.put(Field.DeviceKind.INTERSECTION, intersections);
        final Set<Integer> ess = new TreeSet<>();
        energy.ess().forEach(x -> ess.add(x.id()));
        known.put(Field.DeviceKind.ESS, ess);
        final Set<Integer> chargers = new TreeSet<>();
        energy.evChargers().forEach(x -> chargers.add(x.id()));
        known.put(Field.DeviceKind.CHARGER, chargers);
        final Set<Integer> pv = new TreeSet<>();
        energy.pv().forEach(x -> pv.add(x.id()));
        known.put(Field.DeviceKind.PV, pv);
        final Set<Integer> pcc = new TreeSet<>();
        if (energy.pcc() != null)
        {
            pcc.add(energy.pcc().id());
        }
        known.put(Field.DeviceKind.PCC, pcc);
        // an analytics gateway has no entity of its own: its events name cameras of emergency.cameras,
        // which the adapter checks value by value
        return known;
    }

    private static String where(final Field.DeviceKind kind)
    {
        return switch (kind)
        {
            case INTERSECTION -> "traffic.intersections";
            case ESS -> "energy.ess";
            case CHARGER -> "energy.evChargers";
            case PV -> "energy.pv";
            case PCC -> "energy.pcc";
            case ANALYTICS -> "emergency";
        };
    }

    private ConfigException fail(final String path, final String problem)
    {
        return new ConfigException(file, path, problem);
    }
}
