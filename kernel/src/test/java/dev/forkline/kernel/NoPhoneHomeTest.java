package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.Permission;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Chronicle Queue sends usage analytics unless {@code chronicle.analytics.disable} is set before its classes
 * initialise. These tests run a store in a child JVM whose class path has no JUnit on it (Chronicle mutes
 * itself under JUnit, which would hide the problem) and record every network look-up the JVM attempts.
 */
class NoPhoneHomeTest
{
    @TempDir
    Path dir;

    @TempDir
    Path home;

    /**
     * Opens a store, records a session and closes it, under a security manager that logs and refuses every
     * network look-up. With {@code control} it uses Chronicle Queue directly, without the kernel's guard.
     */
    @SuppressWarnings("removal")
    public static void main(final String[] args) throws Exception
    {
        final boolean control = args.length > 1 && args[1].equals("control");
        final List<String> lookups = new ArrayList<>();
        System.setSecurityManager(new SecurityManager()
        {
            @Override
            public void checkPermission(final Permission perm)
            {
                if (perm instanceof java.net.SocketPermission)
                {
                    synchronized (lookups)
                    {
                        lookups.add(perm.getName());
                    }
                    throw new SecurityException("network access refused in this test: " + perm.getName());
                }
            }

            @Override
            public void checkConnect(final String host, final int port)
            {
                synchronized (lookups)
                {
                    lookups.add(host + ":" + port);
                }
                throw new SecurityException("network access refused in this test: " + host);
            }
        });
        if (control)
        {
            // Chronicle Queue used directly, without the kernel and its guard
            try (net.openhft.chronicle.queue.ChronicleQueue queue =
                net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder.binary(Path.of(args[0])).build();
                net.openhft.chronicle.queue.ExcerptAppender appender = queue.createAppender())
            {
                appender.writeText("hello");
            }
        }
        else
        {
            try (Store store = Store.open(Path.of(args[0])))
            {
                final BranchWriter session = store.startSession("s", "{}");
                session.append(EventKind.USER, "{\"content\":\"hi\"}");
                session.end("done");
            }
        }
        Thread.sleep(2_000); // analytics are sent from a background thread
        synchronized (lookups)
        {
            System.out.println("property=" + System.getProperty("chronicle.analytics.disable"));
            System.out.println("lookups=" + lookups);
        }
    }

    private ChildJvm.Result runChild(final String mode) throws Exception
    {
        final List<String> jvmArgs = new ArrayList<>(JvmFlags.REQUIRED);
        jvmArgs.add("-Djava.security.manager=allow");
        // A home of its own: Chronicle keeps a client id and a once-a-day limit there.
        jvmArgs.add("-Duser.home=" + home);
        final String classPath = ChildJvm.classPath(entry ->
            !entry.contains("junit") && !entry.contains("opentest4j") && !entry.contains("jqwik") &&
            !entry.contains("apiguardian") && !entry.contains("surefire"));
        return ChildJvm.run(ChildJvm.builder(jvmArgs, classPath, NoPhoneHomeTest.class, dir.toString(), mode), 60);
    }

    @Test
    void openingAndWritingAStoreMakesNoNetworkLookup() throws Exception
    {
        final ChildJvm.Result result = runChild("guarded");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("property=true"), result.output());
        assertTrue(result.output().contains("lookups=[]"), result.output());
        try (var files = java.nio.file.Files.list(home))
        {
            assertEquals(List.of(),
                files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".chronicle.analytics")).toList(),
                "no analytics client id or send time written either");
        }
    }

    @Test
    void theDetectorSeesChronicleReachOutWhenTheGuardIsRemoved() throws Exception
    {
        final ChildJvm.Result result = runChild("control");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("property=null"), result.output());
        assertFalse(result.output().contains("lookups=[]"),
            "without the property Chronicle attempts a network look-up, so the detector can fail: " + result.output());
        try (var files = java.nio.file.Files.list(home))
        {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(".chronicle.analytics")));
        }
    }
}
