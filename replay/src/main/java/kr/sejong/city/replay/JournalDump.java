package kr.sejong.city.replay;

import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.journal.JournalReader;
import kr.sejong.city.wire.MessageCatalog;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints journal entries as text, one line each: sequence, logical time, message name and every field
 * of the frame (decoded with the generated codecs). For engineers looking at what a node saw and said.
 */
public final class JournalDump
{
    /** Which queue of the journal to print. */
    public enum Queue
    {
        INGRESS, EGRESS
    }

    private final MessageDecoderFlyweight[] decoders = new MessageDecoderFlyweight[MessageCatalog.MAX_TEMPLATE_ID + 1];
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final StringBuilder line = new StringBuilder(256);

    public JournalDump()
    {
        for (final int id : MessageCatalog.templateIds())
        {
            decoders[id] = MessageCatalog.newDecoder(id);
        }
    }

    /**
     * @param fromSequence first sequence to print (ingress sequence, or egress sequence for EGRESS)
     * @param limit        at most this many lines (negative: no limit)
     * @param templateName print only this message (null: all)
     * @return the number of entries printed
     */
    public long dump(final Path dataDir, final Queue queue, final long fromSequence, final long limit,
        final String templateName, final PrintWriter out)
    {
        final Path queueDir = queue == Queue.INGRESS ? Journal.ingressDir(dataDir) : Journal.egressDir(dataDir);
        if (!Files.isDirectory(queueDir))
        {
            throw new IllegalArgumentException("no " + queue.name().toLowerCase() + " journal in " + dataDir
                + " (expected " + queueDir + "): is it a node's data directory?");
        }
        long printed = 0;
        try (JournalReader reader = queue == Queue.INGRESS ? JournalReader.ingress(dataDir) : JournalReader.egress(dataDir))
        {
            while ((limit < 0 || printed < limit) && reader.next())
            {
                line.setLength(0);
                if (reader.templateId() == IngressRecordDecoder.TEMPLATE_ID)
                {
                    final IngressRecordDecoder record = reader.ingressRecord();
                    if (record.sequence() < fromSequence)
                    {
                        continue;
                    }
                    line.append(record.sequence()).append("  t=").append(record.timeNs()).append("  ");
                    if (record.kind() == JournalRecordKind.REJECTED)
                    {
                        if (templateName != null)
                        {
                            continue;
                        }
                        line.append("REJECTED ").append(record.rejectReason())
                            .append(" (").append(record.receivedLength()).append(" bytes)");
                    }
                    else
                    {
                        record.wrapFrame(frame);
                        if (!appendFrame(templateName))
                        {
                            continue;
                        }
                    }
                }
                else
                {
                    final EgressRecordDecoder record = reader.egressRecord();
                    if (record.egressSequence() < fromSequence)
                    {
                        continue;
                    }
                    line.append(record.egressSequence()).append("  t=").append(record.timeNs())
                        .append("  for input ").append(record.inputSequence()).append("  ");
                    record.wrapFrame(frame);
                    if (!appendFrame(templateName))
                    {
                        continue;
                    }
                }
                out.println(line);
                printed++;
            }
        }
        out.flush();
        return printed;
    }

    private boolean appendFrame(final String templateName)
    {
        header.wrap(frame, 0);
        final int templateId = header.templateId();
        final String name = MessageCatalog.name(templateId);
        if (templateName != null && !templateName.equalsIgnoreCase(name))
        {
            return false;
        }
        final MessageDecoderFlyweight decoder = MessageCatalog.isKnown(templateId) ? decoders[templateId] : null;
        if (decoder == null)
        {
            line.append(name);
            return true;
        }
        decoder.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        decoder.appendTo(line);
        return true;
    }
}
