package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.config.Field;

/** A PV inverter: ActivePowerW (negative: generation) becomes a GridMeasurement. */
final class PvDevice extends FieldDevice
{
    private final Field.Range power;

    PvDevice(final int id, final ValueRanges ranges, final FieldPublisher out, final OpcUaCounters counters)
    {
        super(FieldNodes.Kind.PV, id, out, counters);
        this.power = ranges.pvPower(id);
        monitor(FieldNodes.ACTIVE_POWER_W, 0);
    }

    @Override
    void onValue(final int variable, final String variableName, final Object value, final long atNs, final long arrivalNs)
    {
        if (inRange(variableName, value, power))
        {
            good(atNs);
            out.gridMeasurement(id, DeviceKind.PV_INVERTER, (int)Values.longValue(value), 0, -1, atNs, arrivalNs);
        }
    }
}
