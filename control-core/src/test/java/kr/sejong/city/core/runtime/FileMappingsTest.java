package kr.sejong.city.core.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Reading the kernel's list of mappings for one file. */
class FileMappingsTest
{
    @TempDir
    Path tmp;

    @Test
    void takesTheSharedWritableMappingsOfThatFileOnly() throws IOException
    {
        final String file = "/data/journal/ingress/20261126-09F.cq4";
        final Path maps = tmp.resolve("maps");
        Files.writeString(maps, String.join("\n",
            "7fb82e000000-7fb833000000 rw-s 04000000 fe:00 2196896                    " + file,
            "7fb833000000-7fb838000000 rw-s 00000000 fe:00 2196896                    " + file,
            "7fb838000000-7fb839000000 r--s 00000000 fe:00 2196896                    " + file,
            "7fb839000000-7fb83a000000 rw-p 00000000 fe:00 2196896                    " + file,
            "7fb8e8028000-7fb8e8048000 rw-s 00000000 fe:00 2196833                    /data/journal/ingress/metadata.cq4t",
            "7fb8e8048000-7fb8e8058000 rw-s 00000000 fe:00 2196899                    /other" + file,
            "7ffd1a000000-7ffd1a021000 rw-p 00000000 00:00 0                          [stack]",
            ""));

        assertEquals(List.of(
            new FileMappings.Mapping(0x7fb82e000000L, 0x7fb833000000L, 0x04000000L),
            new FileMappings.Mapping(0x7fb833000000L, 0x7fb838000000L, 0)), FileMappings.sharedWritable(maps, file),
            "read-only, private, other files and a path that only ends the same are left out");

        final FileMappings.Mapping second = FileMappings.sharedWritable(maps, file).get(0);
        assertEquals(0x04000000L + 0x05000000L, second.fileEnd());
        assertEquals(0x7fb82e000000L + 0x1000, second.addressOf(0x04001000L));
    }

    @Test
    void aPathWithSpacesAndMalformedLines()
    {
        assertEquals(new FileMappings.Mapping(0x1000, 0x3000, 0x2000),
            FileMappings.parse("1000-3000 rw-s 00002000 fe:00 12   /a dir/x.cq4", "/a dir/x.cq4"));
        assertNull(FileMappings.parse("1000 rw-s 00002000 fe:00 12 /x.cq4", "/x.cq4"), "no address range");
        assertNull(FileMappings.parse("zz-3000 rw-s 00002000 fe:00 12 /x.cq4", "/x.cq4"), "not hex");
        assertNull(FileMappings.parse("3000-1000 rw-s 00002000 fe:00 12 /x.cq4", "/x.cq4"), "empty range");
        assertNull(FileMappings.parse("1000-3000 rw-s", "/x.cq4"), "too few fields");
    }

    @Test
    void noListAtAllIsNoMapping()
    {
        assertEquals(List.of(), FileMappings.sharedWritable(tmp.resolve("missing"), "/x.cq4"));
    }
}
