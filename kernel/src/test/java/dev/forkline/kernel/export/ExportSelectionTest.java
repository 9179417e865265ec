package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.forkline.kernel.export.FormatRules.MAPPER;
import static org.junit.jupiter.api.Assertions.*;

class ExportSelectionTest
{
    @TempDir
    static Path dir;
    private static Store store;

    @BeforeAll
    static void buildStore()
    {
        store = Store.open(dir.resolve("store"));
        ExportFixture.build(store);
    }

    @AfterAll
    static void closeStore()
    {
        store.close();
    }

    private static List<JsonNode> export(final ExportOptions options) throws Exception
    {
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String line : ExportFixture.export(store, options).lines())
        {
            nodes.add(MAPPER.readTree(line));
        }
        return nodes;
    }

    private static List<String> assistantWeights(final JsonNode line)
    {
        final List<String> weights = new ArrayList<>();
        for (final JsonNode message : line.get("messages"))
        {
            if (message.get("role").asText().equals("assistant"))
            {
                weights.add(message.get("content").asText() + "=" + message.get("weight").asInt());
            }
        }
        return weights;
    }

    /** The branch an openai-chat line came from, told by its last assistant message. */
    private static String last(final JsonNode line)
    {
        final JsonNode messages = line.get("messages");
        return messages.get(messages.size() - 1).get("content").asText();
    }

    @Test
    void turnsAbandonedForABetterForkAndTurnsAnnotatedBadHaveWeightZero() throws Exception
    {
        final List<JsonNode> lines = export(new ExportOptions().redact(false));
        assertEquals(List.of("Let me look.=1", "Delete it all.=0", "Done.=0"), assistantWeights(lines.get(0)),
            "s1 continued after forks that did better: its own turns from step 5 on are abandoned");
        assertEquals(List.of("Let me look.=1", "Read it first.=1", "Fixed; deployed with " + ExportFixture.KEY + ".=1"),
            assistantWeights(lines.get(1)));
        assertEquals(List.of("Let me look.=1", "Search.=1", "Half fixed.=1"), assistantWeights(lines.get(2)));
        assertEquals(List.of("A=1", "B=0", "C=1"), assistantWeights(lines.get(4)), "s2@4 is annotated bad");
    }

    @Test
    void formatsWithoutWeightsEndBeforeTheFirstTurnNotToLearn() throws Exception
    {
        final List<JsonNode> lines = export(new ExportOptions().format(ExportFormat.TRL_MESSAGES).session("s2"));
        assertEquals(1, lines.size());
        final JsonNode messages = lines.get(0).get("messages");
        assertEquals(2, messages.size());
        assertEquals("A", messages.get(1).get("content").asText());
    }

    @Test
    void selectsLeavesOrTheBestBranch() throws Exception
    {
        assertEquals(List.of("Fixed; deployed with [REDACTED].", "Half fixed.", "Two files.", "C"),
            export(new ExportOptions().branches(BranchSelection.LEAVES)).stream().map(ExportSelectionTest::last).toList());

        final ExportFixture.Output best = ExportFixture.export(store, new ExportOptions().branches(BranchSelection.BEST));
        assertEquals(1, best.lines().size(), "s2 has no outcome");
        assertEquals("Fixed; deployed with [REDACTED].", last(MAPPER.readTree(best.lines().get(0))),
            "the first of the two branches with reward 1");
        assertEquals(1, best.summary().skippedSessions());
        assertEquals("s2", best.summary().skipped().get(0).session());
    }

    @Test
    void filtersByOutcomeTagsTimeAndSession() throws Exception
    {
        assertEquals(List.of("Fixed; deployed with [REDACTED].", "Two files."),
            export(new ExportOptions().minReward(0.9)).stream().map(ExportSelectionTest::last).toList());
        assertEquals(List.of("Done.", "Half fixed."),
            export(new ExportOptions().maxReward(0.5)).stream().map(ExportSelectionTest::last).toList());
        assertEquals(List.of("Half fixed."),
            export(new ExportOptions().label("partial")).stream().map(ExportSelectionTest::last).toList());
        assertEquals(List.of("C"), export(new ExportOptions().tag("suite", "b")).stream().map(ExportSelectionTest::last).toList());
        assertEquals(List.of("C"), export(new ExportOptions().session("s2")).stream().map(ExportSelectionTest::last).toList());

        final Instant between = Instant.ofEpochSecond(0, ExportFixture.T0 + 1_000_000_000L);
        assertEquals(1, export(new ExportOptions().since(between)).size());
        assertEquals(4, export(new ExportOptions().until(between)).size());
        final ExportSummary summary = ExportFixture.export(store, new ExportOptions().until(between)).summary();
        assertEquals(1, summary.filtered());
        assertEquals(1, summary.sessions());
    }

    @Test
    void preferencePairsComeFromBranchesThatForkAtOneStepAndDifferInOutcome() throws Exception
    {
        final ExportFixture.Output output = ExportFixture.export(store, new ExportOptions().format(ExportFormat.OPENAI_PREFERENCE));
        FormatRules.checkAll(ExportFormat.OPENAI_PREFERENCE, output.lines());
        final List<String> pairs = new ArrayList<>();
        for (final String line : output.lines())
        {
            final JsonNode node = MAPPER.readTree(line);
            final List<String> prompt = node.get("input").get("messages").findValuesAsText("role");
            assertEquals(List.of("system", "user", "assistant", "tool"), prompt, "the shared prefix before step 5");
            pairs.add(node.get("preferred_output").get(0).get("content").asText() + " > " +
                node.get("non_preferred_output").get(0).get("content").asText());
        }
        // s1/3 forks at 4 with another tool result: no common prompt, so no pair with it
        assertEquals(List.of("Read it first. > Delete it all.", "Read it first. > Search.", "Search. > Delete it all."), pairs,
            "each fork in creation order: with its parent, then with its later siblings at the same step");
        assertEquals(3, output.summary().pairs());
        assertEquals(1, output.summary().skippedSessions(), "s2 has no forks");

        final List<String> trl = ExportFixture.export(store, new ExportOptions().format(ExportFormat.TRL_PREFERENCE)).lines();
        FormatRules.checkAll(ExportFormat.TRL_PREFERENCE, trl);
        assertEquals(3, trl.size());
        final JsonNode first = MAPPER.readTree(trl.get(0));
        assertEquals("Read it first.", first.get("chosen").get(0).get("content").asText());
        assertEquals("Delete it all.", first.get("rejected").get(0).get("content").asText());
        assertEquals(4, first.get("prompt").size());
    }
}
