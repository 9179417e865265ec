package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventFlags;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.JournalCursor;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.forkline.kernel.export.FormatRules.MAPPER;
import static org.junit.jupiter.api.Assertions.*;

class ExportEventsTest
{
    @Test
    void writesEveryEventInJournalOrderWithItsPayloadVerbatim(@TempDir final Path dir) throws Exception
    {
        try (Store store = Store.open(dir))
        {
            ExportFixture.build(store);
            final BranchWriter s3 = store.startSession("s3", null, ExportFixture.T0);
            s3.append(EventKind.USER, EventFlags.IMPORTED, ExportFixture.T0 + 123_456_000L, "{ \"content\" : \"spaced\" }");
            s3.append(EventKind.EFFECT, new byte[] {0, (byte)0xff, 10});
            s3.append(EventKind.EFFECT, "{\n\"pretty\": true\n}");
            store.commit();

            final ExportFixture.Output out = ExportFixture.export(store, new ExportOptions().format(ExportFormat.EVENTS).redact(false));
            FormatRules.checkAll(ExportFormat.EVENTS, out.lines());

            final List<String> expected = new ArrayList<>();
            try (JournalCursor cursor = store.readJournal())
            {
                while (cursor.next())
                {
                    expected.add(cursor.event().branch() + "@" + cursor.event().step() + " " + cursor.event().kind().wireName());
                }
            }
            final List<String> actual = new ArrayList<>();
            for (final String line : out.lines())
            {
                final JsonNode node = MAPPER.readTree(line);
                actual.add(node.get("branch").asText() + "@" + node.get("step").asText() + " " + node.get("kind").asText());
            }
            assertEquals(expected, actual);

            final List<String> lines = out.lines();
            assertTrue(lines.contains("{\"session\":\"s1\",\"branch\":\"s1/1\",\"step\":5,\"kind\":\"fork\"," +
                "\"ts\":\"" + MAPPER.readTree(lines.get(indexOf(lines, "\"kind\":\"fork\""))).get("ts").asText() +
                "\",\"data\":{\"parent\":\"s1\",\"at\":5,\"reason\":\"retry\"}}"));
            assertTrue(indexOf(lines, "\"branch\":\"s1/1\",\"step\":5,\"kind\":\"fork\"") > indexOf(lines, "\"branch\":\"s1\",\"step\":4,"),
                "a fork's line comes after the parent events it shares");
            assertEquals("{\"session\":\"s3\",\"branch\":\"s3\",\"step\":1,\"kind\":\"user\",\"ts\":\"2023-11-14T22:13:20.123456Z\"," +
                "\"flags\":2,\"data\":{ \"content\" : \"spaced\" }}", lines.get(lines.size() - 3));
            assertArrayEquals(new byte[] {0, (byte)0xff, 10},
                Base64.getDecoder().decode(MAPPER.readTree(lines.get(lines.size() - 2)).get("data_base64").asText()));
            assertEquals("{\n\"pretty\": true\n}", new String(Base64.getDecoder().decode(
                MAPPER.readTree(lines.get(lines.size() - 1)).get("data_base64").asText()), StandardCharsets.UTF_8),
                "a payload with line breaks keeps its bytes and the line stays one line");
            assertTrue(out.text().contains(ExportFixture.KEY));
        }
    }

    @Test
    void exportsOnlyTheSelectedSessionsAndRedactsInsideTheJson(@TempDir final Path dir) throws Exception
    {
        try (Store store = Store.open(dir))
        {
            ExportFixture.build(store);
            final ExportFixture.Output s1 = ExportFixture.export(store,
                new ExportOptions().format(ExportFormat.EVENTS).session("s1"));
            for (final String line : s1.lines())
            {
                assertEquals("s1", MAPPER.readTree(line).get("session").asText());
            }
            assertEquals(1, s1.summary().redactions());
            assertTrue(s1.text().contains("deployed with [REDACTED]."));

            final ExportFixture.Output passing = ExportFixture.export(store,
                new ExportOptions().format(ExportFormat.EVENTS).label("pass"));
            assertEquals(s1.bytes().length, passing.bytes().length, "s2 has no passing branch");
            assertEquals(1, passing.summary().filtered());
        }
    }

    private static int indexOf(final List<String> lines, final String part)
    {
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).contains(part))
            {
                return i;
            }
        }
        return -1;
    }
}
