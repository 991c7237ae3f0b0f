package kr.sejong.city.adapters.opcua.client;

/**
 * Told of every frame that translates a subscription notification, once the ingress has taken it: for a
 * benchmark of notification arrival to Aeron offer. Called on Milo's delivery threads, on the hot path: keep it
 * short and allocation-free (record into a histogram).
 */
@FunctionalInterface
public interface LatencyHook
{
    /**
     * @param templateId the SBE template of the frame (GridMeasurement, SignalStatus, ...).
     * @param arrivalNs  {@link System#nanoTime()} when the notification message reached the adapter.
     * @param offeredNs  {@link System#nanoTime()} right after the offer succeeded.
     */
    void onOffered(int templateId, long arrivalNs, long offeredNs);
}
