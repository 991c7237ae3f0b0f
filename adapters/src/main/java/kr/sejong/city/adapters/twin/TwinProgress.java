package kr.sejong.city.adapters.twin;

/** Progress of a twin run, reported at most once a second (wall clock). */
@FunctionalInterface
public interface TwinProgress
{
    /**
     * @param simTimeS           simulation time, s.
     * @param vehiclesInNetwork  vehicles driving now.
     * @param meanDelayS         mean delay (timeLoss + departDelay) so far over the vehicles that have
     *                           departed, those still driving counted with their delay so far.
     */
    void onProgress(double simTimeS, int vehiclesInNetwork, double meanDelayS);
}
