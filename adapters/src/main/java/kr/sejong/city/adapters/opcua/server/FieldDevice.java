package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes.Kind;
import kr.sejong.city.adapters.sim.IntersectionLayout;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Detector;
import kr.sejong.city.config.Ess;
import kr.sejong.city.config.EvCharger;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.config.PvArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One device a field server hosts: its kind and id, and what its object needs to be built (an intersection's
 * topology and detectors, a grid device's limits). Made with the static factories.
 *
 * @param kind               the kind of device.
 * @param id                 its numeric id from the configuration.
 * @param topology           intersections: lanes, movements, conflicts and the own program.
 * @param detectorIds        intersections: the detectors, each an object with a Counts variable.
 * @param maxChargePowerW    ESS: the initial MaxChargePowerW.
 * @param maxDischargePowerW ESS: the initial MaxDischargePowerW.
 * @param socMinPermille     ESS: SocMinPermille.
 * @param socMaxPermille     ESS: SocMaxPermille.
 * @param ratedPowerW        charger: MaxPowerW; PV: peak power (the widest CurtailmentLimitW).
 * @param v2gCapable         charger: V2gCapable.
 */
public record FieldDevice(
    Kind kind,
    long id,
    ControllerTopology topology,
    long[] detectorIds,
    int maxChargePowerW,
    int maxDischargePowerW,
    int socMinPermille,
    int socMaxPermille,
    int ratedPowerW,
    boolean v2gCapable)
{
    public FieldDevice
    {
        Objects.requireNonNull(kind, "kind");
        if (id < 0 || id > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException(kind.prefix() + " id " + id + " is not a uint32");
        }
        if (kind == Kind.INTERSECTION && topology == null)
        {
            throw new IllegalArgumentException(kind.prefix() + "/" + id + " needs its topology");
        }
        detectorIds = detectorIds == null ? new long[0] : detectorIds.clone();
    }

    public static FieldDevice intersection(final long id, final ControllerTopology topology, final long... detectorIds)
    {
        return new FieldDevice(Kind.INTERSECTION, id, Objects.requireNonNull(topology, "topology"), detectorIds, 0, 0, 0, 0, 0,
            false);
    }

    public static FieldDevice ess(final long id, final int maxChargePowerW, final int maxDischargePowerW, final int socMinPermille,
        final int socMaxPermille)
    {
        if (maxChargePowerW < 0 || maxDischargePowerW < 0)
        {
            throw new IllegalArgumentException("Ess/" + id + ": power limits are positive numbers");
        }
        if (socMinPermille < 0 || socMaxPermille > 1000 || socMinPermille > socMaxPermille)
        {
            throw new IllegalArgumentException("Ess/" + id + ": state of charge limits must be 0 <= min <= max <= 1000");
        }
        return new FieldDevice(Kind.ESS, id, null, null, maxChargePowerW, maxDischargePowerW, socMinPermille, socMaxPermille, 0,
            false);
    }

    public static FieldDevice charger(final long id, final int maxPowerW, final boolean v2gCapable)
    {
        if (maxPowerW < 0)
        {
            throw new IllegalArgumentException("Charger/" + id + ": MaxPowerW is a positive number");
        }
        return new FieldDevice(Kind.CHARGER, id, null, null, 0, 0, 0, 0, maxPowerW, v2gCapable);
    }

    public static FieldDevice pv(final long id, final int peakPowerW)
    {
        if (peakPowerW < 0)
        {
            throw new IllegalArgumentException("Pv/" + id + ": the peak power is a positive number");
        }
        return new FieldDevice(Kind.PV, id, null, null, 0, 0, 0, 0, peakPowerW, false);
    }

    public static FieldDevice pcc(final long id)
    {
        return new FieldDevice(Kind.PCC, id, null, null, 0, 0, 0, 0, 0, false);
    }

    public static FieldDevice analytics(final long id)
    {
        return new FieldDevice(Kind.ANALYTICS, id, null, null, 0, 0, 0, 0, 0, false);
    }

    /**
     * Every field device a city configuration has: the controllable intersections (as the field simulator lays
     * them out) with their detectors, the ESS, chargers, PV arrays, the PCC meter, and one video-analytics
     * gateway with the given id (the configuration has cameras, not gateways).
     */
    public static List<FieldDevice> of(final CityConfig config, final long analyticsGatewayId)
    {
        final List<FieldDevice> devices = new ArrayList<>();
        final List<Intersection> intersections = new ArrayList<>(config.traffic().intersections());
        intersections.sort(Comparator.comparingInt(Intersection::id));
        for (final Intersection intersection : intersections)
        {
            final IntersectionLayout layout = IntersectionLayout.of(intersection, config.traffic());
            if (layout.controllable())
            {
                final long[] detectors = config.traffic().detectors().stream()
                    .filter(d -> d.intersection() == intersection.id())
                    .mapToLong(Detector::id)
                    .sorted()
                    .toArray();
                devices.add(intersection(intersection.id(), ControllerTopology.of(layout), detectors));
            }
        }
        for (final Ess ess : config.energy().ess())
        {
            devices.add(ess(ess.id(), watts(ess.maxChargeKw()), watts(ess.maxDischargeKw()),
                (int)Math.round(ess.minSocPercent() * 10), (int)Math.round(ess.maxSocPercent() * 10)));
        }
        for (final EvCharger charger : config.energy().evChargers())
        {
            devices.add(charger(charger.id(), watts(charger.powerKw()), charger.v2g()));
        }
        for (final PvArray pv : config.energy().pv())
        {
            devices.add(pv(pv.id(), watts(pv.peakKw())));
        }
        devices.add(pcc(config.energy().pcc().id()));
        if (!config.emergency().cameras().isEmpty())
        {
            devices.add(analytics(analyticsGatewayId));
        }
        return devices;
    }

    private static int watts(final double kw)
    {
        return (int)Math.round(kw * 1000.0);
    }

    @Override
    public long[] detectorIds()
    {
        return detectorIds.clone();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof FieldDevice that && kind == that.kind && id == that.id &&
            Objects.equals(topology, that.topology) && Arrays.equals(detectorIds, that.detectorIds) &&
            maxChargePowerW == that.maxChargePowerW && maxDischargePowerW == that.maxDischargePowerW &&
            socMinPermille == that.socMinPermille && socMaxPermille == that.socMaxPermille &&
            ratedPowerW == that.ratedPowerW && v2gCapable == that.v2gCapable;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(kind, id);
    }

    @Override
    public String toString()
    {
        return kind.prefix() + "/" + id;
    }
}
