package kr.sejong.city.adapters.gateway;

import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measurement reader and its store without Aeron: frames handed to the reader as its subscription would.
 * What it keeps stays bounded by the configuration whatever arrives, decoding allocates nothing, a controller's
 * own topology decides which approach a lane belongs to, and the measured PCC history keeps ten minutes.
 */
class GatewayMeasurementReaderTest
{
    private static final CityConfig CITY = ConfigLoader.loadDefault().config();

    private final FieldMeasurements field = new FieldMeasurements(CITY);
    private final MeasurementReader reader = new MeasurementReader(null, field, CITY.node().maxFrameLengthBytes());
    private final MeasurementFrames frames = new MeasurementFrames();

    private void feed(final UnsafeBuffer buffer, final int length)
    {
        reader.onFragment(buffer, 0, length, null);
    }

    @Test
    void whatArrivesForIdsTheConfigurationDoesNotKnowIsCountedAndNotKept()
    {
        reader.nowMs(1_000);
        for (int id = 10_000; id < 110_000; id++)
        {
            feed(frames.buffer, frames.grid(id, DeviceKind.PV_INVERTER, -1_000, -1, 1_000));
            feed(frames.buffer, frames.grid(id, DeviceKind.EV_CHARGER, 1_000, -1, 1_000));
            feed(frames.buffer, frames.lanes(id, new int[] {1}, new int[] {1}));
        }
        assertEquals(300_000L, field.counters().get("unknownIds"));
        final Map<String, Object> energy = field.energy();
        assertEquals(List.of(), energy.get("pv"));
        assertEquals(List.of(), energy.get("chargers"));
        assertEquals(List.of(), field.queues());
    }

    @Test
    void readingMeasurementsAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final UnsafeBuffer pv = copy(frames.grid(201, DeviceKind.PV_INVERTER, -350_000, -1, 1_000));
        final UnsafeBuffer ess = copy(frames.grid(301, DeviceKind.ESS, 150_000, 623, 1_000));
        final UnsafeBuffer lanes = copy(frames.lanes(101, new int[] {5, 6, 4, 1, 7, 2}, new int[] {3, 4, 2, 0, 5, 1}));
        final UnsafeBuffer session = copy(frames.session(427, 77, kr.sejong.city.codecs.ChargerSessionState.CHARGING, 420, 31_500, 9_000_000));
        final int pvLength = frames.grid(201, DeviceKind.PV_INVERTER, -350_000, -1, 1_000);
        final int essLength = frames.grid(301, DeviceKind.ESS, 150_000, 623, 1_000);
        final int lanesLength = frames.lanes(101, new int[] {5, 6, 4, 1, 7, 2}, new int[] {3, 4, 2, 0, 5, 1});
        final int sessionLength = frames.session(427, 77, kr.sejong.city.codecs.ChargerSessionState.CHARGING, 420, 31_500, 9_000_000);
        final Runnable round = () ->
        {
            for (int i = 0; i < 50_000; i++)
            {
                reader.onFragment(pv, 0, pvLength, null);
                reader.onFragment(ess, 0, essLength, null);
                reader.onFragment(lanes, 0, lanesLength, null);
                reader.onFragment(session, 0, sessionLength, null);
            }
        };
        round.run(); // warm up
        round.run();
        final long before = threads.getCurrentThreadAllocatedBytes();
        round.run();
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4096, "200,000 frames allocated " + allocated + " bytes");
        assertEquals(15, field.queues().get(0).halting());
    }

    @Test
    void aControllersTopologyDecidesTheApproachOfEachLane()
    {
        reader.nowMs(1_000);
        // the configuration's layout of 101: from N 1 lane, E 2, S 1, W 2
        feed(frames.buffer, frames.lanes(101, new int[] {1, 2, 3, 4, 5, 6}, new int[] {1, 2, 3, 4, 5, 6}));
        assertEquals("N 1, E 5, S 4, W 11", approaches(field.queues().get(0)));

        // the field simulator's topology is that layout: nothing changes
        feed(frames.buffer, frames.topology(101, new int[] {0, 1, 1, 2, 3, 3}));
        assertEquals("N 1, E 5, S 4, W 11", approaches(field.queues().get(0)));

        // a topology with the configured lane counts per approach in another lane order keeps the compass points
        feed(frames.buffer, frames.topology(101, new int[] {1, 1, 0, 2, 3, 3}));
        assertEquals(List.of(), field.queues(), "a new layout: the old observation does not fit it");
        feed(frames.buffer, frames.lanes(101, new int[] {1, 2, 3, 4, 5, 6}, new int[] {1, 2, 3, 4, 5, 6}));
        assertEquals("N 3, E 3, S 4, W 11", approaches(field.queues().get(0)));

        // another layout (a twin's network, say): lanes by that topology's approaches, named by index
        feed(frames.buffer, frames.topology(101, new int[] {0, 0, 1, 1, 1}));
        feed(frames.buffer, frames.lanes(101, new int[] {1, 2, 3, 4, 5}, new int[] {1, 2, 3, 4, 5}));
        assertEquals("#1 3, #2 12", approaches(field.queues().get(0)));
        // an observation with the configuration's 6 lanes no longer fits
        feed(frames.buffer, frames.lanes(101, new int[] {1, 2, 3, 4, 5, 6}, new int[] {1, 2, 3, 4, 5, 6}));
        assertEquals("#1 3, #2 12", approaches(field.queues().get(0)));
        assertEquals(1L, field.counters().get("invalidValues"));
    }

    @Test
    void haltingIsCappedAtTheVehiclesOnTheLane()
    {
        feed(frames.buffer, frames.lanes(101, new int[] {1, 0, 0, 0, 0, 0}, new int[] {9, 9, 0, 0, 0, 0}));
        assertEquals("N 1, E 0, S 0, W 0", approaches(field.queues().get(0)), "halting is capped at the vehicles there");
    }

    @Test
    void theMeasuredPccHistoryKeepsOneSampleASecondForTenMinutesAndStartsOverWhenTimeGoesBack()
    {
        for (int s = 0; s < 2_000; s++)
        {
            feed(frames.buffer, frames.grid(1, DeviceKind.PCC_METER, s * 1_000, -1, 1_000_000L + s * 1_000L));
            feed(frames.buffer, frames.grid(1, DeviceKind.PCC_METER, s * 1_000 + 500, -1, 1_000_000L + s * 1_000L + 500));
        }
        List<FieldMeasurements.PccSample> history = history();
        assertEquals(FieldMeasurements.PCC_HISTORY, history.size());
        assertEquals(new FieldMeasurements.PccSample(1_000_000L + 1_999_500L, 1_999_500), history.get(history.size() - 1),
            "the latest sample of each second");
        assertEquals(1_000_000L + 1_400_500L, history.get(0).timeMs());

        feed(frames.buffer, frames.grid(1, DeviceKind.PCC_METER, 42, -1, 5_000));
        assertEquals(List.of(new FieldMeasurements.PccSample(5_000, 42)), history());
    }

    @Test
    void aFrameThatFailsToDecodeChangesNothing()
    {
        feed(frames.buffer, frames.grid(301, DeviceKind.ESS, 150_000, 623, 1_000));
        final int length = frames.grid(301, DeviceKind.ESS, -1, 100, 2_000);
        feed(frames.buffer, length - 1);
        final int lanes = frames.lanes(101, new int[] {1, 2, 3, 4, 5, 6}, new int[] {1, 2, 3, 4, 5, 6});
        frames.buffer.putShort(8 + 4 + 2, (short)7); // numInGroup 7: the group runs past the frame
        feed(frames.buffer, lanes);
        feed(frames.buffer, 5); // shorter than a header: not a measurement, not counted
        assertEquals(2L, field.counters().get("undecodable"));
        assertEquals(3L, field.counters().get("frames"));
        @SuppressWarnings("unchecked") final List<FieldMeasurements.EssView> ess = (List<FieldMeasurements.EssView>)field.energy().get("ess");
        assertEquals(623, ess.get(0).socPermille());
        assertEquals(150_000, ess.get(0).powerW());
        assertEquals(List.of(), field.queues());
    }

    @Test
    void anImpossibleStateOfChargeIsShownAsNoValue()
    {
        feed(frames.buffer, frames.grid(301, DeviceKind.ESS, 150_000, 1500, 1_000));
        @SuppressWarnings("unchecked") final List<FieldMeasurements.EssView> ess = (List<FieldMeasurements.EssView>)field.energy().get("ess");
        assertNull(ess.get(0).socPermille());
        assertEquals(150_000, ess.get(0).powerW());
        assertEquals(1L, field.counters().get("invalidValues"));
    }

    @SuppressWarnings("unchecked")
    private List<FieldMeasurements.PccSample> history()
    {
        return (List<FieldMeasurements.PccSample>)field.energy().get("pccHistory");
    }

    private UnsafeBuffer copy(final int length)
    {
        final byte[] bytes = new byte[length];
        frames.buffer.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }

    private static String approaches(final FieldMeasurements.QueueView queue)
    {
        final StringBuilder out = new StringBuilder();
        for (final FieldMeasurements.ApproachQueue a : queue.approaches())
        {
            out.append(out.length() == 0 ? "" : ", ").append(a.from()).append(' ').append(a.halting());
        }
        return out.toString();
    }
}
