package kr.sejong.city.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks fork once, with exactly the JVM flags the parent pom gives every JVM of the node. */
class JvmFlagsTest
{
    @Test
    void flagsAreThePomsCityJvmFlags()
    {
        final String pomFlags = System.getProperty("city.jvm.flags");
        assertNotNull(pomFlags, "surefire passes city.jvm.flags from the parent pom");
        assertEquals(normalise(pomFlags), List.of(JvmFlags.FLAGS));
    }

    @Test
    void everyBenchmarkForksOnceWithTheFlags()
    {
        // what JMH will actually use: the metadata its annotation processor generated
        final OutputFormat quiet = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
        final Set<String> classes = new TreeSet<>();
        for (final BenchmarkListEntry entry : BenchmarkList.defaultList().getAll(quiet, Collections.emptyList()))
        {
            final String name = entry.getUsername();
            assertEquals(1, entry.getForks().orElse(-1), name + " forks");
            assertEquals(List.of(JvmFlags.FLAGS), new ArrayList<>(entry.getJvmArgsAppend().orElse(List.of())),
                name + " jvmArgsAppend");
            classes.add(entry.getUserClassQName());
        }
        assertTrue(classes.containsAll(Set.of(CodecBenchmark.class.getName(), FrameValidatorBenchmark.class.getName(),
            JournalAppendBenchmark.class.getName(), RingHopBenchmark.class.getName(),
            SignalLoopBenchmark.class.getName(), ChainHashBenchmark.class.getName())), "benchmarks found: " + classes);
    }

    /** "--add-exports X" becomes "--add-exports=X", the one-argument form the benchmarks use. */
    private static List<String> normalise(final String flags)
    {
        final List<String> result = new ArrayList<>();
        final String[] tokens = flags.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++)
        {
            final String token = tokens[i];
            if ((token.equals("--add-exports") || token.equals("--add-opens")) && i + 1 < tokens.length)
            {
                result.add(token + "=" + tokens[++i]);
            }
            else
            {
                result.add(token);
            }
        }
        return result;
    }
}
