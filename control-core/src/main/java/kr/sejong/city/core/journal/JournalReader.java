package kr.sejong.city.core.journal;

import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

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
    private final UnsafeBuffer entryView = new UnsafeBuffer(0, 0);
    private int entryLength;
    private long index = -1;
    private String damage;

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
        damage = check();
        return true;
    }

    /**
     * Wrap the record's decoder on an exact view of the entry and walk it, so that a torn or damaged
     * entry (cut short by a crash mid-write, or edited) is recognised instead of read as data.
     */
    private String check()
    {
        if (entryLength < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "entry of " + entryLength + " bytes is shorter than a message header";
        }
        entryView.wrap(entry, 0, entryLength);
        header.wrap(entryView, 0);
        final int templateId = header.templateId();
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return "entry is not of schema " + MessageHeaderDecoder.SCHEMA_ID + " (schema " + header.schemaId() + ")";
        }
        if (header.version() < 1 || header.version() > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return "entry has schema version " + header.version() + "; this build reads 1 to " + MessageHeaderDecoder.SCHEMA_VERSION;
        }
        final org.agrona.sbe.MessageDecoderFlyweight decoder;
        if (templateId == IngressRecordDecoder.TEMPLATE_ID)
        {
            decoder = ingressRecord;
        }
        else if (templateId == EgressRecordDecoder.TEMPLATE_ID)
        {
            decoder = egressRecord;
        }
        else
        {
            return "entry is not a journal record (template " + templateId + ")";
        }
        try
        {
            decoder.wrap(entryView, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            final int decoded = MessageHeaderDecoder.ENCODED_LENGTH + decoder.sbeDecodedLength();
            if (decoded != entryLength)
            {
                return "entry of " + entryLength + " bytes encodes " + decoded + " (torn or altered)";
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return "entry runs past its end (torn or altered)";
        }
        return null;
    }

    /** Why the current entry cannot be read as a record, or null when it is whole. */
    public String damage()
    {
        return damage;
    }

    /** Schema version the current entry was written with. */
    public int version()
    {
        return header.version();
    }

    /** Block length of the current entry's record. */
    public int blockLength()
    {
        return header.blockLength();
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

    /** The whole current entry as stored (header + record); valid until the next call. */
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

    /**
     * Position so that the next {@link #next()} reads the entry at this Chronicle index.
     *
     * @return false when the journal holds no such entry (another journal, or its cycle file is gone).
     */
    public boolean moveToIndex(final long index)
    {
        return tailer.moveToIndex(index);
    }

    /** From now on {@link #next()} moves towards the start of the journal (to look back from a position). */
    public JournalReader backward()
    {
        tailer.direction(TailerDirection.BACKWARD);
        return this;
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
