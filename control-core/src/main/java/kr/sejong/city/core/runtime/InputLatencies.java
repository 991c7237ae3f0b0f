package kr.sejong.city.core.runtime;

import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decision latency per kind of input (SBE template id): from the input reaching ingress to the publication of its
 * last output, one value per input. Written by the egress agent alone; read from any thread. A kind's recorder is
 * made the first time an input of that kind has an output, and never again: recording allocates nothing after that.
 */
final class InputLatencies
{
    /** Template ids of the schema are below this; inputs of a higher id are not recorded by kind. */
    static final int TEMPLATE_IDS = 256;

    private final AtomicReferenceArray<Recorder> byTemplate = new AtomicReferenceArray<>(TEMPLATE_IDS);

    void record(final int templateId, final long latencyNs)
    {
        if (templateId < 0 || templateId >= TEMPLATE_IDS)
        {
            return;
        }
        Recorder recorder = byTemplate.getPlain(templateId);
        if (recorder == null)
        {
            recorder = new Recorder(EgressWriter.MAX_LATENCY_NS, 3);
            byTemplate.setRelease(templateId, recorder);
        }
        recorder.recordValue(Math.min(Math.max(latencyNs, 0), EgressWriter.MAX_LATENCY_NS));
    }

    Recorder recorder(final int templateId)
    {
        return templateId < 0 || templateId >= TEMPLATE_IDS ? null : byTemplate.getAcquire(templateId);
    }
}
