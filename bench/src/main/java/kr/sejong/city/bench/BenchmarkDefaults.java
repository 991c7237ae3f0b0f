package kr.sejong.city.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What every benchmark here shares (JMH takes the closest annotation up the class hierarchy): one
 * fork with the node's JVM flags, and iterations short enough for a 2-core shared machine
 * (3 x 1 s warmup, 5 x 1 s measurement; a whole run takes about 3 minutes). Override on the command
 * line ({@code -wi -i -w -r -f}) for steadier figures on a quiet box.
 */
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.EXPORT_MISC, JvmFlags.EXPORT_REF, JvmFlags.EXPORT_NIO_CH,
    JvmFlags.OPEN_REFLECT, JvmFlags.OPEN_NIO, JvmFlags.OPEN_NIO_CH, JvmFlags.OPEN_LANG,
    JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER, JvmFlags.BOUNDS_CHECKS,
})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public abstract class BenchmarkDefaults
{
}
