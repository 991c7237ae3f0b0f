package kr.sejong.city.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import kr.sejong.city.bench.GeneratorProcess;
import kr.sejong.city.bench.Junctions;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.core.loops.signal.IntersectionModel;
import kr.sejong.city.core.loops.signal.LaneTraffic;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of the end-to-end benchmark, run in a JVM of its own (started by
 * {@link E2eBenchmark}): sends requests for the benchmark junction ({@link Junctions}, load pattern
 * {@code seq % PATTERNS}) at a fixed rate or as fast as the system takes them, receives the replies,
 * checks each names the expected decision, and writes a {@link GeneratorResult} to {@code out=FILE}.
 * <p>
 * Arguments, all {@code key=value}: {@code transport=aeron|tcp}, {@code rate} (requests per second, 0 to
 * saturate), {@code warmupMs}, {@code durationMs}, {@code drainMs} (how long to wait for replies after the
 * schedule), {@code window} (saturating: most requests in flight), {@code out}; for aeron
 * {@code aeronDir, ingressChannel, ingressStream, egressChannel, egressStream}; for tcp {@code host, port}.
 * <ul>
 *   <li>aeron: SBE LaneObservations to the node's ingress, SignalCommands from its egress, on one thread
 *       that sends what is due and polls replies in between (yielding when idle, not parking: a parked
 *       thread wakes tens of microseconds late);</li>
 *   <li>tcp: JSON lines ({@link JsonMessages}) on one connection, a sending thread and a reading thread, as
 *       a JSON client would.</li>
 * </ul>
 */
public final class LoadGenerator
{
    private static final int BATCH = 256;

    private final long rate;
    private final long warmupNs;
    private final long durationNs;
    private final long drainNs;
    private final int window;
    /** What is asked: "signal" (LaneObservations answered by a SignalCommand) or "triage" (VideoEvents answered by an Incident). */
    private final String path;
    private final int[] expectedPhaseIndex = expectedPhaseIndexes();

    private LoadGenerator(final Map<String, String> args)
    {
        rate = Long.parseLong(args.getOrDefault("rate", "0"));
        warmupNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.getOrDefault("warmupMs", "0")));
        durationNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.getOrDefault("durationMs", "1000")));
        drainNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.getOrDefault("drainMs", "10000")));
        window = Integer.parseInt(args.getOrDefault("window", "16384"));
        path = args.getOrDefault("path", "signal");
    }

    public static void main(final String[] argv)
    {
        final Map<String, String> args = GeneratorProcess.arguments("load generator", argv);
        try
        {
            final LoadGenerator generator = new LoadGenerator(args);
            final GeneratorResult result = "tcp".equals(args.get("transport"))
                ? generator.runTcp(args.get("host"), Integer.parseInt(args.get("port")))
                : generator.runAeron(args.get("aeronDir"), args.get("ingressChannel"), Integer.parseInt(args.get("ingressStream")),
                    args.get("egressChannel"), Integer.parseInt(args.get("egressStream")));
            result.write(Path.of(args.get("out")));
            System.exit(0);
        }
        catch (final Throwable ex)
        {
            ex.printStackTrace();
            System.exit(1);
        }
    }

    /** The decision the junction's loads of each pattern must get (the program phase index). */
    static int[] expectedPhaseIndexes()
    {
        final IntersectionModel model = Junctions.model(0);
        final int[] expected = new int[Junctions.PATTERNS];
        for (int p = 0; p < Junctions.PATTERNS; p++)
        {
            final LaneTraffic traffic = new LaneTraffic(Junctions.LANES);
            for (int l = 0; l < Junctions.LANES; l++)
            {
                traffic.set(l, Junctions.vehicles(p, l), Junctions.halting(p, l), 0);
            }
            expected[p] = BenchLoop.phaseIndex(model, MaxPressureDecision.bestPhase(model, traffic));
        }
        return expected;
    }

    private static int pattern(final long seq)
    {
        return (int)(seq % Junctions.PATTERNS);
    }

    /** Cameras of the default city the triage requests come from, in turn. */
    static final int TRIAGE_CAMERAS = 34;

    /**
     * The triage path: every request is a new VideoEvent (INITIALIZED, eventId = the sequence number) of one of
     * the city's cameras in turn, class crowding; each folds into its camera's open incident (de-duplication),
     * and the reply is that Incident, whose last listed source is the event: that is how a reply is matched and
     * checked. After each one the same camera's previous event ends (DELETED, no reply), as live events do, so
     * twice as many messages reach the node as requests are counted. The loop's other output (the incidents'
     * first notifications) is not a reply and is not counted.
     */
    private GeneratorResult runTriage(final ExclusivePublication publication, final Subscription subscription)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final kr.sejong.city.codecs.VideoEventEncoder video = new kr.sejong.city.codecs.VideoEventEncoder();
        final UnsafeBuffer ended = new UnsafeBuffer(new byte[256]);
        final kr.sejong.city.codecs.VideoEventEncoder deleted = new kr.sejong.city.codecs.VideoEventEncoder();
        final Accounting books = new Accounting(rate, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10), warmupNs, durationNs, window);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final kr.sejong.city.codecs.IncidentDecoder incident = new kr.sejong.city.codecs.IncidentDecoder();
        final FragmentHandler onReply = (buffer, offset, length, h) ->
        {
            final long nowNs = System.nanoTime();
            header.wrap(buffer, offset);
            if (header.templateId() != kr.sejong.city.codecs.IncidentDecoder.TEMPLATE_ID)
            {
                return; // notifications of new incidents: not replies
            }
            incident.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            long lastId = -1;
            kr.sejong.city.codecs.SourceKind lastKind = null;
            for (final kr.sejong.city.codecs.IncidentDecoder.SourcesDecoder source : incident.sources())
            {
                lastKind = source.sourceKind();
                lastId = source.sourceId();
            }
            final long seq = lastId < 0 ? -1 : books.unwrap(lastId & 0xFFFF_FFFFL);
            books.onReply(seq, nowNs, seq >= 0 && lastKind == kr.sejong.city.codecs.SourceKind.VIDEO && lastId == seq);
        };
        return drive(publication, subscription, books, onReply, new Requests()
        {
            private int length;
            private int afterLength;

            @Override
            public UnsafeBuffer encode(final long seq)
            {
                length = encodeEvent(video, frame, headerEncoder, seq, kr.sejong.city.codecs.OnvifState.INITIALIZED);
                return frame;
            }

            @Override
            public int length()
            {
                return length;
            }

            @Override
            public UnsafeBuffer after(final long seq)
            {
                if (seq < TRIAGE_CAMERAS)
                {
                    return null;
                }
                // the camera's previous event ends (ONVIF DELETED), as live events do: no reply expected
                afterLength = encodeEvent(deleted, ended, headerEncoder, seq - TRIAGE_CAMERAS, kr.sejong.city.codecs.OnvifState.DELETED);
                return ended;
            }

            @Override
            public int afterLength()
            {
                return afterLength;
            }
        });
    }

    /** A crowding VideoEvent of event {@code eventId}'s camera (they take turns); returns the frame's length. */
    private static int encodeEvent(final kr.sejong.city.codecs.VideoEventEncoder video, final UnsafeBuffer frame,
        final MessageHeaderEncoder headerEncoder, final long eventId, final kr.sejong.city.codecs.OnvifState state)
    {
        video.wrapAndApplyHeader(frame, 0, headerEncoder)
            .eventId(eventId).cameraId(1 + (int)(eventId % TRIAGE_CAMERAS)).eventClass(kr.sejong.city.codecs.EventClass.CROWDING)
            .state(state).confidencePermille(800).objectCount(state == kr.sejong.city.codecs.OnvifState.DELETED ? 0 : 12).observedAtNs(0);
        video.position().eastMm(kr.sejong.city.codecs.PositionEncoder.eastMmNullValue())
            .northMm(kr.sejong.city.codecs.PositionEncoder.northMmNullValue());
        return MessageHeaderEncoder.ENCODED_LENGTH + video.encodedLength();
    }

    private GeneratorResult runAeron(
        final String aeronDir, final String ingressChannel, final int ingressStream, final String egressChannel, final int egressStream)
    {
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir)))
        {
            final ExclusivePublication publication = aeron.addExclusivePublication(ingressChannel, ingressStream);
            final Subscription subscription = aeron.addSubscription(egressChannel, egressStream);
            final long connectDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!publication.isConnected() || !subscription.isConnected())
            {
                if (System.nanoTime() > connectDeadlineNs)
                {
                    throw new IllegalStateException("not connected to the node within 30 s (" + ingressChannel + ", " + egressChannel + ")");
                }
                Thread.yield();
            }

            if ("triage".equals(path))
            {
                return runTriage(publication, subscription);
            }
            // a frame per load pattern, encoded once; only the id (the sequence number) changes per request
            final Junctions junctions = new Junctions();
            final UnsafeBuffer[] frames = new UnsafeBuffer[Junctions.PATTERNS];
            final int[] lengths = new int[Junctions.PATTERNS];
            for (int p = 0; p < Junctions.PATTERNS; p++)
            {
                frames[p] = new UnsafeBuffer(new byte[512]);
                lengths[p] = junctions.encodeObservations(frames[p], 0, 0, p);
            }
            final LaneObservationsEncoder idWriter = new LaneObservationsEncoder();

            final Accounting books = new Accounting(rate, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10), warmupNs, durationNs, window);
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final SignalCommandDecoder reply = new SignalCommandDecoder();
            final FragmentHandler onReply = (buffer, offset, length, h) ->
            {
                final long nowNs = System.nanoTime();
                header.wrap(buffer, offset);
                if (header.templateId() != SignalCommandDecoder.TEMPLATE_ID)
                {
                    books.onReply(-1, nowNs, false);
                    return;
                }
                reply.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                final long seq = books.unwrap(reply.intersectionId());
                books.onReply(seq, nowNs, seq >= 0 && reply.phaseIndex() == expectedPhaseIndex[pattern(seq)]);
            };

            return drive(publication, subscription, books, onReply, new Requests()
            {
                private int length;

                @Override
                public UnsafeBuffer encode(final long seq)
                {
                    final int p = pattern(seq);
                    idWriter.wrap(frames[p], MessageHeaderEncoder.ENCODED_LENGTH).intersectionId(seq & 0xFFFF_FFFFL);
                    length = lengths[p];
                    return frames[p];
                }

                @Override
                public int length()
                {
                    return length;
                }
            });
        }
    }

    /** What a path sends: each request's frame, and optionally a frame after it that gets no reply. */
    private interface Requests
    {
        /** Encode request {@code seq}; returns the buffer holding it from offset 0, {@link #length()} long. */
        UnsafeBuffer encode(long seq);

        int length();

        /** A frame to send after request {@code seq} that gets no reply, or null. */
        default UnsafeBuffer after(final long seq)
        {
            return null;
        }

        default int afterLength()
        {
            return 0;
        }
    }

    /**
     * Send the requests at the schedule's rate (or as the window allows when saturating), poll the replies,
     * until every request is answered or the drain is over. One thread: a reply cannot be polled before its
     * request is booked as sent.
     */
    private GeneratorResult drive(final ExclusivePublication publication, final Subscription subscription, final Accounting books,
        final FragmentHandler onReply, final Requests requests)
    {
        final IdleStrategy idle = new YieldingIdleStrategy();
        final long deadlineNs = books.measureEndNs() + drainNs;
        long next = 0;
        long backPressure = 0;
        long nowNs;
        while (true)
        {
            nowNs = System.nanoTime();
            int work = 0;
            final long due = books.fixedRate()
                ? books.dueBy(nowNs)
                : (nowNs < books.measureEndNs() ? Math.min(next + BATCH, books.sendLimit(window)) : next);
            while (next < due && work < BATCH)
            {
                final UnsafeBuffer frame = requests.encode(next);
                final long sendNs = books.fixedRate() ? nowNs : System.nanoTime();
                final long result = publication.offer(frame, 0, requests.length());
                if (result < 0)
                {
                    failIfUnusable(result);
                    backPressure++; // the node's input is full: try again next turn (the wait counts in the latency)
                    break;
                }
                books.sent(next, sendNs); // one thread: the reply cannot be polled before this
                final UnsafeBuffer after = requests.after(next);
                if (after != null)
                {
                    long taken;
                    while ((taken = publication.offer(after, 0, requests.afterLength())) < 0)
                    {
                        failIfUnusable(taken);
                        backPressure++;
                        subscription.poll(onReply, BATCH);
                    }
                }
                next++;
                work++;
            }
            work += subscription.poll(onReply, BATCH);
            final boolean sendingDone = books.fixedRate() ? next == books.total() : nowNs >= books.measureEndNs();
            if (sendingDone && books.complete())
            {
                return books.finish(System.nanoTime(), backPressure);
            }
            if (nowNs > deadlineNs)
            {
                return books.finish(nowNs, backPressure);
            }
            idle.idle(work);
        }
    }

    private static void failIfUnusable(final long result)
    {
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED || result == Publication.NOT_CONNECTED)
        {
            throw new IllegalStateException("ingress publication failed: " + Publication.errorString(result));
        }
    }

    private GeneratorResult runTcp(final String host, final int port) throws IOException, InterruptedException
    {
        final ObjectMapper mapper = new ObjectMapper();
        try (Socket socket = new Socket())
        {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            final OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            final Accounting books = new Accounting(rate, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10), warmupNs, durationNs, window);
            final long deadlineNs = books.measureEndNs() + drainNs;

            final Thread reader = new Thread(() ->
            {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = in.readLine()) != null)
                    {
                        final long nowNs = System.nanoTime();
                        final JsonMessages.Reply reply = mapper.readValue(line, JsonMessages.Reply.class);
                        final long seq = reply.intersectionId();
                        final boolean correct = reply.phaseIndex() != null && seq >= 0
                            && reply.phaseIndex() == expectedPhaseIndex[pattern(seq)];
                        books.onReply(seq, nowNs, correct);
                    }
                }
                catch (final IOException ex)
                {
                    // closed at the end of the run (or by the watchdog)
                }
            }, "generator-reader");
            reader.start();

            // a stack that stops reading blocks the sender in write(): close the socket at the deadline
            final Thread watchdog = new Thread(() ->
            {
                try
                {
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, deadlineNs - System.nanoTime()));
                    socket.close();
                }
                catch (final InterruptedException | IOException ex)
                {
                    // done before the deadline
                }
            }, "generator-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();

            final StringBuilder line = new StringBuilder(512);
            long next = 0;
            long nowNs;
            try
            {
                while (true)
                {
                    nowNs = System.nanoTime();
                    if (nowNs > deadlineNs)
                    {
                        break;
                    }
                    final long due = books.fixedRate()
                        ? books.dueBy(nowNs)
                        : (nowNs < books.measureEndNs() ? Math.min(next + BATCH, books.sendLimit(window)) : next);
                    int work = 0;
                    while (next < due && work < BATCH)
                    {
                        line.setLength(0);
                        JsonMessages.appendRequest(line, next, pattern(next));
                        books.sent(next, books.fixedRate() ? nowNs : System.nanoTime());
                        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
                        next++;
                        work++;
                    }
                    if (work > 0)
                    {
                        out.flush();
                    }
                    final boolean sendingDone = books.fixedRate() ? next == books.total() : nowNs >= books.measureEndNs();
                    if (sendingDone)
                    {
                        break;
                    }
                    if (work == 0)
                    {
                        Thread.yield();
                    }
                }
                while (!books.complete() && System.nanoTime() < deadlineNs)
                {
                    Thread.sleep(1);
                }
            }
            catch (final IOException ex)
            {
                // the watchdog closed the socket: the stack did not keep up; what is missing is counted
            }
            final long endNs = Math.min(System.nanoTime(), deadlineNs);
            watchdog.interrupt();
            socket.close();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return books.finish(books.complete() ? endNs : deadlineNs, 0);
        }
    }
}
