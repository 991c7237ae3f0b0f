package kr.sejong.city.core.loops.energy;

/**
 * Primary frequency response by droop: below the nominal frequency the storage delivers power to
 * the bus, above it the storage draws power, in proportion to the deviation beyond the dead band.
 * With a droop of d % the full rated power answers a deviation of d % of the nominal frequency
 * (5 % at 60 Hz: 3 Hz), the usual definition for generators and batteries alike.
 * <p>
 * Sign: the result follows the bus convention, so an under-frequency gives a negative (delivering)
 * power and an over-frequency a positive (drawing) one.
 */
public final class FrequencyDroop
{
    private FrequencyDroop()
    {
    }

    /**
     * Droop response, W, before device limits.
     *
     * @param frequencyMilliHz measured frequency.
     * @param nominalMilliHz   nominal frequency (60,000 in Korea).
     * @param deadBandMilliHz  deviation that gets no response.
     * @param droopPercent     deviation, in percent of nominal, at which the full rated power answers.
     * @param ratedW           power of every device that takes part (positive).
     * @return the response; 0 inside the dead band, never beyond {@code ratedW} in magnitude.
     */
    public static long responseW(
        final int frequencyMilliHz,
        final int nominalMilliHz,
        final int deadBandMilliHz,
        final double droopPercent,
        final long ratedW)
    {
        final int deviationMilliHz = frequencyMilliHz - nominalMilliHz;
        final int beyondMilliHz = Math.abs(deviationMilliHz) - deadBandMilliHz;
        if (beyondMilliHz <= 0 || ratedW <= 0 || !(droopPercent > 0))
        {
            return 0;
        }
        final double fullResponseMilliHz = nominalMilliHz * droopPercent / 100.0;
        final double share = Math.min(1.0, beyondMilliHz / fullResponseMilliHz);
        final long magnitudeW = Math.round(share * ratedW);
        // under-frequency: deliver (negative); over-frequency: draw (positive)
        return deviationMilliHz < 0 ? -magnitudeW : magnitudeW;
    }
}
