package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes;

/**
 * Told of every set-point a client wrote and the device took (it passed the device's range check), so that
 * whoever simulates the device can apply it. Called on an OPC UA server thread: keep it short.
 */
@FunctionalInterface
public interface SetpointListener
{
    /**
     * @param kind     the device kind ({@code ESS}, {@code CHARGER}, {@code PV}).
     * @param deviceId the device's id.
     * @param name     the variable ({@link FieldNodes#ACTIVE_POWER_SETPOINT_W}, ...).
     * @param value    the value written (W or var).
     * @param atNs     when the device took it (the server's clock, epoch ns).
     */
    void onSetpoint(FieldNodes.Kind kind, long deviceId, String name, int value, long atNs);
}
