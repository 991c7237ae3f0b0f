package kr.sejong.city.bench.opcua;

import kr.sejong.city.adapters.opcua.server.FieldDevice;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.Energy;
import kr.sejong.city.config.Field;
import kr.sejong.city.config.PvArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The field of the benchmark: N PV inverters on one OPC UA server, added to the default city so that the
 * adapter's configuration and range checks accept them exactly as in production.
 * <p>
 * Why PV inverters: the adapter monitors one variable of each (ActivePowerW), and each of its notifications
 * becomes exactly one GridMeasurement, so the values made and the messages received can be matched one to one
 * per item. An ESS has four monitored variables whose changes in one notification message become one message.
 */
final class BenchField
{
    static final String SERVER_NAME = "bench-field";
    static final String USER = "city-adapter";
    static final String PASSWORD_ENV = "SEJONG_BENCH_OPCUA_PASSWORD";
    /** Ids of the benchmark's arrays start here (the default city's own PV arrays keep theirs). */
    static final int FIRST_ID = 100_001;
    /** Every array's rating; its ActivePowerW may go down to -1.1 times this (the power margin). */
    static final int PEAK_W = 1_000_000;

    private BenchField()
    {
    }

    static int id(final int item)
    {
        return FIRST_ID + item;
    }

    static int item(final long deviceId)
    {
        return (int)(deviceId - FIRST_ID);
    }

    /**
     * The default city with {@code items} more PV arrays and a {@code field.opcua} section naming one server
     * (SignAndEncrypt Basic256Sha256, a user whose password comes from {@link #PASSWORD_ENV}) that serves them,
     * validated as a loaded file is.
     */
    static CityConfig city(final int items, final String endpoint, final int samplingMs)
    {
        final CityConfig base = ConfigLoader.loadDefault().config();
        final Energy e = base.energy();
        final List<PvArray> pv = new ArrayList<>(e.pv());
        final List<Integer> ids = new ArrayList<>(items);
        for (int i = 0; i < items; i++)
        {
            pv.add(new PvArray(id(i), "bench array " + i, PvArray.Kind.ROOFTOP, PEAK_W / 1000.0));
            ids.add(id(i));
        }
        final Energy energy = new Energy(e.pcc(), pv, e.ess(), e.evChargers(), e.loads(), e.prosumers(), e.tariff(),
            e.selfSufficiencyTargetPercent(), e.neighbourSaleCapPercent());
        final Field.Server server = new Field.Server(SERVER_NAME, endpoint, Field.SecurityPolicy.BASIC256SHA256,
            Field.SecurityMode.SIGN_AND_ENCRYPT, USER, PASSWORD_ENV, null, null, null,
            List.of(new Field.Devices(Field.DeviceKind.PV, ids)));
        final Field field = new Field(new Field.OpcUa(Field.OpcUa.PKI_DIR_DEFAULT, false, samplingMs, Field.Reconnect.defaults(),
            Field.Ranges.defaults(), List.of(server)));
        final CityConfig city = new CityConfig(base.city(), base.node(), base.traffic(), base.mobility(), energy, base.emergency(),
            base.simulator(), base.gateway(), field);
        ConfigLoader.validate(city, "bench opcua city (" + items + " PV arrays)");
        return city;
    }

    /** The server side of the same arrays. */
    static List<FieldDevice> devices(final int items)
    {
        final List<FieldDevice> devices = new ArrayList<>(items);
        for (int i = 0; i < items; i++)
        {
            devices.add(FieldDevice.pv(id(i), PEAK_W));
        }
        return devices;
    }

    /** The value item {@code i} holds in feeder round {@code round}: unique per round, within the array's range. */
    static int value(final long round)
    {
        return (int)-(1 + round);
    }

    /** The round a value was made in. */
    static long round(final int activePowerW)
    {
        return -(long)activePowerW - 1;
    }
}
