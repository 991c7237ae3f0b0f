package kr.sejong.city.bench.energy;

import kr.sejong.city.bench.BenchmarkDefaults;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.FrequencyMeasurementEncoder;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loops.energy.EnergyLoop;
import kr.sejong.city.core.loops.energy.EnergySettings;
import kr.sejong.city.core.runtime.OutputBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The energy loop's decision path on the default city, driven as the node drives it (stamped
 * {@link Input}s, decisions into the node's {@link OutputBuffer}), 100 ms per step as in
 * {@code bin/city simulate}:
 * <ul>
 *   <li>{@code step}: one step's inputs, the PCC meter, the frequency and both ESS, then the Tick: checks,
 *   integration, the balance of 2 ESS, 30 chargers, 8 PV arrays and 5 loads, the status frame. Every tenth
 *   step also carries the once-a-second measurements (8 PV, the load, 30 chargers), so the figure is the
 *   mean over a second's mix; a slot boundary (the plan) every 9,000 steps.</li>
 * </ul>
 * Expected allocation: none ({@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnergyLoopBenchmark extends BenchmarkDefaults
{
    /** The loop, its frames and a logical clock. */
    @State(Scope.Thread)
    public static class Grid
    {
        static final long STEP_NS = 100_000_000L;
        static final long EPOCH_NS = 1_781_000_000_000_000_000L;
        static final int[] PV_IDS = { 201, 202, 203, 204, 211, 212, 221, 222 };

        final CityConfig city = ConfigLoader.loadDefault().config();
        final EnergySettings settings = EnergySettings.from(city);
        final EnergyLoop loop = new EnergyLoop(settings);
        final OutputBuffer output = new OutputBuffer();
        final Input input = new Input();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        final GridMeasurementEncoder grid = new GridMeasurementEncoder();
        final FrequencyMeasurementEncoder frequency = new FrequencyMeasurementEncoder();
        final TickEncoder tick = new TickEncoder();
        long sequence;
        long nowNs = EPOCH_NS;
        long stepNumber;

        @Setup(Level.Trial)
        public void setUp()
        {
            for (int i = 0; i < 36_000; i++)
            {
                step(); // an hour: the first plan, settlements, the JIT's first view of every path
            }
        }

        int step()
        {
            final long t = nowNs;
            final int pccW = 6_000_000 + (int)(stepNumber % 200) * 1_000;
            measure(1, DeviceKind.PCC_METER, pccW, -1, t);
            frequency.wrapAndApplyHeader(frame, 0, headerEncoder).meterId(1).frequencyMilliHz(60_000 - (int)(stepNumber % 60)).measuredAtNs(t);
            deliver(MessageHeaderEncoder.ENCODED_LENGTH + frequency.encodedLength(), t);
            measure(301, DeviceKind.ESS, 0, 500, t);
            measure(302, DeviceKind.ESS, 0, 500, t);
            if (stepNumber % 10 == 0)
            {
                measure(1, DeviceKind.LOAD, pccW, -1, t);
                for (final int id : PV_IDS)
                {
                    measure(id, DeviceKind.PV_INVERTER, -100_000, -1, t);
                }
                for (int id = 401; id <= 430; id++)
                {
                    measure(id, DeviceKind.EV_CHARGER, 0, -1, t);
                }
            }
            tick.wrapAndApplyHeader(frame, 0, headerEncoder).timeNs(t).periodNs(STEP_NS).source(TickSource.SIMULATION).tickNumber(stepNumber);
            final int count = deliver(MessageHeaderEncoder.ENCODED_LENGTH + tick.encodedLength(), t);
            nowNs += STEP_NS;
            stepNumber++;
            return count;
        }

        private void measure(final int deviceId, final DeviceKind kind, final int powerW, final int socPermille, final long t)
        {
            grid.wrapAndApplyHeader(frame, 0, headerEncoder).deviceId(deviceId).deviceKind(kind).activePowerW(powerW).reactivePowerVar(0)
                .socPermille(socPermille < 0 ? GridMeasurementEncoder.socPermilleNullValue() : socPermille).measuredAtNs(t);
            deliver(MessageHeaderEncoder.ENCODED_LENGTH + grid.encodedLength(), t);
        }

        private int deliver(final int length, final long stampNs)
        {
            final DirectBuffer buffer = frame;
            header.wrap(buffer, 0);
            input.wrap(sequence++, stampNs, header.templateId(), header.version(), header.blockLength(), buffer, 0, length);
            output.reset();
            loop.onInput(input, output);
            return output.count();
        }
    }

    @Benchmark
    public int step(final Grid grid)
    {
        return grid.step();
    }
}
