package kr.sejong.city.adapters.gateway;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import kr.sejong.city.codecs.ChargerSessionDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.wire.FrameValidator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Reads the field's measurements from the node's ingress, beside the node: a second subscription on the
 * ingress stream, untethered ({@link #channel}), so a gateway that stalls is left behind by the media
 * driver instead of holding the field's publications back. Decodes LaneObservations, IntersectionTopology,
 * GridMeasurement and ChargerSession with the generated flyweights into {@link FieldMeasurements}; every
 * other message on ingress is skipped after its header. A frame of those four that fails the structural
 * check the node itself applies ({@link FrameValidator}: lengths, groups, version) is counted, not read.
 * Allocates nothing per frame. One thread (an Agrona agent).
 */
final class MeasurementReader implements Agent
{
    private static final int FRAGMENT_LIMIT = 256;

    private final Subscription ingress;
    private final FieldMeasurements field;
    private final FrameValidator validator;
    private final EpochClock clock = SystemEpochClock.INSTANCE;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final LaneObservationsDecoder lanes = new LaneObservationsDecoder();
    private final IntersectionTopologyDecoder topology = new IntersectionTopologyDecoder();
    private final GridMeasurementDecoder grid = new GridMeasurementDecoder();
    private final ChargerSessionDecoder session = new ChargerSessionDecoder();
    private long nowMs;

    MeasurementReader(final Subscription ingress, final FieldMeasurements field, final int maxFrameLength)
    {
        this.ingress = ingress;
        this.field = field;
        this.validator = new FrameValidator(maxFrameLength);
    }

    /**
     * The channel the gateway subscribes to the node's ingress (and, for the screens, its egress) with: the same
     * channel, untethered. The media driver drops an
     * untethered subscriber that stays most of a window behind (on IPC three quarters of half a term: 6 MiB with the
     * node's 16 MiB terms) for its {@code untetheredWindowLimitTimeout} (5 s by default), then lets it rejoin at the
     * live position after a rest ({@code untetheredRestingTimeout}, 10 s); measurements missed meanwhile are replaced
     * by the next ones. A tethered subscriber would hold the field back (or, on egress, the field's commands) for as long as
     * the gateway stalled.
     */
    static String untethered(final String channel)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        uri.put(CommonContext.TETHER_PARAM_NAME, "false");
        return uri.toString();
    }

    @Override
    public int doWork()
    {
        nowMs = clock.time();
        return ingress.poll(assembler, FRAGMENT_LIMIT);
    }

    @Override
    public String roleName()
    {
        return "gateway-measurements";
    }

    /** One ingress frame; public to the package so that tests can feed frames without Aeron. */
    void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return; // the node rejects it (TOO_SHORT); nothing here to read
        }
        header.wrap(buffer, offset);
        final int templateId = header.templateId();
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || !read(templateId))
        {
            return;
        }
        field.frame();
        if (validator.validate(buffer, offset, length) != null)
        {
            field.undecodable();
            return;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (templateId)
        {
            case LaneObservationsDecoder.TEMPLATE_ID -> field.laneObservations(lanes.wrap(buffer, body, blockLength, version), nowMs);
            case IntersectionTopologyDecoder.TEMPLATE_ID -> field.topology(topology.wrap(buffer, body, blockLength, version));
            case GridMeasurementDecoder.TEMPLATE_ID -> field.gridMeasurement(grid.wrap(buffer, body, blockLength, version), nowMs);
            case ChargerSessionDecoder.TEMPLATE_ID -> field.chargerSession(session.wrap(buffer, body, blockLength, version), nowMs);
            default ->
            {
                // not reached: read() lets only these through
            }
        }
    }

    /** Sets the time stamped on what the next frames change (tests). */
    void nowMs(final long nowMs)
    {
        this.nowMs = nowMs;
    }

    private static boolean read(final int templateId)
    {
        return templateId == LaneObservationsDecoder.TEMPLATE_ID || templateId == IntersectionTopologyDecoder.TEMPLATE_ID
            || templateId == GridMeasurementDecoder.TEMPLATE_ID || templateId == ChargerSessionDecoder.TEMPLATE_ID;
    }
}
