package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.config.Field;

/**
 * The PCC meter: ActivePowerW and ReactivePowerVar make one GridMeasurement (PCC_METER) per notification
 * message, FrequencyMilliHz a FrequencyMeasurement, LoadW a GridMeasurement of kind LOAD with the meter's id.
 */
final class PccDevice extends FieldDevice
{
    private static final int ACTIVE_POWER = 0;
    private static final int REACTIVE_POWER = 1;
    private static final int FREQUENCY = 2;
    private static final int LOAD = 3;

    private final Field.Range power;
    private final Field.Range frequency;
    private final Field.Range load;
    private long activePowerW = Long.MIN_VALUE;
    private long reactivePowerVar;
    private long measuredAtNs;

    PccDevice(final int id, final ValueRanges ranges, final FieldPublisher out, final OpcUaCounters counters)
    {
        super(FieldNodes.Kind.PCC, id, out, counters);
        this.power = ranges.pccPower();
        this.frequency = ranges.frequencyMilliHz();
        this.load = ranges.load();
        monitor(FieldNodes.ACTIVE_POWER_W, ACTIVE_POWER);
        monitor(FieldNodes.REACTIVE_POWER_VAR, REACTIVE_POWER);
        monitor(FieldNodes.FREQUENCY_MILLI_HZ, FREQUENCY);
        monitor(FieldNodes.LOAD_W, LOAD);
    }

    @Override
    void reset()
    {
        super.reset();
        activePowerW = Long.MIN_VALUE;
        reactivePowerVar = 0;
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
                if (inRange(variableName, value, power))
                {
                    reactivePowerVar = Values.longValue(value);
                    changed(atNs);
                }
            }
            case FREQUENCY ->
            {
                if (inRange(variableName, value, frequency))
                {
                    good(atNs);
                    out.frequency(id, (int)Values.longValue(value), atNs, arrivalNs);
                }
            }
            default ->
            {
                if (inRange(variableName, value, load))
                {
                    good(atNs);
                    out.gridMeasurement(id, DeviceKind.LOAD, (int)Values.longValue(value), 0, -1, atNs, arrivalNs);
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
            out.gridMeasurement(id, DeviceKind.PCC_METER, (int)activePowerW, (int)reactivePowerVar, -1, measuredAtNs, arrivalNs);
        }
        measuredAtNs = 0;
        dirty = false;
    }
}
