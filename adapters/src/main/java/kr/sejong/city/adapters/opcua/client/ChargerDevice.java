package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.config.Field;

/** An EV charger: ActivePowerW becomes a GridMeasurement, each Session value a ChargerSession. */
final class ChargerDevice extends FieldDevice
{
    private static final int ACTIVE_POWER = 0;
    private static final int SESSION = 1;

    private final Field.Range power;

    ChargerDevice(final int id, final ValueRanges ranges, final FieldPublisher out, final OpcUaCounters counters)
    {
        super(FieldNodes.Kind.CHARGER, id, out, counters);
        this.power = ranges.chargerPower(id);
        monitor(FieldNodes.ACTIVE_POWER_W, ACTIVE_POWER);
        monitor(FieldNodes.SESSION, SESSION);
    }

    @Override
    void onValue(final int variable, final String variableName, final Object value, final long atNs, final long arrivalNs)
    {
        if (variable == ACTIVE_POWER)
        {
            if (inRange(variableName, value, power))
            {
                good(atNs);
                out.gridMeasurement(id, DeviceKind.EV_CHARGER, (int)Values.longValue(value), 0, -1, atNs, arrivalNs);
            }
            return;
        }
        final long maxW = Math.max(power.max(), -power.min());
        if (integralArray(variableName, value, FieldNodes.SESSION_WIDTH) &&
            elementInRange(variableName, value, 0, 0, Long.MAX_VALUE) &&
            elementInRange(variableName, value, 1, 1, 4) &&
            elementInRange(variableName, value, 2, 0, 1000) &&
            elementInRange(variableName, value, 3, 0, Integer.MAX_VALUE) &&
            elementInRange(variableName, value, 4, 0, Long.MAX_VALUE) &&
            elementInRange(variableName, value, 5, 0, maxW) &&
            elementInRange(variableName, value, 6, 0, maxW) &&
            elementInRange(variableName, value, 7, 0, 1))
        {
            good(atNs);
            out.chargerSession(id, value, arrivalNs);
        }
    }
}
