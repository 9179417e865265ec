package dev.forkline.kernel.export;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An export that meets a damaged record: the events format stops (its output would not import again), the other
 * formats leave out the session it belongs to and count it.
 */
class ExportDamageTest
{
    @TempDir
    Path dir;

    @Test
    void theEventsFormatStopsAtADamagedRecordAndTheOthersLeaveItsSessionOutAndCountIt() throws IOException
    {
        try (Store store = Store.open(dir))
        {
            for (final String session : new String[] {"sound", "damaged"})
            {
                final BranchWriter writer = store.startSession(session);
                writer.append(EventKind.USER, "{\"content\":\"" + (session.equals("damaged") ? "MARKER" : "hello") + "\"}");
                writer.append(EventKind.MODEL_RESPONSE, "{\"content\":\"hi\"}");
            }
        }
        flip("MARKER");
        try (Store store = Store.openReadOnly(dir))
        {
            final ForklineException stopped = assertThrows(ForklineException.class,
                () -> new Exporter(store, new ExportOptions().format(ExportFormat.EVENTS)).export(new ByteArrayOutputStream()));
            assertEquals(ForklineException.Reason.CORRUPT_EVENT, stopped.reason());
            assertTrue(stopped.getMessage().startsWith("export stopped at a damaged record in "), stopped.getMessage());
            assertTrue(stopped.getMessage().contains("checksum mismatch"), stopped.getMessage());

            for (final ExportFormat format : new ExportFormat[] {ExportFormat.OPENAI_CHAT, ExportFormat.SHAREGPT})
            {
                final ExportFixture.Output out = ExportFixture.export(store, new ExportOptions().format(format));
                assertEquals(1, out.summary().damagedRecords(), format.formatName());
                assertEquals(1, out.summary().sessions());
                assertEquals("damaged", out.summary().skipped().get(0).session());
                assertTrue(out.text().contains("hello") && !out.text().contains("MARKER"), out.text());
                assertTrue(out.summary().toString().contains("1 skipped; 1 damaged record"), out.summary().toString());
            }
        }
    }

    private void flip(final String marker) throws IOException
    {
        final byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir.resolve("journal")))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + needle.length <= bytes.length; i++)
                {
                    if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length))
                    {
                        bytes[i] ^= 0x01;
                        Files.write(file, bytes);
                        return;
                    }
                }
            }
        }
        fail("marker not found in the journal");
    }
}
