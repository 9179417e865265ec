package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.export.ExportFormat;
import dev.forkline.kernel.export.FormatRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The project's trajectories of every import format import, and export to every format with lines that keep that
 * format's rules ({@link FormatRules}); the summary says what was changed for that.
 */
class FixtureExportTest
{
    @TempDir
    Path dir;

    private String store()
    {
        return dir.resolve("store").toString();
    }

    /**
     * Imports every file of the project's fixtures, format by format.
     */
    static void importAll(final Path fixtures, final String store) throws Exception
    {
        for (final String format : ImportCommand.FORMATS)
        {
            final Path folder = fixtures.resolve(format);
            if (!Files.isDirectory(folder))
            {
                continue;
            }
            final List<String> args = new ArrayList<>(List.of("import", "--format", format, "--store", store));
            try (Stream<Path> files = Files.list(folder))
            {
                files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".md")).sorted()
                    .forEach(f -> args.add(f.toString()));
            }
            final Cli.Result result = Cli.run(args.toArray(String[]::new));
            assertEquals(0, result.code(), format + ": " + result.err());
        }
    }

    /**
     * Exports every format and checks its lines.
     *
     * @return the summary line of each format, by format.
     */
    static java.util.Map<ExportFormat, String> exportAll(final String store)
    {
        final java.util.Map<ExportFormat, String> summaries = new java.util.EnumMap<>(ExportFormat.class);
        for (final ExportFormat format : ExportFormat.values())
        {
            final Cli.Result result = Cli.run("export", "--format", format.formatName(), "--store", store);
            assertEquals(0, result.code(), result.err());
            FormatRules.checkAll(format, result.lines());
            summaries.put(format, result.err());
        }
        return summaries;
    }

    @Test
    void everyFixtureExportsToEveryFormatWithinItsRules() throws Exception
    {
        importAll(Fixtures.PROJECT, store());
        assertEquals(11, Json.parseOrNull(Cli.run("ls", "--json", "--store", store()).out()).size());

        final java.util.Map<ExportFormat, String> summaries = exportAll(store());
        assertTrue(summaries.get(ExportFormat.OPENAI_CHAT).startsWith("exported 12 examples (openai-chat)"), summaries.toString());
        assertTrue(summaries.get(ExportFormat.OPENAI_PREFERENCE).contains("1 preference pair"), "the forked session gives a pair");
        for (final ExportFormat format : List.of(ExportFormat.OPENAI_CHAT, ExportFormat.TRL_MESSAGES, ExportFormat.SHAREGPT))
        {
            assertTrue(summaries.get(format).contains("empty contents filled"), summaries.get(format));
        }
        assertTrue(summaries.get(ExportFormat.OPENAI_CHAT).contains("tool call ids renamed"), summaries.get(ExportFormat.OPENAI_CHAT));
        assertTrue(summaries.get(ExportFormat.SHAREGPT).contains("turns merged"), summaries.get(ExportFormat.SHAREGPT));
        assertFalse(summaries.get(ExportFormat.EVENTS).contains("changed"), "the events format changes nothing");
    }

    @Test
    void theEventsFormatGivesBackTheSameBytes() throws Exception
    {
        importAll(Fixtures.PROJECT, store());
        final Cli.Result events = Cli.run("export", "--format", "events", "--no-redact", "--store", store());
        final Path file = dir.resolve("events.jsonl");
        Files.writeString(file, events.out());
        final String other = dir.resolve("other").toString();
        assertEquals(0, Cli.run("import", "--format", "events", file.toString(), "--store", other).code());
        assertEquals(events.out(), Cli.run("export", "--format", "events", "--no-redact", "--store", other).out(),
            "events export, import, export: the same bytes");

        final Path fixture = Fixtures.project("events", "forked-session.jsonl");
        final String third = dir.resolve("third").toString();
        assertEquals(0, Cli.run("import", "--format", "events", fixture.toString(), "--store", third).code());
        assertEquals(Files.readString(fixture), Cli.run("export", "--format", "events", "--no-redact", "--store", third).out(),
            "the events fixture, imported and exported, is the same file");
    }

    @Test
    void reusedIdsBecomeUniqueInEveryLineAndResultsFollowTheirCall() throws Exception
    {
        assertEquals(0, Cli.run("import", "--format", "events", "--store", store(),
            Fixtures.project("events", "forked-session.jsonl").toString()).code());
        final Cli.Result chat = Cli.run("export", "--format", "openai-chat", "--session", "triage-7", "--store", store());
        final JsonNode fork = Json.parseOrNull(chat.lines().get(1));
        final List<String> ids = new ArrayList<>();
        for (final JsonNode message : fork.get("messages"))
        {
            message.path("tool_calls").forEach(call -> ids.add(call.get("id").asText()));
        }
        assertEquals(List.of("call_0", "call_0_2", "call_0_3", "call_0_4"), ids, "recorded as call_0 four times");
        assertEquals("call_0_3", fork.get("messages").get(7).get("tool_call_id").asText());
        assertEquals("(no output)", fork.get("messages").get(7).get("content").asText());
        assertTrue(chat.err().contains("changed: 2 empty contents filled, 4 tool call ids renamed"), chat.err());
    }
}
