package kr.sejong.city.config;

/**
 * The field simulator: seed, pace and the rates of what it generates. Rates are means of Poisson
 * processes unless said otherwise.
 *
 * @param seed                       seed of every random draw, so a simulated run can be repeated.
 * @param stepMs                     logical time per simulation step.
 * @param detectorIntervalMs         interval a detector observation covers.
 * @param speedFactor                logical time per wall-clock time; 1 = real time.
 * @param peakVehiclesPerHourPerLane traffic demand per lane at the peak hour.
 * @param brtHeadwayS                time between BRT buses in each direction.
 * @param emergencyRunsPerHour       emergency-vehicle runs that ask for preemption.
 * @param peakRideRequestsPerHour    shuttle ride requests at the peak hour.
 * @param cameraEventsPerHour        video-analytics events, all cameras together.
 * @param falseAlarmPercent          share of camera events that are false alarms.
 * @param callsPerHour               112 and 119 calls together.
 * @param evArrivalsPerHour          electric vehicles plugging in, all chargers together.
 * @param gridMeasurementIntervalMs  interval between measurements of each grid device.
 */
public record Simulator(
    long seed,
    int stepMs,
    int detectorIntervalMs,
    double speedFactor,
    double peakVehiclesPerHourPerLane,
    int brtHeadwayS,
    double emergencyRunsPerHour,
    double peakRideRequestsPerHour,
    double cameraEventsPerHour,
    double falseAlarmPercent,
    double callsPerHour,
    double evArrivalsPerHour,
    int gridMeasurementIntervalMs)
{
}
