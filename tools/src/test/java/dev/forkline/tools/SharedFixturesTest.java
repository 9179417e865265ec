package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.export.ExportFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real trajectories recorded by other agent projects (see {@link Fixtures#shared()}) import, and export to every
 * format within its rules. Skipped, with the reason, where they are not on the machine.
 */
class SharedFixturesTest
{
    private Path shared;

    @TempDir
    Path dir;

    /**
     * Each test, not the class, is skipped without them, so that the report lists each one as skipped with the reason.
     */
    @BeforeEach
    void findThem()
    {
        shared = Fixtures.shared();
    }

    private String store()
    {
        return dir.resolve("store").toString();
    }

    private List<JsonNode> events(final String branch)
    {
        return Fixtures.events(store(), branch);
    }

    @Test
    void everySweAgentFileImportsWithLinkedResultsAndOutcomes()
    {
        final Path folder = shared.resolve("swe-agent");
        final Cli.Result result = Cli.run("import", "--format", "swe-agent", "--store", store(),
            folder.resolve("function_calling_simple.traj").toString(),
            folder.resolve("sweagenttestrepo-1c2844.traj").toString(),
            folder.resolve("test-repo-i1.traj").toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("in 3 sessions"), result.out());

        final List<JsonNode> newest = events("function_calling_simple");
        assertEquals(5, Fixtures.assertResultsLinked(newest), "five tool messages, five results");
        final List<JsonNode> middle = events("sweagenttestrepo-1c2844");
        assertEquals(4, Fixtures.assertResultsLinked(middle));
        final List<JsonNode> oldest = events("test-repo-i1");
        assertEquals(4, Fixtures.assertResultsLinked(oldest), "the user observations after actions become results");
        assertEquals("user", oldest.get(2).get("kind").asText(), "a demonstration stays a user message");
        assertTrue(oldest.get(2).get("data").get("demo").asBoolean(), "flagged as one");

        for (final List<JsonNode> session : List.of(middle, oldest))
        {
            final JsonNode outcome = session.get(session.size() - 2);
            assertEquals("outcome", outcome.get("kind").asText());
            assertEquals("submitted", outcome.get("data").get("label").asText());
            assertEquals("session.end", session.get(session.size() - 1).get("kind").asText());
        }
        assertEquals("session.start", newest.get(0).get("kind").asText());
        assertEquals(12 + 2, newest.size(), "12 history messages, start and end, no outcome without info");
    }

    @Test
    void everyOpenHandsFileImportsWithLinkedResultsAndTheirTimes()
    {
        final Path folder = shared.resolve("openhands");
        final Cli.Result result = Cli.run("import", "--format", "openhands", "--store", store(),
            folder.resolve("basic.json").toString(), folder.resolve("basic_interactions.json").toString(),
            folder.resolve("wrong_initial_state.json").toString());
        assertEquals(0, result.code(), result.err());

        final List<JsonNode> rename = events("wrong_initial_state");
        assertEquals(3, Fixtures.assertResultsLinked(rename));
        assertEquals("2025-01-27T23:16:50.239610Z", rename.get(0).get("ts").asText());
        assertEquals("claude-3-5-sonnet-20241022", rename.get(0).get("data").get("model").asText());
        assertEquals("finished", rename.get(rename.size() - 1).get("data").get("status").asText());

        final List<JsonNode> chat = events("basic_interactions");
        assertEquals(List.of("session.start", "user", "model.response", "user", "model.response", "user",
            "model.response", "session.end"), Fixtures.kinds(chat));
        assertEquals(1, Fixtures.assertResultsLinked(events("basic")));
    }

    @Test
    void everyFileExportsToEveryFormatWithinItsRules() throws Exception
    {
        FixtureExportTest.importAll(shared, store());
        assertEquals(6, Json.parseOrNull(Cli.run("ls", "--json", "--store", store()).out()).size());
        final java.util.Map<ExportFormat, String> summaries = FixtureExportTest.exportAll(store());
        assertTrue(summaries.get(ExportFormat.OPENAI_CHAT).startsWith("exported 6 examples"), summaries.toString());
        assertTrue(summaries.get(ExportFormat.OPENAI_PREFERENCE).startsWith("exported 0 examples"), "no forks, no pairs");
    }
}
