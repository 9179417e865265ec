package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class JvmFlagsTest
{
    @TempDir
    Path dir;

    /** Opens a store in a JVM started without the flags and prints what it was told. */
    public static void main(final String[] args)
    {
        try (Store store = Store.open(Path.of(args[0])))
        {
            System.out.println("opened " + store.directory());
        }
        catch (final ForklineException ex)
        {
            System.out.println(ex.reason() + ": " + ex.getMessage());
            System.exit(3);
        }
    }

    @Test
    void thisJvmHasEveryFlag()
    {
        assertEquals(List.of(), JvmFlags.missing());
    }

    @Test
    void withoutTheFlagsOpeningAStoreFailsWithAMessageThatListsThem() throws Exception
    {
        final ChildJvm.Result result = ChildJvm.run(
            ChildJvm.builder(List.of(), ChildJvm.classPath(entry -> true), JvmFlagsTest.class, dir.toString()), 60);
        assertEquals(3, result.exitCode(), result.output());
        assertTrue(result.output().startsWith("MISSING_JVM_FLAGS: Forkline needs JVM flags that were not given"),
            result.output());
        final String[] parts = result.output().trim().split("; start the JVM with all of: ");
        assertEquals(2, parts.length, result.output());
        assertEquals(String.join(" ", JvmFlags.REQUIRED), parts[1], "the whole list, to copy");
        for (final String flag : JvmFlags.REQUIRED)
        {
            // sun.misc is exported by jdk.unsupported anyway; every other flag is really missing here
            assertEquals(!flag.contains("sun.misc"), parts[0].contains(flag), flag + " named as missing: " + parts[0]);
        }
        assertFalse(result.output().contains("\tat "), "no stack trace: " + result.output());
    }

    @Test
    void withSomeFlagsOnlyTheMissingOnesAreListed() throws Exception
    {
        final List<String> given = JvmFlags.REQUIRED.subList(0, 5);
        final ChildJvm.Result result = ChildJvm.run(
            ChildJvm.builder(given, ChildJvm.classPath(entry -> true), JvmFlagsTest.class, dir.toString()), 60);
        assertEquals(3, result.exitCode(), result.output());
        final String missingPart = result.output().split("; start the JVM with all of: ")[0];
        for (final String flag : JvmFlags.REQUIRED)
        {
            assertEquals(!given.contains(flag), missingPart.contains(flag), flag + " in " + missingPart);
        }
    }
}
