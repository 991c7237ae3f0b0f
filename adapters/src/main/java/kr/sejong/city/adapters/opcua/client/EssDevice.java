package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.config.Field;

/**
 * An ESS inverter: ActivePowerW, ReactivePowerVar and SocPermille make one GridMeasurement per notification
 * message (the last good values of the others with the one that changed); Alarms make it DEGRADED.
 */
final class EssDevice extends FieldDevice
{
    private static final int ACTIVE_POWER = 0;
    private static final int REACTIVE_POWER = 1;
    private static final int SOC = 2;
    private static final int ALARMS = 3;

    private final Field.Range power;
    private final Field.Range reactive;
    private long activePowerW = Long.MIN_VALUE;
    private long reactivePowerVar;
    private int socPermille = -1;
    private long measuredAtNs;

    EssDevice(final int id, final ValueRanges ranges, final FieldPublisher out, final OpcUaCounters counters)
    {
        super(FieldNodes.Kind.ESS, id, out, counters);
        this.power = ranges.essPower(id);
        this.reactive = ranges.essReactive(id);
        monitor(FieldNodes.ACTIVE_POWER_W, ACTIVE_POWER);
        monitor(FieldNodes.REACTIVE_POWER_VAR, REACTIVE_POWER);
        monitor(FieldNodes.SOC_PERMILLE, SOC);
        monitor(FieldNodes.ALARMS, ALARMS);
    }

    @Override
    void reset()
    {
        super.reset();
        activePowerW = Long.MIN_VALUE;
        reactivePowerVar = 0;
        socPermille = -1;
    }

    @Override
    void onValue(final int variable, final String variableName, final Object value, final long atNs, final long arrivalNs)
    {
        switch (variable)
        {
            case ACTIVE_POWER ->
            {
                if (inRange(variableName, value, power))
                {
                    activePowerW = Values.longValue(value);
                    changed(atNs);
                }
            }
            case REACTIVE_POWER ->
            {
                if (inRange(variableName, value, reactive))
                {
                    reactivePowerVar = Values.longValue(value);
                    changed(atNs);
                }
            }
            case SOC ->
            {
                if (inRange(variableName, value, ValueRanges.SOC_PERMILLE))
                {
                    socPermille = (int)Values.longValue(value);
                    changed(atNs);
                }
            }
            default ->
            {
                if (inRange(variableName, value, 0, 0xFFFF_FFFFL))
                {
                    good(atNs);
                    final long bits = Values.longValue(value);
                    degraded(bits == 0 ? null : name + " alarms " + bits + ": " + alarmNames(bits));
                }
            }
        }
    }

    private void changed(final long atNs)
    {
        measuredAtNs = Math.max(measuredAtNs, atNs);
        dirty = true;
        good(atNs);
    }

    @Override
    void flush(final long arrivalNs)
    {
        if (dirty && activePowerW != Long.MIN_VALUE)
        {
            out.gridMeasurement(id, kind.deviceKind(), (int)activePowerW, (int)reactivePowerVar, socPermille, measuredAtNs, arrivalNs);
        }
        measuredAtNs = 0;
        dirty = false;
    }

    static String alarmNames(final long bits)
    {
        final StringBuilder names = new StringBuilder();
        append(names, bits, FieldNodes.ALARM_OVER_TEMPERATURE, "over-temperature");
        append(names, bits, FieldNodes.ALARM_INSULATION_FAULT, "insulation fault");
        append(names, bits, FieldNodes.ALARM_INVERTER_FAULT, "inverter fault");
        append(names, bits, FieldNodes.ALARM_COMMUNICATION_FAULT, "communication fault");
        final long other = bits & ~0xFL;
        if (other != 0)
        {
            names.append(names.length() == 0 ? "" : ", ").append("unknown bits ").append(other);
        }
        return names.toString();
    }

    private static void append(final StringBuilder names, final long bits, final int bit, final String name)
    {
        if ((bits & bit) != 0)
        {
            names.append(names.length() == 0 ? "" : ", ").append(name);
        }
    }
}
