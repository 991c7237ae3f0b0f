package kr.sejong.city.adapters.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * What one receiver has acknowledged, kept across gateway restarts: the egress sequence up to which every
 * frame of the node's egress journal is done with for that receiver (answered 2xx or 409, refused for good
 * with another 4xx, or not meant for it), with that entry's Chronicle index so that a restarted gateway
 * goes straight to it and can check that it is the same journal.
 * <p>
 * One small text file per receiver, replaced atomically: written to a temporary file, forced to disk,
 * renamed over the old one, and the folder forced, so that after a crash or a power cut the file holds the
 * old position or the new one, never a mix. It carries a CRC-32 of its lines. A file that cannot be read or
 * does not check out is an error that names it: the gateway never quietly starts that receiver over from
 * zero (everything sent again) or from the end (everything skipped).
 */
final class DeliveryState
{
    private static final String HEADER = "# Sejong City Control gateway: what this receiver has acknowledged on the egress journal (docs/gateway.md)";

    /**
     * A place in the egress journal.
     *
     * @param egressSequence the last egress sequence done with, or -1 before the first entry of the journal.
     * @param journalIndex   that entry's Chronicle index, or -1 with -1.
     */
    record Position(long egressSequence, long journalIndex)
    {
        static final Position START = new Position(-1, -1);

        boolean isStart()
        {
            return journalIndex == -1;
        }
    }

    private final Path file;
    private final String receiver;

    DeliveryState(final Path stateDir, final String fileName, final String receiver)
    {
        this.file = stateDir.resolve(fileName);
        this.receiver = receiver;
    }

    Path file()
    {
        return file;
    }

    /**
     * @return the stored position, or null when there is no file (a receiver the gateway has not served before).
     * @throws DeliveryStateException naming the file when it exists but cannot be read or does not check out.
     */
    Position read()
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException | java.io.UncheckedIOException ex)
        {
            throw corrupt("cannot be read (" + ex + ")");
        }
        if (lines.size() != 5 || !lines.get(0).equals(HEADER))
        {
            throw corrupt("is not a delivery state file of this gateway (" + lines.size() + " lines, expected 5 starting with the header)");
        }
        final String stored = value(lines.get(1), "receiver");
        final long egressSequence = number(lines.get(2), "egressSequence");
        final long journalIndex = number(lines.get(3), "journalIndex");
        final String crc = value(lines.get(4), "crc32");
        final String expected = crc(body(stored, egressSequence, journalIndex));
        if (!crc.equals(expected))
        {
            throw corrupt("fails its check (crc32 " + crc + ", its lines give " + expected + "): altered or damaged");
        }
        if (!stored.equals(receiver))
        {
            throw corrupt("holds the state of receiver \"" + stored + "\", not of \"" + receiver + "\"");
        }
        if (egressSequence < -1 || journalIndex < -1 || (egressSequence == -1) != (journalIndex == -1))
        {
            throw corrupt("holds an impossible position (egressSequence " + egressSequence + ", journalIndex " + journalIndex + ")");
        }
        return new Position(egressSequence, journalIndex);
    }

    /** Replace the stored position, durably (see the class comment). */
    void write(final Position position)
    {
        final String text = HEADER + "\n" + body(receiver, position.egressSequence(), position.journalIndex())
            + "crc32=" + crc(body(receiver, position.egressSequence(), position.journalIndex())) + "\n";
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining())
                {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ))
            {
                folder.force(true); // the rename itself survives a power cut
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("gateway: cannot write the delivery state " + file + ": " + ex, ex);
        }
    }

    DeliveryStateException corrupt(final String problem)
    {
        return new DeliveryStateException("gateway: the delivery state " + file + " of receiver " + receiver + " " + problem
            + ". Not starting: nothing is sent again or skipped on a guess. Restore the file, or delete it to have " + receiver
            + " start with what the node decides from now on (docs/gateway.md).");
    }

    private static String body(final String receiver, final long egressSequence, final long journalIndex)
    {
        return "receiver=" + receiver + "\negressSequence=" + egressSequence + "\njournalIndex=" + journalIndex + "\n";
    }

    private static String crc(final String body)
    {
        final CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private String value(final String line, final String key)
    {
        if (!line.startsWith(key + "="))
        {
            throw corrupt("has \"" + line + "\" where " + key + "= belongs");
        }
        return line.substring(key.length() + 1);
    }

    private long number(final String line, final String key)
    {
        final String text = value(line, key);
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw corrupt("has " + key + " \"" + text + "\", not a number");
        }
    }
}
