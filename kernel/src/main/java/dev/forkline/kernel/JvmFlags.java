package dev.forkline.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags Chronicle Queue and Agrona need on Java 17, and the check that they were given.
 * <p>
 * The last two are Agrona's: {@code jdk.internal.misc} for its {@code Unsafe}, and {@code java.util.zip}
 * for the CRC32C intrinsic over off-heap memory that checksums every event.
 * <p>
 * Design note: without these flags Chronicle fails deep inside its own class initialisation with an
 * {@code IllegalAccessError} that names none of them. Checking the module graph first turns that into
 * one message that lists exactly what is missing.
 */
final class JvmFlags
{
    /**
     * Every flag, in the order the launcher, surefire and JMH pass them: the root pom's {@code forkline.jvmFlags},
     * the one source ({@code JvmFlagsAgreeTest} in bench checks that this list agrees with it).
     */
    static final List<String> REQUIRED = List.of(
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens=java.base/java.util.zip=ALL-UNNAMED");

    private static volatile boolean checked;

    private JvmFlags()
    {
    }

    /**
     * @return the required flags this JVM was not started with; empty when all are present. Flags of a
     * module the runtime does not have (a JRE without {@code jdk.compiler}) are not reported.
     */
    static List<String> missing()
    {
        final Module self = JvmFlags.class.getModule();
        final List<String> missing = new ArrayList<>();
        if (self.isNamed())
        {
            return missing; // on the module path the application declares its own opens
        }

        for (final String flag : REQUIRED)
        {
            final boolean open = flag.startsWith("--add-opens=");
            final String spec = flag.substring(flag.indexOf('=') + 1, flag.lastIndexOf('='));
            final String moduleName = spec.substring(0, spec.indexOf('/'));
            final String packageName = spec.substring(spec.indexOf('/') + 1);
            final Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
            if (module.isEmpty())
            {
                continue;
            }
            final boolean granted = open ? module.get().isOpen(packageName, self) :
                module.get().isExported(packageName, self);
            if (!granted)
            {
                missing.add(flag);
            }
        }
        return missing;
    }

    /**
     * Throws {@link ForklineException} with reason {@code MISSING_JVM_FLAGS} when any flag is missing.
     */
    static void check()
    {
        if (checked)
        {
            return;
        }
        final List<String> missing = missing();
        if (!missing.isEmpty())
        {
            throw new ForklineException(
                ForklineException.Reason.MISSING_JVM_FLAGS,
                "Forkline needs JVM flags that were not given (Chronicle Queue and Agrona use JDK internals): " +
                String.join(" ", missing) + "; start the JVM with all of: " + String.join(" ", REQUIRED));
        }
        checked = true;
    }
}
