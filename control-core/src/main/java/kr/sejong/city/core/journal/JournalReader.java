package kr.sejong.city.core.journal;

import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;

import java.nio.file.Path;

/**
 * Reads the records of one journal queue in order. Each call to {@link #next()} moves to the next
 * entry and wraps the matching decoder on it; the decoders stay valid until the next call.
 */
public final class JournalReader implements AutoCloseable
{
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(1024);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final IngressRecordDecoder ingressRecord = new IngressRecordDecoder();
    private final EgressRecordDecoder egressRecord = new EgressRecordDecoder();
    private int entryLength;
    private long index = -1;

    private JournalReader(final Path queueDir)
    {
        this.queue = Journal.openForRead(queueDir);
        this.tailer = queue.createTailer();
    }

    public static JournalReader ingress(final Path dataDir)
    {
        return new JournalReader(Journal.ingressDir(dataDir));
    }

    public static JournalReader egress(final Path dataDir)
    {
        return new JournalReader(Journal.egressDir(dataDir));
    }

    /** Move to the next entry. @return false at the end of what has been written so far. */
    public boolean next()
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            index = dc.index();
            final Bytes<?> bytes = dc.wire().bytes();
            final int length = (int)bytes.readRemaining();
            entry.checkLimit(length);
            bytes.read(entry.byteArray(), 0, length);
            entryLength = length;
        }
        header.wrap(entry, 0);
        if (header.templateId() == IngressRecordDecoder.TEMPLATE_ID)
        {
            ingressRecord.wrap(entry, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        }
        else if (header.templateId() == EgressRecordDecoder.TEMPLATE_ID)
        {
            egressRecord.wrap(entry, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        }
        else
        {
            throw new IllegalStateException("journal entry " + Long.toHexString(index) + " is not a journal record: template "
                + header.templateId() + " of schema " + header.schemaId());
        }
        return true;
    }

    /** Template of the current entry: IngressRecord or EgressRecord. */
    public int templateId()
    {
        return header.templateId();
    }

    public IngressRecordDecoder ingressRecord()
    {
        return ingressRecord;
    }

    public EgressRecordDecoder egressRecord()
    {
        return egressRecord;
    }

    /** The whole current entry as stored (header + record). */
    public ExpandableArrayBuffer entryBuffer()
    {
        return entry;
    }

    public int entryLength()
    {
        return entryLength;
    }

    /** Chronicle index of the current entry. */
    public long index()
    {
        return index;
    }

    /** Position on the last entry written so far. @return false for an empty journal. */
    public boolean last()
    {
        final long lastIndex = queue.lastIndex();
        if (lastIndex < 0 || !tailer.moveToIndex(lastIndex))
        {
            return false;
        }
        return next();
    }

    @Override
    public void close()
    {
        tailer.close();
        queue.close();
    }
}
