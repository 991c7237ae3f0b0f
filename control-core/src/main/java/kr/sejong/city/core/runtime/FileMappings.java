package kr.sejong.city.core.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one file is memory-mapped, shared and writable, in this process: the lines of {@code /proc/self/maps}
 * that name it with permissions {@code rw-s}. The journal pretoucher uses them to fault the pages just ahead
 * of a Chronicle writer into the writer's own mapping ({@link JournalPretoucher}); Chronicle does not hand out
 * its mapping addresses, and the kernel lists them here.
 */
final class FileMappings
{
    /** The kernel's list of this process's mappings (Linux). */
    static final Path PROC_SELF_MAPS = Path.of("/proc/self/maps");

    /** One mapping: addresses {@code [start, end)} holding the file from {@code fileOffset} on. */
    record Mapping(long start, long end, long fileOffset)
    {
        long fileEnd()
        {
            return fileOffset + (end - start);
        }

        /** The address of file offset {@code offset}, which must lie in {@code [fileOffset, fileEnd())}. */
        long addressOf(final long offset)
        {
            return start + (offset - fileOffset);
        }
    }

    private FileMappings()
    {
    }

    /**
     * The shared writable mappings of {@code file} (as the kernel names it: give the real path) listed in
     * {@code maps} (the format of {@code /proc/self/maps}), in the order listed; none when {@code maps} does not
     * exist (not Linux).
     */
    static List<Mapping> sharedWritable(final Path maps, final String file)
    {
        final List<Mapping> found = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(maps, StandardCharsets.UTF_8))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.endsWith(file))
                {
                    final Mapping mapping = parse(line, file);
                    if (mapping != null)
                    {
                        found.add(mapping);
                    }
                }
            }
        }
        catch (final NoSuchFileException ex)
        {
            return List.of();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return found;
    }

    /**
     * One line of the maps file: {@code start-end perms offset dev inode path}, all numbers but the inode in hex;
     * null unless the path is exactly {@code file} and the permissions are {@code rw?s}.
     */
    static Mapping parse(final String line, final String file)
    {
        final String[] fields = line.trim().split("\\s+", 6);
        if (fields.length < 6 || !fields[5].equals(file))
        {
            return null;
        }
        final String perms = fields[1];
        if (perms.length() < 4 || perms.charAt(0) != 'r' || perms.charAt(1) != 'w' || perms.charAt(3) != 's')
        {
            return null;
        }
        final int dash = fields[0].indexOf('-');
        if (dash < 0)
        {
            return null;
        }
        try
        {
            final long start = Long.parseUnsignedLong(fields[0].substring(0, dash), 16);
            final long end = Long.parseUnsignedLong(fields[0].substring(dash + 1), 16);
            final long offset = Long.parseUnsignedLong(fields[2], 16);
            return end > start ? new Mapping(start, end, offset) : null;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }
}
