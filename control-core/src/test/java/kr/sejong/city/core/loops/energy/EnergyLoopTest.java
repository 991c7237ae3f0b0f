package kr.sejong.city.core.loops.energy;

import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.DemandResponseState;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.FrequencyMeasurementEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.SetpointDecoder;
import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.codecs.SettlementDecoder;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.core.loops.Loops;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The energy loop frame by frame: bad data, recovery, settlement, snapshots, allocation. */
class EnergyLoopTest
{
    private static final CityConfig CITY = ConfigLoader.loadDefault().config();
    private static final EnergySettings SETTINGS = EnergySettings.from(CITY);
    /** 10:00 Seoul, a mid-price hour. */
    private static final long T0 = LocalDateTime.of(2026, 6, 22, 10, 0).atZone(ZoneId.of("Asia/Seoul")).toEpochSecond() * 1_000_000_000L;

    private static LoopDriver driver()
    {
        return new LoopDriver(new EnergyLoop(SETTINGS));
    }

    /** Calm measurements and a Tick every 100 ms for {@code ticks} Ticks from {@code fromNs}; returns the next time. */
    private static long run(final LoopDriver d, final long fromNs, final int ticks)
    {
        long t = fromNs;
        for (int i = 0; i < ticks; i++)
        {
            d.calmMeasurements(SETTINGS, t, 6_000_000);
            d.tick(t);
            t += LoopDriver.TICK_NS;
        }
        return t;
    }

    @Test
    void theCityConfigurationRegistersTheEnergyLoop()
    {
        final List<ControlLoop> loops = Loops.create(CITY);
        assertTrue(loops.stream().anyMatch(l -> l.name().equals(EnergyLoop.NAME)));
    }

    @Test
    void everyTickEndsWithABalancingStatus()
    {
        final LoopDriver d = driver();
        run(d, T0, 10);
        assertEquals(kr.sejong.city.codecs.BalancingStatusDecoder.TEMPLATE_ID, LoopDriver.templateId(d.sent.get(d.sent.size() - 1)));
        assertEquals(T0 + 9 * LoopDriver.TICK_NS, d.status().timeNs());
        assertEquals(BooleanType.FALSE, d.status().fallback());
    }

    @Test
    void aStalePccMeterGivesTheSafeFallbackCountedAndNormalControlWhenItReturns()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 10);
        final EnergyLoop loop = (EnergyLoop)d.loop;
        d.sent.clear();
        // 3 s without the PCC meter (everything else keeps coming)
        for (int i = 0; i < 30; i++)
        {
            d.calmMeasurements(SETTINGS, t, 6_000_000, false);
            d.tick(t);
            t += LoopDriver.TICK_NS;
        }
        assertEquals(BooleanType.TRUE, d.status().fallback());
        assertEquals(SetpointReason.FALLBACK_STALE, d.status().binding());
        assertEquals(1, d.status().staleMeasurements());
        assertEquals(1, loop.health().staleEpisodes());
        assertEquals(DeviceState.OFFLINE, deviceStatuses(d.sent).get(0));
        assertEquals(0, d.status().essPowerW(), "ESS to zero");
        // back
        d.sent.clear();
        t = run(d, t, 1);
        assertEquals(BooleanType.FALSE, d.status().fallback());
        assertEquals(DeviceState.ONLINE, deviceStatuses(d.sent).get(0), "reported good again");
    }

    @Test
    void nullAndOutOfRangeMeasurementsAreRefusedCountedAndFallBack()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 5);
        d.grid(SETTINGS.pccId, DeviceKind.PCC_METER, GridMeasurementEncoder.activePowerWNullValue(), -1, t); // the wire's NaN
        d.tick(t);
        assertEquals(BooleanType.TRUE, d.status().fallback());
        assertEquals(SetpointReason.FALLBACK_INVALID, d.status().binding());
        assertEquals(1, d.status().invalidMeasurements());
        t += LoopDriver.TICK_NS;
        d.grid(SETTINGS.pccId, DeviceKind.PCC_METER, 400_000_000, -1, t); // 400 MW through a 12 MW connection
        d.frequency(SETTINGS.pccId, 0, t);                                // a dead frequency meter
        d.frequency(SETTINGS.pccId, FrequencyMeasurementEncoder.frequencyMilliHzNullValue(), t);
        d.grid(SETTINGS.essIds[0], DeviceKind.ESS, 0, 1_500, t);          // 150 % SoC
        d.grid(SETTINGS.essIds[1], DeviceKind.ESS, 0, 500, t + TimeUnit.SECONDS.toNanos(30)); // from the future
        d.tick(t);
        assertEquals(6, d.status().invalidMeasurements());
        assertEquals(BooleanType.TRUE, d.status().fallback());
        t += LoopDriver.TICK_NS;
        run(d, t, 1);
        assertEquals(BooleanType.FALSE, d.status().fallback(), "good data: normal control");
    }

    @Test
    void aDemandResponseEventLowersTheImportLimitToItsBaselineMinusTheReductionForItsWindow()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 16 * 600); // 16 minutes at 6 MW: the baseline
        final long startNs = t + TimeUnit.MINUTES.toNanos(1);
        final long endNs = startNs + TimeUnit.MINUTES.toNanos(5);
        d.demandResponse(42, DemandResponseState.ANNOUNCED, 1_500_000, startNs, endNs);
        t = run(d, t, 1);
        assertEquals(0, d.status().demandResponseW(), "announced, not yet active");
        t = run(d, t, 600);
        assertEquals(1_500_000, d.status().demandResponseW());
        assertEquals(4_500_000, d.status().importLimitW(), "6 MW baseline - 1.5 MW");
        assertEquals(SetpointReason.DEMAND_RESPONSE, d.status().binding());
        assertEquals(4_500_000, d.status().plannedPccW(), "the ESS delivers it");
        t = run(d, t, 5 * 600);
        assertEquals(0, d.status().demandResponseW(), "over after its window");
        d.demandResponse(43, DemandResponseState.CANCELLED, 1_000_000, t - LoopDriver.TICK_NS, t + TimeUnit.HOURS.toNanos(1));
        run(d, t, 10);
        assertEquals(0, d.status().demandResponseW(), "a cancelled event asks nothing");
    }

    @Test
    void aPriceSignalOverridesTheTariffForItsWindow()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 2);
        final EnergyLoop loop = (EnergyLoop)d.loop;
        assertEquals(150_000, loop.grid().importPriceKrwPerMwh, "the configured tariff at 10:00, KRW per MWh");
        d.price(t, t + TimeUnit.MINUTES.toNanos(30), 400_000, 90_000);
        t = run(d, t, 1);
        assertEquals(400_000, loop.grid().importPriceKrwPerMwh);
        run(d, t + TimeUnit.MINUTES.toNanos(30), 1);
        assertEquals(150_000, loop.grid().importPriceKrwPerMwh, "back to the tariff after it");
    }

    @Test
    void aStaleEssUnitIsSetToZeroWhileTheOtherKeepsWorking()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 5);
        for (int i = 0; i < 30; i++)
        {
            // ESS 301 silent; the PCC shows 11.5 MW: above the peak target, the other unit must discharge
            d.grid(SETTINGS.pccId, DeviceKind.PCC_METER, 11_500_000, -1, t);
            d.grid(SETTINGS.pccId, DeviceKind.LOAD, 11_500_000, -1, t);
            d.frequency(SETTINGS.pccId, 60_000, t);
            d.grid(SETTINGS.essIds[1], DeviceKind.ESS, 0, 500, t);
            d.tick(t);
            t += LoopDriver.TICK_NS;
        }
        final EnergyLoop loop = (EnergyLoop)d.loop;
        assertEquals(0, loop.balancer().essSetW(0), "the stale unit");
        assertEquals(-500_000, loop.balancer().essSetW(1), "the other at its rating");
        assertEquals(BooleanType.FALSE, d.status().fallback(), "no whole-system fallback for one unit");
    }

    @Test
    void anEssItsAdapterReportsOfflineOrInAlarmGetsZeroAtOnceWhateverItMeasuresUntilOnlineAgain()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 5);
        final EnergyLoop loop = (EnergyLoop)d.loop;
        for (final DeviceState why : new DeviceState[]{ DeviceState.OFFLINE, DeviceState.DEGRADED })
        {
            d.sent.clear();
            d.deviceStatus(SETTINGS.essIds[0], DeviceKind.ESS, why);
            for (int i = 0; i < 10; i++)
            {
                // the PCC at 11.5 MW asks both units to discharge; unit 0's measurements keep coming (stale cache, alarm)
                d.grid(SETTINGS.pccId, DeviceKind.PCC_METER, 11_500_000, -1, t);
                d.grid(SETTINGS.pccId, DeviceKind.LOAD, 11_500_000, -1, t);
                d.frequency(SETTINGS.pccId, 60_000, t);
                d.grid(SETTINGS.essIds[0], DeviceKind.ESS, 0, 500, t);
                d.grid(SETTINGS.essIds[1], DeviceKind.ESS, 0, 500, t);
                d.tick(t);
                t += LoopDriver.TICK_NS;
                assertEquals(0, loop.balancer().essSetW(0), why + ": the held unit, tick " + i);
                assertEquals(-500_000, loop.balancer().essSetW(1), why + ": the other at its rating, tick " + i);
            }
            assertEquals(List.of(why), deviceStatuses(d.sent), "reported once, as " + why);
            assertEquals(BooleanType.FALSE, d.status().fallback(), "no whole-system fallback for one unit");

            d.sent.clear();
            d.deviceStatus(SETTINGS.essIds[0], DeviceKind.ESS, DeviceState.ONLINE);
            t = run(d, t, 1);
            assertTrue(loop.health().ok(loop.health().channels() - SETTINGS.chargerIds.length - SETTINGS.pvIds.length - SETTINGS.essIds.length),
                "usable again from its next good measurement");
            assertEquals(List.of(DeviceState.ONLINE), deviceStatuses(d.sent));
        }
        assertEquals(2, loop.health().heldEpisodes());
    }

    @Test
    void anEssBackOnlineIsToldItsSetPointAgainEvenWhenItDidNotMove()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 50);
        final EnergyLoop loop = (EnergyLoop)d.loop;
        final long calmW = loop.balancer().essSetW(0);
        d.sent.clear();
        t = run(d, t, 10);
        assertEquals(0, setpointsFor(d.sent, SETTINGS.essIds[0]), "steady: nothing new to say (set-point " + calmW + " W)");

        d.sent.clear();
        d.deviceStatus(SETTINGS.essIds[0], DeviceKind.ESS, DeviceState.OFFLINE);
        run(d, t, 3);
        final long heldW = loop.balancer().essSetW(0);
        assertEquals(0, heldW, "held out: 0 W");
        d.sent.clear();
        d.deviceStatus(SETTINGS.essIds[0], DeviceKind.ESS, DeviceState.ONLINE);
        run(d, t + 3 * LoopDriver.TICK_NS, 1);
        assertEquals(1, setpointsFor(d.sent, SETTINGS.essIds[0]),
            "back: its set-point again (" + loop.balancer().essSetW(0) + " W), whatever was sent while it was away");
    }

    private static int setpointsFor(final List<byte[]> frames, final int deviceId)
    {
        int count = 0;
        final kr.sejong.city.codecs.SetpointDecoder decoder = new kr.sejong.city.codecs.SetpointDecoder();
        for (final byte[] frame : frames)
        {
            if (LoopDriver.templateId(frame) == kr.sejong.city.codecs.SetpointDecoder.TEMPLATE_ID)
            {
                decoder.wrap(new UnsafeBuffer(frame), MessageHeaderDecoder.ENCODED_LENGTH, kr.sejong.city.codecs.SetpointDecoder.BLOCK_LENGTH,
                    kr.sejong.city.codecs.SetpointDecoder.SCHEMA_VERSION);
                if (decoder.deviceId() == deviceId && decoder.deviceKind() == DeviceKind.ESS)
                {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void aPccMeterItsAdapterReportsOfflineGivesTheStaleFallbackAtOnce()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 5);
        d.deviceStatus(SETTINGS.pccId + 1000, DeviceKind.PCC_METER, DeviceState.OFFLINE); // not this grid's meter
        d.tick(t);
        assertEquals(BooleanType.FALSE, d.status().fallback());
        assertEquals(1, ((EnergyLoop)d.loop).unknownDevices());

        d.deviceStatus(SETTINGS.pccId, DeviceKind.PCC_METER, DeviceState.OFFLINE);
        t = run(d, t + LoopDriver.TICK_NS, 1); // fresh values in the same tick change nothing
        assertEquals(BooleanType.TRUE, d.status().fallback());
        assertEquals(SetpointReason.FALLBACK_STALE, d.status().binding());
        assertEquals(0, d.status().essPowerW(), "ESS to zero");
        d.deviceStatus(SETTINGS.pccId, DeviceKind.PCC_METER, DeviceState.ONLINE);
        run(d, t, 1);
        assertEquals(BooleanType.FALSE, d.status().fallback(), "online and a good measurement: normal control");
    }

    @Test
    void settlementEveryQuarterHourWithinTheNeighbourCap()
    {
        final LoopDriver d = driver();
        long t = T0;
        // Complex A's roof in full sun, the others shaded; 1.2 MW of load: A has a surplus, its neighbours lack more than half of it
        for (int i = 0; i < 16 * 60 * 10; i++)
        {
            d.grid(SETTINGS.pccId, DeviceKind.PCC_METER, 500_000, -1, t);
            d.grid(SETTINGS.pccId, DeviceKind.LOAD, 1_200_000, -1, t);
            d.frequency(SETTINGS.pccId, 60_000, t);
            for (int a = 0; a < SETTINGS.pvIds.length; a++)
            {
                d.grid(SETTINGS.pvIds[a], DeviceKind.PV_INVERTER, a == 0 ? (int)-SETTINGS.pvPeakW[a] : 0, -1, t);
            }
            for (final int id : SETTINGS.essIds)
            {
                d.grid(id, DeviceKind.ESS, 0, 500, t);
            }
            d.tick(t);
            t += LoopDriver.TICK_NS;
        }
        final List<byte[]> settlements = d.sent.stream().filter(f -> LoopDriver.templateId(f) == SettlementDecoder.TEMPLATE_ID).toList();
        assertEquals(SETTINGS.prosumerIds.length, settlements.size(), "one period closed in 16 minutes from 10:00");
        final SettlementDecoder s = new SettlementDecoder();
        long soldWh = 0;
        for (final byte[] frame : settlements)
        {
            s.wrap(new UnsafeBuffer(frame), MessageHeaderDecoder.ENCODED_LENGTH, SettlementDecoder.BLOCK_LENGTH, SettlementDecoder.SCHEMA_VERSION);
            assertEquals(TimeUnit.MINUTES.toNanos(15), s.periodEndNs() - s.periodStartNs());
            final long surplusWh = s.producedWh() - s.selfConsumedWh();
            assertEquals(surplusWh / 2.0, s.soldToNeighboursWh(), 2, "half the surplus, the cap: " + s.soldToNeighboursWh() + " of " + surplusWh);
            assertEquals(surplusWh, s.soldToNeighboursWh() + s.exportedWh(), 2, "the surplus is sold or exported");
            soldWh += s.soldToNeighboursWh();
        }
        assertTrue(soldWh > 0, "someone had a surplus");
    }

    @Test
    void anEvGetsASetPointOnArrivalAndItsEnergyByTheDeadline()
    {
        final LoopDriver d = driver();
        long t = run(d, T0, 2);
        final int charger = SETTINGS.chargerIds[0];
        final long departureNs = t + TimeUnit.HOURS.toNanos(2);
        d.session(charger, 77, ChargerSessionState.CONNECTED, 11_000, departureNs, 7_000);
        d.sent.clear();
        t = run(d, t, 1);
        final SetpointDecoder setpoint = new SetpointDecoder();
        final byte[] frame = d.sent.stream().filter(f -> LoopDriver.templateId(f) == SetpointDecoder.TEMPLATE_ID).findFirst().orElseThrow();
        setpoint.wrap(new UnsafeBuffer(frame), MessageHeaderDecoder.ENCODED_LENGTH, SetpointDecoder.BLOCK_LENGTH, SetpointDecoder.SCHEMA_VERSION);
        assertEquals(charger, setpoint.deviceId());
        assertEquals(DeviceKind.EV_CHARGER, setpoint.deviceKind());
        // 11 kWh in 110 minutes: 6 kW, not the full 7 kW, outside the cheap slots
        assertEquals((long)Math.ceil(11_000 * 60.0 / 110), setpoint.activePowerW(), 1);
        // the loop integrates its own set-point: by departure it has planned the whole need
        t = run(d, t, (int)(TimeUnit.MINUTES.toNanos(110) / LoopDriver.TICK_NS));
        assertTrue(((EnergyLoop)d.loop).grid().remainingWh[0] < 1.0, "remaining " + ((EnergyLoop)d.loop).grid().remainingWh[0]);
    }

    @Test
    void aRestoredLoopContinuesExactlyAsTheOriginal()
    {
        final LoopDriver original = driver();
        long t = run(original, T0, 50);
        original.session(SETTINGS.chargerIds[3], 5, ChargerSessionState.CONNECTED, 20_000, t + TimeUnit.HOURS.toNanos(3), 7_000);
        t = run(original, t, 50);
        final StateWriter writer = new StateWriter();
        original.loop.snapshot(writer);
        final EnergyLoop restored = new EnergyLoop(SETTINGS);
        final StateReader reader = new StateReader().wrap(writer.buffer(), 0, writer.length());
        restored.restore(reader);
        assertEquals(0, reader.remaining(), "restore reads the whole snapshot");
        final LoopDriver copy = new LoopDriver(restored).resumeAt(t - LoopDriver.TICK_NS);
        original.sent.clear();
        run(original, t, 20_000); // past a slot and a settlement boundary
        run(copy, t, 20_000);
        LoopDriver.assertSameFramesAndState(original, copy, restored);
    }

    @Test
    void theSteadyStateAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final LoopDriver d = driver();
        d.keep = false;
        final long warm = run(d, T0, 20_000); // JIT, and the loop's first plan and settlement
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        run(d, warm, 20_000);                 // 33 simulated minutes: slot and settlement boundaries included
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(0, allocated, "bytes allocated over 20,000 Ticks and their measurements");
        assertFalse(d.framesSent == 0);
    }

    private static List<DeviceState> deviceStatuses(final List<byte[]> frames)
    {
        final List<DeviceState> states = new ArrayList<>();
        final DeviceStatusDecoder decoder = new DeviceStatusDecoder();
        for (final byte[] frame : frames)
        {
            if (LoopDriver.templateId(frame) == DeviceStatusDecoder.TEMPLATE_ID)
            {
                decoder.wrap(new UnsafeBuffer(frame), MessageHeaderDecoder.ENCODED_LENGTH, DeviceStatusDecoder.BLOCK_LENGTH, DeviceStatusDecoder.SCHEMA_VERSION);
                states.add(decoder.state());
            }
        }
        return states;
    }
}
