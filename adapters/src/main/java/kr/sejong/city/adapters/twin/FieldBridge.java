package kr.sejong.city.adapters.twin;

import java.util.List;

/**
 * The twin's traffic lights reached through field devices instead of SBE over Aeron: observations go into the devices,
 * which their field adapter passes on to the node's ingress, and the node's commands reach the lights through the
 * devices. The Tick still goes straight to the node (time is not a field device), so the bridge keeps the lockstep's
 * order: the node must hold a step's observations before its Tick ({@link #awaitObservations}), and the twin must
 * hold the devices' answers to that Tick before it steps ({@link #awaitShown}).
 * <p>
 * {@link TwinAdapter} calls it on its own thread, in this order: {@link #start} once, then per step
 * {@link #beginStep}, {@link #observe} per light, {@link #awaitObservations}, (Tick, the commands on egress)
 * {@link #awaitShown}. The caller that made it closes it after the run.
 */
public interface FieldBridge extends AutoCloseable
{
    /**
     * Before the first step: brings up the devices of these lights (intersection id = position + 1).
     *
     * @param lights    the lights in intersection-id order, as the twin announces them.
     * @param startNs   simulation time 0 on the node's epoch (the twin's epoch offset): where the lights' own programs
     *                  start their cycle.
     * @param timeoutMs how long any one wait may take before the run fails naming what is missing.
     */
    void start(List<TrafficLight> lights, long startNs, int timeoutMs);

    /** A step begins at {@code timeNs} (on the node's epoch): the devices' time moves on to it. */
    void beginStep(long timeNs);

    /**
     * The step's observation of light {@code index} (intersection id {@code index + 1}), as the twin would send it:
     * {@code meanSpeedCmPerS[l] < 0} when there is none.
     */
    void observe(int index, int lanes, int[] vehicles, int[] halting, int[] occupancyPermille, int[] meanSpeedCmPerS);

    /**
     * Returns once every observation of step {@code step} is on the node's ingress ahead of anything the twin sends
     * next (the Tick); the first call also waits until the node has every intersection's topology.
     *
     * @throws TwinException when one does not arrive in time, naming it.
     */
    void awaitObservations(long step);

    /**
     * After the step's SignalCommands were seen on egress: returns once every device has taken (or refused) its
     * command for this step, and puts in {@code shown[i]} what light {@code i} now shows, which is what SUMO must show.
     *
     * @param commanded the states the node commanded, by light.
     * @throws TwinException when a device does not get its command in time.
     */
    void awaitShown(long step, String[] commanded, String[] shown);

    /** One line for the end of a run: what went through the devices. */
    String summary();

    @Override
    void close();
}
