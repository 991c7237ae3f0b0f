package kr.sejong.city.bench.mobility;

import kr.sejong.city.adapters.mobility.RideDemand;
import kr.sejong.city.adapters.mobility.ShuttleRun;
import kr.sejong.city.adapters.mobility.ShuttleScenario;
import kr.sejong.city.adapters.mobility.SimulatedFleet;
import kr.sejong.city.bench.BenchmarkDefaults;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.RideRequestEncoder;
import kr.sejong.city.codecs.ShuttlePlanDecoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.core.loops.mobility.DispatchLoop;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;
import kr.sejong.city.core.runtime.OutputBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The dispatch loop's decision path on the state of a busy hour: the scale scenarios' fleets
 * ({@code config/scenarios/shuttle-scale-50.yaml}: 50 shuttles and 2,000 requests an hour;
 * {@code shuttle-scale-500.yaml}: 500 and 20,000), driven in this process by the simulated fleet
 * (the one {@code bin/city simulate} uses) for the scenario's first {@value #WARM_MINUTES} minutes, so
 * the plans are as full as the scenario makes them. Then the loop's state is kept, and every
 * invocation starts from it again (restored outside the timing):
 * <ul>
 *   <li>{@code request}: the next of the scenario's following requests: the search over the fleet, the
 *   plan changed, the answer and the plan encoded.</li>
 *   <li>{@code tick}: the Tick after that moment: the improvement step (up to eight rides re-inserted where
 *   they cost least in the whole fleet), the ruin-and-recreate search, charging and rebalancing checks.</li>
 * </ul>
 * Run from the repository's root (the scenario files are read from {@code config/scenarios}; a module's directory
 * works too).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DispatchLoopBenchmark extends BenchmarkDefaults
{
    static final int WARM_MINUTES = 25;
    static final long S = 1_000_000_000L;

    @State(Scope.Thread)
    public static class BusyHour
    {
        @Param({ "shuttle-scale-50", "shuttle-scale-500" })
        public String scenario;

        DispatchLoop loop;
        final OutputBuffer output = new OutputBuffer();
        final Input input = new Input();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final RideRequestEncoder request = new RideRequestEncoder();
        final TickEncoder tick = new TickEncoder();
        final ShuttlePlanDecoder planDecoder = new ShuttlePlanDecoder();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer tickFrame = new UnsafeBuffer(new byte[256]);
        final StateReader reader = new StateReader();
        UnsafeBuffer state;
        /** The requests after the warm state, encoded; the benchmark takes them in turn. */
        final List<byte[]> nextRequests = new ArrayList<>();
        int next;
        long sequence;
        long nowNs;
        int tickLength;

        @Setup(Level.Trial)
        public void warm()
        {
            final Path file = scenarioFile(scenario + ".yaml");
            final ShuttleScenario shuttles;
            try
            {
                shuttles = ShuttleScenario.parse(file.toString(), Files.readAllBytes(file));
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("run the benchmark from the repository's root: " + file + " not readable", e);
            }
            final CityConfig city = shuttles.applyFleet(ConfigLoader.loadDefault()).config();
            loop = new DispatchLoop(city);
            final ShuttleNetwork network = ShuttleNetwork.from(city);
            final SimulatedFleet fleet = new SimulatedFleet(city, network, shuttles.seed(), shuttles.initialSocPercent(), shuttles.travelTimeNoise());
            final List<RideDemand.Ride> rides = new RideDemand(city, shuttles).rides();
            final long startNs = shuttles.startNs(ZoneId.of(city.city().timeZone()));
            final List<byte[]> reported = new ArrayList<>(); // the fleet's states, fed after it has moved (as the runner does)
            final SimulatedFleet.StateSink states = (timeNs, buffer, offset, length) -> reported.add(copy(buffer, offset, length));
            int nextRide = 0;
            for (long k = 0; k <= WARM_MINUTES * 60L; k++)
            {
                nowNs = startNs + k * S;
                if (k == 1)
                {
                    fleet.start(startNs, states);
                }
                if (k >= 1)
                {
                    fleet.advanceTo(nowNs, states);
                }
                final List<byte[]> moved = new ArrayList<>(reported);
                reported.clear();
                for (final byte[] state : moved)
                {
                    feed(new UnsafeBuffer(state), 0, state.length, fleet);
                }
                while (nextRide < rides.size() && rides.get(nextRide).requestNs() < nowNs)
                {
                    final RideDemand.Ride r = rides.get(nextRide++);
                    fleet.rider(r.requestId(), r.earliestPickupNs(), r.partySize(), r.wheelchairs(), RideDemand.Ride.NOT_CANCELLED);
                    final int length = encode(r);
                    feed(frame, 0, length, fleet);
                }
                feed(tickFrame, 0, encodeTick(nowNs), fleet);
            }
            while (nextRide < rides.size() && nextRequests.size() < 512)
            {
                final int length = encode(rides.get(nextRide++));
                final byte[] copy = new byte[length];
                frame.getBytes(0, copy);
                nextRequests.add(copy);
            }
            final StateWriter writer = new StateWriter();
            loop.snapshot(writer);
            final byte[] bytes = new byte[writer.length()];
            writer.buffer().getBytes(0, bytes);
            state = new UnsafeBuffer(bytes);
            nowNs += S / 2; // the requests and the Tick measured come half a second after the warm state
            tickLength = encodeTick(nowNs + S / 2);
        }

        /** config/scenarios/{@code name} under the repository's root: the working directory, or its parent (a module's). */
        static Path scenarioFile(final String name)
        {
            final Path here = Path.of("config/scenarios", name);
            final Path up = Path.of("..", "config/scenarios", name);
            return Files.isRegularFile(here) || !Files.isRegularFile(up) ? here : up;
        }

        @Setup(Level.Invocation)
        public void restore()
        {
            loop.restore(reader.wrap(state, 0, state.capacity()));
        }

        private void feed(final DirectBuffer buffer, final int offset, final int length, final SimulatedFleet fleet)
        {
            decide(buffer, offset, length, nowNs);
            final List<byte[]> plans = new ArrayList<>();
            output.forEach((out, at, outLength) ->
            {
                header.wrap(out, at);
                if (header.templateId() == ShuttlePlanDecoder.TEMPLATE_ID)
                {
                    plans.add(copy(out, at, outLength));
                }
            });
            // the plans go to the fleet, as the simulation's runner gives them; the states it sends while taking
            // them (a departure at once, a charger) follow
            final List<byte[]> states = new ArrayList<>();
            for (final byte[] plan : plans)
            {
                final UnsafeBuffer planBuffer = new UnsafeBuffer(plan);
                header.wrap(planBuffer, 0);
                planDecoder.wrap(planBuffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                final List<SimulatedFleet.PlanStop> stops = SimulatedFleet.PlanStop.of(planDecoder);
                fleet.plan((int)planDecoder.shuttleId(), stops, nowNs, (t, b, o, l) -> states.add(copy(b, o, l)));
            }
            for (final byte[] state : states)
            {
                feed(new UnsafeBuffer(state), 0, state.length, fleet);
            }
        }

        private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            return bytes;
        }

        int decide(final DirectBuffer buffer, final int offset, final int length, final long timeNs)
        {
            header.wrap(buffer, offset);
            input.wrap(sequence++, timeNs, header.templateId(), header.version(), header.blockLength(), buffer, offset, length);
            output.reset();
            loop.onInput(input, output);
            return output.count();
        }

        private int encode(final RideDemand.Ride r)
        {
            return ShuttleRun.encodeRequest(request, frame, headerEncoder, r.requestId(), r.riderId(), r.origin(), r.destination(),
                r.earliestPickupNs(), r.partySize(), r.wheelchairs());
        }

        private int encodeTick(final long timeNs)
        {
            tick.wrapAndApplyHeader(tickFrame, 0, headerEncoder).timeNs(timeNs).periodNs(S).source(TickSource.SIMULATION).tickNumber(0);
            return MessageHeaderEncoder.ENCODED_LENGTH + tick.encodedLength();
        }
    }

    @Benchmark
    public int request(final BusyHour h)
    {
        final byte[] next = h.nextRequests.get(h.next++ % h.nextRequests.size());
        final UnsafeBuffer buffer = h.frame;
        buffer.putBytes(0, next);
        return h.decide(buffer, 0, next.length, h.nowNs);
    }

    @Benchmark
    public int tick(final BusyHour h)
    {
        return h.decide(h.tickFrame, 0, h.tickLength, h.nowNs + S / 2);
    }
}
