package kr.sejong.city.adapters.opcua.client;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.FrequencyMeasurementDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SetpointEncoder;
import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.codecs.SignalCommandEncoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.SignalStatusDecoder;
import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.ChargerSessionDecoder;
import kr.sejong.city.codecs.VideoEventDecoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stand-in for the node: an embedded media driver, a subscription on the ingress that decodes every frame the
 * adapter sends into text (the SBE decoders' own rendering), and a publication on the egress for commands.
 */
final class IngressCapture implements AutoCloseable
{
    static final String CHANNEL = "aeron:ipc";
    static final int INGRESS_STREAM_ID = 7001;
    static final int EGRESS_STREAM_ID = 7002;

    /** One frame the adapter sent: its template and its fields as text. */
    record Frame(int templateId, String text)
    {
        boolean is(final int template, final String... parts)
        {
            if (templateId != template)
            {
                return false;
            }
            for (final String part : parts)
            {
                if (!text.contains(part))
                {
                    return false;
                }
            }
            return true;
        }
    }

    final MediaDriver driver;
    final Aeron aeron;
    final Publication ingress;
    final Subscription egress;
    private final Subscription ingressReader;
    private final Publication egressWriter;
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final Thread poller;
    private volatile boolean running = true;

    IngressCapture()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        ingress = aeron.addPublication(CHANNEL, INGRESS_STREAM_ID);
        egress = aeron.addSubscription(CHANNEL, EGRESS_STREAM_ID);
        ingressReader = aeron.addSubscription(CHANNEL, INGRESS_STREAM_ID);
        egressWriter = aeron.addExclusivePublication(CHANNEL, EGRESS_STREAM_ID);
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, h) ->
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int block = header.blockLength();
            final int version = header.version();
            final String text = switch (header.templateId())
            {
                case DeviceStatusDecoder.TEMPLATE_ID -> new DeviceStatusDecoder().wrap(buffer, body, block, version).toString();
                case GridMeasurementDecoder.TEMPLATE_ID -> new GridMeasurementDecoder().wrap(buffer, body, block, version).toString();
                case FrequencyMeasurementDecoder.TEMPLATE_ID -> new FrequencyMeasurementDecoder().wrap(buffer, body, block, version).toString();
                case IntersectionTopologyDecoder.TEMPLATE_ID -> new IntersectionTopologyDecoder().wrap(buffer, body, block, version).toString();
                case LaneObservationsDecoder.TEMPLATE_ID -> new LaneObservationsDecoder().wrap(buffer, body, block, version).toString();
                case SignalStatusDecoder.TEMPLATE_ID -> new SignalStatusDecoder().wrap(buffer, body, block, version).toString();
                case DetectorObservationDecoder.TEMPLATE_ID -> new DetectorObservationDecoder().wrap(buffer, body, block, version).toString();
                case ChargerSessionDecoder.TEMPLATE_ID -> new ChargerSessionDecoder().wrap(buffer, body, block, version).toString();
                case VideoEventDecoder.TEMPLATE_ID -> new VideoEventDecoder().wrap(buffer, body, block, version).toString();
                default -> "template " + header.templateId();
            };
            frames.add(new Frame(header.templateId(), text));
        });
        poller = new Thread(() ->
        {
            while (running)
            {
                if (ingressReader.poll(assembler, 100) == 0)
                {
                    Thread.onSpinWait();
                    try
                    {
                        Thread.sleep(1);
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
            }
        }, "ingress-capture");
        poller.setDaemon(true);
        poller.start();
    }

    List<Frame> frames()
    {
        return new ArrayList<>(frames);
    }

    int size()
    {
        return frames.size();
    }

    /** Frames from index {@code from} on that match. */
    List<Frame> since(final int from, final Predicate<Frame> filter)
    {
        final List<Frame> all = frames();
        final List<Frame> matching = new ArrayList<>();
        for (int i = from; i < all.size(); i++)
        {
            if (filter.test(all.get(i)))
            {
                matching.add(all.get(i));
            }
        }
        return matching;
    }

    /** Index of the first frame from {@code from} on that matches, or -1. */
    int indexOf(final int from, final Predicate<Frame> filter)
    {
        final List<Frame> all = frames();
        for (int i = from; i < all.size(); i++)
        {
            if (filter.test(all.get(i)))
            {
                return i;
            }
        }
        return -1;
    }

    /** Waits for a frame from {@code from} on that matches and returns its index. */
    int await(final String what, final int from, final Predicate<Frame> filter, final Supplier<String> context)
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (true)
        {
            final int at = indexOf(from, filter);
            if (at >= 0)
            {
                return at;
            }
            if (System.nanoTime() > deadline)
            {
                fail("no " + what + " within 30 s; " + context.get());
            }
            sleep();
        }
    }

    static void await(final String what, final BooleanSupplier condition, final Supplier<String> context)
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("not " + what + " within 30 s; " + context.get());
            }
            sleep();
        }
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(10);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    void signalCommand(final int intersectionId, final String state, final int durationMs)
    {
        final SignalCommandEncoder m = new SignalCommandEncoder().wrapAndApplyHeader(commandBuffer, 0, new MessageHeaderEncoder())
            .intersectionId(intersectionId)
            .mode(SignalMode.ADAPTIVE)
            .phaseIndex(2)
            .durationMs(durationMs)
            .reason(SignalReason.PRESSURE)
            .signalState(state);
        offer(MessageHeaderEncoder.ENCODED_LENGTH + m.encodedLength());
    }

    void setpoint(final DeviceKind kind, final int deviceId, final int activePowerW, final int reactivePowerVar)
    {
        final SetpointEncoder m = new SetpointEncoder().wrapAndApplyHeader(commandBuffer, 0, new MessageHeaderEncoder())
            .deviceId(deviceId)
            .deviceKind(kind)
            .activePowerW(activePowerW)
            .reactivePowerVar(reactivePowerVar)
            .reason(SetpointReason.PCC_LIMIT);
        offer(MessageHeaderEncoder.ENCODED_LENGTH + m.encodedLength());
    }

    private void offer(final int length)
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (egressWriter.offer(commandBuffer, 0, length) < 0)
        {
            if (System.nanoTime() > deadline)
            {
                fail("egress not connected");
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            poller.join(2000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.closeAll(aeron, driver);
    }
}
