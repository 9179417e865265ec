package dev.forkline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkline.kernel.Store;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SinksTest
{
    private static final int EVENTS = 3;

    @TempDir
    Path dir;

    private static void record(final Sink sink, final String session, final String text)
    {
        final SinkWriter writer = sink.writer(session);
        for (int i = 0; i < EVENTS; i++)
        {
            writer.append(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), text);
        }
        writer.commit();
    }

    @Test
    void payloadsHaveTheExactSizeAndAreJson() throws Exception
    {
        for (final int size : new int[]{16, 128, 1024, 16384})
        {
            assertEquals(size, Payloads.jsonBytes(size).length);
            assertEquals(size - 14, new ObjectMapper().readTree(Payloads.json(size)).get("content").asText().length());
        }
        assertThrows(IllegalArgumentException.class, () -> Payloads.json(10));
    }

    @Test
    void forklineKeepsEveryEvent()
    {
        final String text = Payloads.json(128);
        try (Sink sink = Sinks.open(Sinks.FORKLINE, dir))
        {
            record(sink, "s", text);
        }
        try (Store store = Store.openReadOnly(dir))
        {
            assertEquals(EVENTS + 1, store.branch("s").length());
            assertEquals(text, store.event("s", EVENTS).payloadAsString());
        }
    }

    @Test
    void chronicleKeepsThePayloadBytes()
    {
        final byte[] json = Payloads.jsonBytes(128);
        try (ChronicleSink sink = (ChronicleSink)Sinks.open(Sinks.CHRONICLE, dir))
        {
            record(sink, "s", Payloads.json(128));
            int count = 0;
            try (ExcerptTailer tailer = sink.queue().createTailer())
            {
                while (true)
                {
                    try (DocumentContext dc = tailer.readingDocument())
                    {
                        if (!dc.isPresent())
                        {
                            break;
                        }
                        assertArrayEquals(json, dc.wire().bytes().toByteArray());
                        count++;
                    }
                }
            }
            assertEquals(EVENTS, count);
        }
    }

    @Test
    void sqliteCommitsEveryEventOrEveryBatch() throws Exception
    {
        for (final String name : List.of(Sinks.SQLITE, Sinks.SQLITE_BATCH, Sinks.SQLITE_SYNC))
        {
            final Path db = Files.createDirectory(dir.resolve(name));
            try (SqliteSink sink = (SqliteSink)Sinks.open(name, db))
            {
                record(sink, "a", Payloads.json(128));
                record(sink, "b", Payloads.json(128));
                try (Statement statement = sink.connection().createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*), max(step) FROM events"))
                {
                    rows.next();
                    assertEquals(2 * EVENTS, rows.getInt(1));
                    assertEquals(EVENTS - 1, rows.getInt(2));
                }
                try (Statement statement = sink.connection().createStatement();
                    ResultSet mode = statement.executeQuery("PRAGMA journal_mode"))
                {
                    mode.next();
                    assertEquals("wal", mode.getString(1));
                }
            }
        }
    }

    @Test
    void jsonLinesWritesOneEnvelopeALine() throws Exception
    {
        final String text = Payloads.json(128);
        try (Sink sink = Sinks.open(Sinks.JSON_LINES, dir))
        {
            record(sink, "s", text);
            final List<String> lines = Files.readAllLines(dir.resolve("events.jsonl"));
            assertEquals(EVENTS, lines.size(), "commit flushes to the file");
            final JsonNode last = new ObjectMapper().readTree(lines.get(EVENTS - 1));
            assertEquals("s", last.get("session").asText());
            assertEquals(EVENTS - 1, last.get("step").asInt());
            assertEquals(new ObjectMapper().readTree(text), last.get("data"));
        }
    }

    @Test
    void syncSinksKeepEveryEvent() throws Exception
    {
        final Path forkline = Files.createDirectory(dir.resolve("forkline"));
        try (Sink sink = Sinks.open(Sinks.FORKLINE_SYNC, forkline))
        {
            record(sink, "s", Payloads.json(128));
        }
        try (Store store = Store.openReadOnly(forkline))
        {
            assertEquals(EVENTS + 1, store.branch("s").length());
        }
        final Path jsonl = Files.createDirectory(dir.resolve("jsonl"));
        try (Sink sink = Sinks.open(Sinks.JSON_LINES_SYNC, jsonl))
        {
            record(sink, "s", Payloads.json(128));
            assertEquals(EVENTS, Files.readAllLines(jsonl.resolve("events.jsonl")).size());
        }
    }

    @Test
    void jsonFilesWritesAFileAnEvent() throws Exception
    {
        try (Sink sink = Sinks.open(Sinks.JSON_FILES, dir))
        {
            record(sink, "s", Payloads.json(128));
        }
        try (Stream<Path> files = Files.list(dir.resolve("s")))
        {
            assertEquals(EVENTS, files.count());
        }
        assertEquals(2, new ObjectMapper().readTree(dir.resolve("s").resolve("2.json").toFile()).get("step").asInt());
    }

    @Test
    void unknownSinkIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> Sinks.open("nosuch", dir));
    }
}
