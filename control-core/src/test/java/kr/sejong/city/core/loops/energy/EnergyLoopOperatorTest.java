package kr.sejong.city.core.loops.energy;

import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.SetpointDecoder;
import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's manual set-point through the energy loop, frame by frame: applied on the next Tick, clamped by
 * the SoC window and the PCC import limit, droop added during a dip, released, expired, a charger's cap,
 * refusals as Rejects, and a snapshot taken mid-override.
 */
class EnergyLoopOperatorTest
{
    private static final EnergySettings SETTINGS = EnergySettings.from(ConfigLoader.loadDefault().config());
    /** 10:00 Seoul, a mid-price hour. */
    private static final long T0 = LocalDateTime.of(2026, 6, 22, 10, 0).atZone(ZoneId.of("Asia/Seoul")).toEpochSecond() * 1_000_000_000L;
    private static final int ESS_302 = 302;
    private static final int COMMUNITY = 1; // index of ESS 302 (0.5 MW)
    private static final long HOLD_MS = 900_000;

    private static LoopDriver driver()
    {
        return new LoopDriver(new EnergyLoop(SETTINGS));
    }

    private static EnergyLoop loop(final LoopDriver d)
    {
        return (EnergyLoop)d.loop;
    }

    /** Every measurement of {@code ticks} Ticks from {@code fromNs}, with each ESS's SoC and the frequency given; returns the next time. */
    private static long run(final LoopDriver d, final long fromNs, final int ticks, final int pccW, final int soc301, final int soc302,
        final int milliHz)
    {
        long t = fromNs;
        for (int i = 0; i < ticks; i++)
        {
            d.grid(SETTINGS.pccId, DeviceKind.PCC_METER, pccW, -1, t);
            d.grid(SETTINGS.pccId, DeviceKind.LOAD, pccW, -1, t);
            d.frequency(SETTINGS.pccId, milliHz, t);
            d.grid(SETTINGS.essIds[0], DeviceKind.ESS, 0, soc301, t);
            d.grid(SETTINGS.essIds[1], DeviceKind.ESS, 0, soc302, t);
            for (final int id : SETTINGS.pvIds)
            {
                d.grid(id, DeviceKind.PV_INVERTER, 0, -1, t);
            }
            for (final int id : SETTINGS.chargerIds)
            {
                d.grid(id, DeviceKind.EV_CHARGER, 0, -1, t);
            }
            d.tick(t);
            t += LoopDriver.TICK_NS;
        }
        return t;
    }

    private static long run(final LoopDriver d, final long fromNs, final int ticks)
    {
        return run(d, fromNs, ticks, 6_000_000, 500, 500, 60_000);
    }

    private record Sent(int deviceId, DeviceKind kind, int powerW, SetpointReason reason)
    {
    }

    private static List<Sent> setpoints(final List<byte[]> frames, final int deviceId)
    {
        final List<Sent> found = new ArrayList<>();
        final SetpointDecoder decoder = new SetpointDecoder();
        for (final byte[] frame : frames)
        {
            if (LoopDriver.templateId(frame) == SetpointDecoder.TEMPLATE_ID)
            {
                decoder.wrap(new UnsafeBuffer(frame), MessageHeaderDecoder.ENCODED_LENGTH, SetpointDecoder.BLOCK_LENGTH, SetpointDecoder.SCHEMA_VERSION);
                if (decoder.deviceId() == deviceId)
                {
                    found.add(new Sent((int)decoder.deviceId(), decoder.deviceKind(), decoder.activePowerW(), decoder.reason()));
                }
            }
        }
        return found;
    }

    private static Sent onlySetpoint(final List<byte[]> frames, final int deviceId)
    {
        final List<Sent> found = setpoints(frames, deviceId);
        assertEquals(1, found.size(), "set-points for " + deviceId + ": " + found);
        return found.get(0);
    }

    private record Refusal(RejectReason reason, String detail)
    {
    }

    private static List<Refusal> rejects(final List<byte[]> frames)
    {
        final List<Refusal> found = new ArrayList<>();
        final RejectDecoder decoder = new RejectDecoder();
        for (final byte[] frame : frames)
        {
            if (LoopDriver.templateId(frame) == RejectDecoder.TEMPLATE_ID)
            {
                decoder.wrap(new UnsafeBuffer(frame), MessageHeaderDecoder.ENCODED_LENGTH, RejectDecoder.BLOCK_LENGTH, RejectDecoder.SCHEMA_VERSION);
                found.add(new Refusal(decoder.reason(), decoder.detail()));
            }
        }
        return found;
    }

    @Test
    void anEssSetPointIsAppliedOnTheNextTickWithReasonOperator()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 20);
        assertNotEquals(-300_000, loop(d).balancer().essSetW(COMMUNITY), "not what the loop does on its own");
        d.sent.clear();
        d.operatorSetpoint(1, ESS_302, DeviceKind.ESS, -300_000, HOLD_MS);
        assertTrue(d.sent.isEmpty(), "nothing before the Tick");
        t = run(d, t, 1);
        assertEquals(new Sent(ESS_302, DeviceKind.ESS, -300_000, SetpointReason.OPERATOR), onlySetpoint(d.sent, ESS_302));
        assertEquals(SetpointReason.OPERATOR, d.status().binding(), "the BalancingStatus shows it");
        d.sent.clear();
        run(d, t, 10);
        assertTrue(setpoints(d.sent, ESS_302).isEmpty(), "steady: sent once");
        assertEquals(-300_000, loop(d).balancer().essSetW(COMMUNITY));
        assertEquals(SetpointReason.OPERATOR, d.status().binding());
    }

    @Test
    void theSocWindowClampsItAndTheSetPointSaysSo()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 20, 6_000_000, 500, 101, 60_000);
        d.sent.clear();
        d.operatorSetpoint(1, ESS_302, DeviceKind.ESS, -300_000, HOLD_MS);
        run(d, t, 1, 6_000_000, 500, 101, 60_000); // 302 at the lower SoC limit: nothing to discharge
        assertEquals(new Sent(ESS_302, DeviceKind.ESS, 0, SetpointReason.DEVICE_LIMIT), onlySetpoint(d.sent, ESS_302));
        assertTrue(loop(d).grid().essManual[COMMUNITY], "clamped, still under manual control");
    }

    @Test
    void thePccImportLimitClampsItAfterEveryAutomaticMeans()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 20, 6_000_000, 100, 500, 60_000); // 301 empty
        d.operatorSetpoint(1, ESS_302, DeviceKind.ESS, 500_000, HOLD_MS);
        d.sent.clear();
        run(d, t, 1, 13_000_000, 100, 500, 60_000); // 13 MW through a 12 MW contract
        final Sent sent = onlySetpoint(d.sent, ESS_302);
        assertEquals(SetpointReason.PCC_LIMIT, sent.reason());
        assertTrue(sent.powerW() > 0 && sent.powerW() < 500_000, "charging, less than asked: " + sent);
        assertEquals(d.status().importLimitW(), d.status().plannedPccW(), "held at the limit");
        assertEquals(SetpointReason.PCC_LIMIT, d.status().binding());
        assertEquals(1_270_000, d.status().loadReductionW(), "the loads gave all they have first");
    }

    @Test
    void theDroopIsAddedOnTopDuringAFrequencyDip()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 20);
        d.operatorSetpoint(1, ESS_302, DeviceKind.ESS, -100_000, HOLD_MS);
        t = run(d, t, 1);
        d.sent.clear();
        t = run(d, t, 1, 6_000_000, 500, 500, 59_700);
        final Sent dip = onlySetpoint(d.sent, ESS_302);
        assertEquals(SetpointReason.FREQUENCY_RESPONSE, dip.reason());
        assertTrue(dip.powerW() < -100_000, "more discharge than the operator's value: " + dip);
        assertTrue(d.status().frequencyResponseTargetW() < 0);
        assertEquals(d.status().frequencyResponseTargetW(), d.status().frequencyResponseW(), "fully active on the first Tick");
        d.sent.clear();
        run(d, t, 1);
        assertEquals(new Sent(ESS_302, DeviceKind.ESS, -100_000, SetpointReason.OPERATOR), onlySetpoint(d.sent, ESS_302), "back to the value");
        // a droop share below the 1 kW dead band still changes the reason: a device under manual control hears it, and hears the end
        d.sent.clear();
        run(d, t + LoopDriver.TICK_NS, 1, 6_000_000, 500, 500, 59_965);
        final Sent small = onlySetpoint(d.sent, ESS_302);
        assertEquals(SetpointReason.FREQUENCY_RESPONSE, small.reason());
        assertTrue(small.powerW() < -100_000 && small.powerW() > -101_000, small.toString());
        d.sent.clear();
        run(d, t + 2 * LoopDriver.TICK_NS, 1);
        assertEquals(new Sent(ESS_302, DeviceKind.ESS, -100_000, SetpointReason.OPERATOR), onlySetpoint(d.sent, ESS_302));
    }

    @Test
    void aReleaseGivesTheDeviceBackToAutomaticControl()
    {
        final LoopDriver manual = driver();
        final LoopDriver automatic = driver();
        long t = run(manual, T0, 20);
        run(automatic, T0, 20);
        manual.operatorSetpoint(1, ESS_302, DeviceKind.ESS, -300_000, HOLD_MS);
        run(manual, t, 5);
        t = run(automatic, t, 5);
        manual.operatorRelease(2, ESS_302, DeviceKind.ESS);
        manual.sent.clear();
        run(manual, t, 1);
        run(automatic, t, 1);
        assertFalse(loop(manual).grid().essManual[COMMUNITY]);
        final Sent back = onlySetpoint(manual.sent, ESS_302);
        assertNotEquals(SetpointReason.OPERATOR, back.reason(), "told again, with the loop's own reason: " + back);
        for (int i = 0; i < SETTINGS.essIds.length; i++)
        {
            assertEquals(loop(automatic).balancer().essSetW(i), loop(manual).balancer().essSetW(i), "ESS " + i + " as if never overridden");
        }
        assertEquals(back.powerW(), loop(automatic).balancer().essSetW(COMMUNITY));
    }

    @Test
    void theHoldEndsOnTheTicksTimeAndTheDeviceIsAutomaticAgain()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 20);
        final long stampNs = t - LoopDriver.TICK_NS; // inputs between Ticks carry the last Tick's time
        d.operatorSetpoint(1, ESS_302, DeviceKind.ESS, -300_000, 2_000);
        t = run(d, t, 19); // up to the stamp + 1.9 s
        assertTrue(loop(d).grid().essManual[COMMUNITY], "still held at " + (t - LoopDriver.TICK_NS - stampNs) / 1e6 + " ms");
        assertEquals(-300_000, loop(d).balancer().essSetW(COMMUNITY));
        d.sent.clear();
        run(d, t, 1); // the stamp + 2.0 s
        assertFalse(loop(d).grid().essManual[COMMUNITY], "expired after holdMs");
        assertNotEquals(SetpointReason.OPERATOR, onlySetpoint(d.sent, ESS_302).reason());
    }

    @Test
    void aChargersCapLimitsItsPowerAndZeroStopsIt()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 2);
        final int charger = SETTINGS.chargerIds[0];
        d.session(charger, 77, ChargerSessionState.CONNECTED, 11_000, t + TimeUnit.HOURS.toNanos(2), 7_000);
        t = run(d, t, 1);
        assertTrue(loop(d).balancer().chargerSetW(0) > 3_000);
        d.sent.clear();
        d.operatorSetpoint(1, charger, DeviceKind.EV_CHARGER, 3_000, HOLD_MS);
        t = run(d, t, 1);
        assertEquals(new Sent(charger, DeviceKind.EV_CHARGER, 3_000, SetpointReason.OPERATOR), onlySetpoint(d.sent, charger));
        d.sent.clear();
        d.operatorSetpoint(2, charger, DeviceKind.EV_CHARGER, 0, HOLD_MS);
        t = run(d, t, 1);
        assertEquals(new Sent(charger, DeviceKind.EV_CHARGER, 0, SetpointReason.OPERATOR), onlySetpoint(d.sent, charger));

        final int v2g = 417;
        d.v2gSession(v2g, 78, 5_000, t + TimeUnit.HOURS.toNanos(8), 7_000, 7_000);
        d.operatorSetpoint(3, v2g, DeviceKind.EV_CHARGER, -5_000, HOLD_MS);
        d.sent.clear();
        run(d, t, 1);
        assertEquals(new Sent(v2g, DeviceKind.EV_CHARGER, -5_000, SetpointReason.OPERATOR), onlySetpoint(d.sent, v2g), "V2G where allowed");
    }

    @Test
    void aValueOutsideTheDevicesRangeAnUnknownDeviceAViewerOrNoHoldIsRejectedNamingIt()
    {
        final LoopDriver d = driver();
        final long t = run(d, T0, 5);
        d.sent.clear();
        d.operatorSetpoint(11, ESS_302, DeviceKind.ESS, 600_000, HOLD_MS);             // 302 charges at 500 kW at most
        d.operatorSetpoint(12, 999, DeviceKind.ESS, 100_000, HOLD_MS);                 // no such ESS
        d.operatorSetpoint(13, SETTINGS.chargerIds[0], DeviceKind.EV_CHARGER, -1_000, HOLD_MS); // 401 has no V2G
        d.operatorSetpoint(14, ESS_302, DeviceKind.ESS, OperatorRole.VIEW, 100_000, HOLD_MS, false);
        d.operatorSetpoint(15, ESS_302, DeviceKind.ESS, 100_000, 0);
        d.operatorSetpoint(16, 201, DeviceKind.PV_INVERTER, -100_000, HOLD_MS);
        final List<Refusal> refused = rejects(d.sent);
        assertEquals(6, refused.size(), refused.toString());
        assertEquals(RejectReason.INVALID_VALUE, refused.get(0).reason());
        assertTrue(refused.get(0).detail().contains("activePowerW 600000") && refused.get(0).detail().contains("ESS 302"), refused.get(0).detail());
        assertEquals(RejectReason.UNKNOWN_ID, refused.get(1).reason());
        assertTrue(refused.get(1).detail().contains("deviceId 999"), refused.get(1).detail());
        assertEquals(RejectReason.INVALID_VALUE, refused.get(2).reason());
        assertTrue(refused.get(2).detail().contains("charger 401") && refused.get(2).detail().contains("no V2G"), refused.get(2).detail());
        assertEquals(RejectReason.NOT_PERMITTED, refused.get(3).reason());
        assertTrue(refused.get(3).detail().contains("role VIEW"), refused.get(3).detail());
        assertEquals(RejectReason.INVALID_VALUE, refused.get(4).reason());
        assertTrue(refused.get(4).detail().contains("holdMs"), refused.get(4).detail());
        assertTrue(refused.get(5).detail().contains("deviceKind"), refused.get(5).detail());
        for (int i = 0; i < SETTINGS.essIds.length; i++)
        {
            assertFalse(loop(d).grid().essManual[i], "nothing taken under manual control");
        }
        assertFalse(loop(d).grid().chargerManual[0]);
        d.sent.clear();
        run(d, t, 1);
        assertTrue(setpoints(d.sent, ESS_302).isEmpty(), "no set-point came of it");
    }

    @Test
    void aLoopRestoredMidOverrideContinuesByteForByteThroughTheHoldsEnd()
    {
        final LoopDriver original = driver();
        long t = run(original, T0, 30);
        original.session(SETTINGS.chargerIds[3], 5, ChargerSessionState.CONNECTED, 20_000, t + TimeUnit.HOURS.toNanos(3), 7_000);
        original.operatorSetpoint(1, ESS_302, DeviceKind.ESS, -250_000, 30_000);
        original.operatorSetpoint(2, SETTINGS.chargerIds[3], DeviceKind.EV_CHARGER, 2_000, 20_000);
        t = run(original, t, 50);
        final StateWriter writer = new StateWriter();
        original.loop.snapshot(writer);
        final EnergyLoop restored = new EnergyLoop(SETTINGS);
        final StateReader reader = new StateReader().wrap(writer.buffer(), 0, writer.length());
        restored.restore(reader);
        assertEquals(0, reader.remaining(), "restore reads the whole snapshot");
        assertTrue(restored.grid().essManual[COMMUNITY] && restored.grid().chargerManual[3], "the overrides are part of the state");
        final LoopDriver copy = new LoopDriver(restored).resumeAt(t - LoopDriver.TICK_NS);
        original.sent.clear();
        run(original, t, 600, 7_000_000, 500, 500, 59_900); // past both holds' ends, through a small dip
        run(copy, t, 600, 7_000_000, 500, 500, 59_900);
        assertFalse(restored.grid().essManual[COMMUNITY], "expired in the copy too");
        LoopDriver.assertSameFramesAndState(original, copy, restored);
    }
}
