package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Energy;
import kr.sejong.city.config.Ess;
import kr.sejong.city.config.EvCharger;
import kr.sejong.city.config.Field;
import kr.sejong.city.config.PvArray;

import java.util.Set;
import java.util.TreeSet;

/**
 * The physical limits of field values: from the configured {@code field.opcua.ranges} and, where it gives none,
 * from the device ratings of the energy section (widened by the power margin). A value outside is refused.
 */
final class ValueRanges
{
    /** State of charge, permille. */
    static final Field.Range SOC_PERMILLE = new Field.Range(0, 1000);
    /** Occupancy, permille. */
    static final long OCCUPANCY_MAX = 1000;

    private final CityConfig city;
    private final Field.Ranges ranges;
    private final Set<Integer> cameraIds = new TreeSet<>();

    ValueRanges(final CityConfig city, final Field.Ranges ranges)
    {
        this.city = city;
        this.ranges = ranges == null ? Field.Ranges.defaults() : ranges;
        if (city.emergency() != null)
        {
            city.emergency().cameras().forEach(camera -> cameraIds.add(camera.id()));
        }
    }

    private long withMargin(final double kw)
    {
        return Math.round(kw * 1000 * (100 + ranges.powerMarginPercent()) / 100.0);
    }

    /** ESS active power: discharge to charge rating, with margin. */
    Field.Range essPower(final int id)
    {
        final Ess ess = ess(id);
        return new Field.Range(-withMargin(ess.maxDischargeKw()), withMargin(ess.maxChargeKw()));
    }

    /** ESS reactive power: within the larger power rating, with margin. */
    Field.Range essReactive(final int id)
    {
        final Ess ess = ess(id);
        final long limit = withMargin(Math.max(ess.maxChargeKw(), ess.maxDischargeKw()));
        return new Field.Range(-limit, limit);
    }

    /** Charger power: its rating both ways where it can discharge (V2G), else from a small margin below 0. */
    Field.Range chargerPower(final int id)
    {
        final EvCharger charger = charger(id);
        final long limit = withMargin(charger.powerKw());
        return new Field.Range(charger.v2g() ? -limit : -(limit - Math.round(charger.powerKw() * 1000)), limit);
    }

    /** PV power: generation (negative) up to the peak, with margin; a little consumption at night. */
    Field.Range pvPower(final int id)
    {
        final PvArray pv = pv(id);
        final long limit = withMargin(pv.peakKw());
        return new Field.Range(-limit, limit - Math.round(pv.peakKw() * 1000));
    }

    /** PCC active and reactive power: as configured, else twice the larger contract limit either way. */
    Field.Range pccPower()
    {
        if (ranges.pccPowerW() != null)
        {
            return ranges.pccPowerW();
        }
        final Energy.Pcc pcc = city.energy().pcc();
        final long limit = Math.round(2 * 1000 * Math.max(pcc.importLimitKw(), pcc.exportLimitKw()));
        return new Field.Range(-limit, limit);
    }

    /** The district load: as configured, else 0 to three times the peak load. */
    Field.Range load()
    {
        if (ranges.loadW() != null)
        {
            return ranges.loadW();
        }
        return new Field.Range(0, Math.round(3 * 1000 * city.energy().loads().peakLoadKw()));
    }

    Field.Range frequencyMilliHz()
    {
        return ranges.frequencyMilliHz();
    }

    /** Whether a camera id is one of emergency.cameras (an analytics event must name a known camera). */
    boolean knownCamera(final long cameraId)
    {
        return cameraId >= 0 && cameraId <= Integer.MAX_VALUE && cameraIds.contains((int)cameraId);
    }

    private Ess ess(final int id)
    {
        return city.energy().ess().stream().filter(e -> e.id() == id).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no ESS " + id + " in energy.ess"));
    }

    private EvCharger charger(final int id)
    {
        return city.energy().evChargers().stream().filter(e -> e.id() == id).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no charger " + id + " in energy.evChargers"));
    }

    private PvArray pv(final int id)
    {
        return city.energy().pv().stream().filter(e -> e.id() == id).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no PV array " + id + " in energy.pv"));
    }
}
