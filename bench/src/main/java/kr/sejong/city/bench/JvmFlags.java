package kr.sejong.city.bench;

/**
 * The flags every JVM of the node needs, as the parent pom's {@code city.jvm.flags} lists them, one
 * JVM argument per element. A forked benchmark JVM needs them too: Agrona (under Aeron and the SBE
 * codecs) reads {@code jdk.internal.misc.Unsafe}, and without {@code sun.nio.ch} a Chronicle queue
 * silently becomes read-only.
 * <p>
 * Java allows no array constant in an annotation, so {@link BenchmarkDefaults}' {@code @Fork} lists
 * the single-flag constants below; {@code JvmFlagsTest} checks that list, {@link #FLAGS} and the pom
 * property are the same.
 */
public final class JvmFlags
{
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String EXPORT_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String OPEN_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    public static final String NO_ANNOUNCER = "-Dchronicle.announcer.disable=true";
    public static final String BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=false";

    /** All of them, in the pom's order. */
    public static final String[] FLAGS = {
        EXPORT_MISC, EXPORT_REF, EXPORT_NIO_CH,
        OPEN_REFLECT, OPEN_NIO, OPEN_NIO_CH, OPEN_LANG,
        NO_ANALYTICS, NO_ANNOUNCER, BOUNDS_CHECKS,
    };

    private JvmFlags()
    {
    }
}
