package dev.forkline.bench;

/**
 * The JVM flags every forked benchmark JVM needs (the same list as the root pom's {@code forkline.jvmFlags};
 * {@code JvmFlagsAgreeTest} checks that they agree).
 * Use as {@code @Fork(value = 1, jvmArgsAppend = {BenchFlags.F0, ...})}; annotations need constants, so each
 * flag is its own constant and {@link #ALL} lists them for programmatic runners.
 */
public final class BenchFlags
{
    public static final String F0 = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String F1 = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String F2 = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    public static final String F3 = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    public static final String F4 = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    public static final String F5 = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String F6 = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String F7 = "--add-opens=java.base/java.io=ALL-UNNAMED";
    public static final String F8 = "--add-opens=java.base/java.util=ALL-UNNAMED";
    public static final String F9 = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String F10 = "--add-opens=java.base/java.util.zip=ALL-UNNAMED";
    public static final String ANALYTICS_OFF = "-Dchronicle.analytics.disable=true";

    public static final String[] ALL = {F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, ANALYTICS_OFF};

    private BenchFlags()
    {
    }
}
