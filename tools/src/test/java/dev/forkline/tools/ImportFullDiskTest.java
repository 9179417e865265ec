package dev.forkline.tools;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An import into a store on a small tmpfs that fills up half-way: it fails with one line, the store reads as it was
 * and verifies, and once there is room again the same import succeeds. Needs permission to mount (root); skipped
 * elsewhere.
 */
class ImportFullDiskTest
{
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private Path mount;

    @BeforeEach
    void mountSmallFileSystem() throws Exception
    {
        mount = Files.createTempDirectory("forkline-import-full");
        final Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mount.toString())
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

    private static String events(final String prefix, final int sessions, final int padding)
    {
        final StringBuilder text = new StringBuilder();
        for (int s = 0; s < sessions; s++)
        {
            final String session = prefix + s;
            text.append("{\"session\":\"").append(session).append("\",\"branch\":\"").append(session)
                .append("\",\"step\":0,\"kind\":\"session.start\",\"ts\":\"2026-11-29T17:00:00Z\",\"data\":{}}\n");
            for (int step = 1; step < 40; step++)
            {
                text.append("{\"session\":\"").append(session).append("\",\"branch\":\"").append(session)
                    .append("\",\"step\":").append(step).append(",\"kind\":\"user\",\"ts\":\"2026-11-29T17:00:01Z\",")
                    .append("\"data\":{\"content\":\"").append("x".repeat(padding)).append("\"}}\n");
            }
        }
        return text.toString();
    }

    private static String export(final String store)
    {
        final Cli.Result export = Cli.run("export", "--format", "events", "--store", store);
        assertEquals(0, export.code(), export.err());
        return export.out();
    }

    @Test
    void anImportThatFillsTheDiskChangesNothingAndSucceedsOnceThereIsRoom() throws IOException
    {
        final String store = mount.resolve("store").toString();
        final Path earlier = dir.resolve("earlier.jsonl");
        Files.writeString(earlier, events("earlier-", 3, 100));
        assertEquals(0, Cli.run("import", "--format", "events", "--store", store, earlier.toString()).code());
        final String before = export(store);

        // leave about 8 MiB above the store's reserve of 128 MiB; the import needs about 15
        final Path filler = mount.resolve("filler");
        final long free = Files.getFileStore(mount).getUsableSpace();
        try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw"))
        {
            final byte[] block = new byte[(int)MIB];
            for (long written = 0; written < free - 136 * MIB; written += MIB)
            {
                file.write(block);
            }
        }
        final Path big = dir.resolve("big.jsonl");
        Files.writeString(big, events("big-", 600, 600));

        final Cli.Result failed = Cli.run("import", "--format", "events", "--store", store, big.toString());
        assertNotEquals(0, failed.code());
        assertTrue(failed.err().startsWith("forkline: disk full: "), failed.err());
        assertEquals(1, failed.err().lines().count(), "one line: " + failed.err());
        assertEquals(before, export(store), "a failed import leaves the store as it was");
        final Cli.Result verify = Cli.run("verify", "--store", store);
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertTrue(verify.out().contains("ROLLED BACK batch: "), verify.out());

        Files.delete(filler);
        final Cli.Result again = Cli.run("import", "--format", "events", "--store", store, big.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(before + Files.readString(big), export(store));
        final Cli.Result after = Cli.run("verify", "--store", store);
        assertEquals(0, after.code(), after.out());
    }
}
