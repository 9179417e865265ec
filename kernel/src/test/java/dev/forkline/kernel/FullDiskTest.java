package dev.forkline.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A store on a small tmpfs that fills up: appends stop with a clear error before the mapped journal can
 * fault, and the store stays readable. Needs permission to mount (root); skipped elsewhere.
 */
class FullDiskTest
{
    private static final long MIB = 1024 * 1024;

    private Path mount;

    @BeforeEach
    void mountSmallFileSystem() throws Exception
    {
        mount = Files.createTempDirectory("forkline-full");
        final Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        final boolean mounted = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here: " + new String(process.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception // lazily: Chronicle releases its mappings in the background
    {
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
        Files.deleteIfExists(mount);
    }

    @Test
    void appendsStopWithAClearErrorAndTheStoreStaysReadable() throws IOException
    {
        final Path dir = mount.resolve("store");
        final String pad = "x".repeat(4_000);
        long committed = -1;
        ForklineException failure = null;
        final Store store = Store.open(dir, new StoreOptions().minFreeDisk(32 * MIB));
        try
        {
            final BranchWriter session = store.startSession("s", (String)null);
            for (long i = 0; i < 1_000_000 && failure == null; i++)
            {
                try
                {
                    final long step = session.append(EventKind.EFFECT, "{\"n\":" + i + ",\"pad\":\"" + pad + "\"}");
                    if (i % 100 == 99)
                    {
                        session.commit();
                        committed = step;
                    }
                }
                catch (final ForklineException ex)
                {
                    failure = ex;
                }
            }
        }
        finally
        {
            try
            {
                store.close();
            }
            catch (final ForklineException ex)
            {
                assertEquals(ForklineException.Reason.DISK_FULL, ex.reason());
            }
        }
        assertNotNull(failure, "the disk never filled");
        assertEquals(ForklineException.Reason.DISK_FULL, failure.reason());
        assertTrue(failure.getMessage().startsWith("disk full: "), failure.getMessage());
        assertTrue(failure.getMessage().contains("the store keeps 32 MiB in reserve"), failure.getMessage());
        assertTrue(committed > 1_000, "wrote a good part of the disk first: " + committed);

        try (Store reader = Store.openReadOnly(dir))
        {
            assertTrue(reader.branch("s").length() > committed);
            assertEquals("{\"n\":" + (committed - 1) + ",\"pad\":\"" + pad + "\"}", reader.event("s", committed).payloadAsString());
            final VerifyReport report = reader.verify();
            assertTrue(report.ok(), report.toString());
        }
        final ForklineException reopen = assertThrows(ForklineException.class,
            () -> Store.open(dir, new StoreOptions().minFreeDisk(32 * MIB)));
        assertEquals(ForklineException.Reason.DISK_FULL, reopen.reason(), "a writer does not open on a full disk");
    }
}
