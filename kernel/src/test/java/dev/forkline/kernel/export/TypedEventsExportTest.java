package dev.forkline.kernel.export;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.Annotation;
import dev.forkline.kernel.replay.Message;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Outcome;
import dev.forkline.kernel.replay.SessionStart;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The typed events write what the exporter reads: the fork tree of {@link ExportFixture}, recorded with typed
 * events instead of hand-written JSON, exports byte for byte as the fixture does, in every training format.
 */
class TypedEventsExportTest
{
    @TempDir
    Path dir;

    private static ModelTurn assistant(final String content, final String id, final String name, final String arguments)
    {
        return new ModelTurn(content, java.util.List.of(new ToolCall(id, name, arguments)), "m", "{\"total_tokens\":9}");
    }

    private static void tool(final BranchWriter writer, final String id, final String name, final String content)
    {
        writer.append(ToolResult.event(new ToolCall(id, name, "{}"), new ToolResult(content, false)));
    }

    static void build(final Store store)
    {
        final BranchWriter s1 = store.startSession("s1", SessionStart.of("demo").withModel("m")
            .withTool("{\"type\":\"function\",\"function\":{\"name\":\"ls\",\"parameters\":{\"type\":\"object\"}}}")
            .withTool("{\"name\":\"cat\",\"parameters\":{\"type\":\"object\"}}")
            .withTag("suite", "a"));
        s1.append(Message.system("You fix bugs."));
        s1.append(Message.user("Fix the bug in a.py"));
        s1.append(assistant("Let me look.", "c1", "ls", "{\"path\":\".\"}"));
        tool(s1, "c1", "ls", "a.py");
        s1.append(assistant("Delete it all.", "c2", "sh", "{\"cmd\":\"rm -rf .\"}"));
        tool(s1, "c2", "sh", "removed");
        s1.append(ModelTurn.text("Done."));
        s1.append(Outcome.of(0, "fail"));

        final BranchWriter f1 = store.fork("s1", 5, "retry");
        f1.append(assistant("Read it first.", "c3", "cat", "{\"file\":\"a.py\"}"));
        tool(f1, "c3", "cat", "print(1/0)");
        f1.append(ModelTurn.text("Fixed; deployed with " + ExportFixture.KEY + "."));
        f1.append(Outcome.of(1, "pass"));

        final BranchWriter f2 = store.fork("s1", 5, "sample");
        f2.append(assistant("Search.", "c4", "grep", "{\"q\":\"bug\"}"));
        tool(f2, "c4", "grep", "a.py:1");
        f2.append(ModelTurn.text("Half fixed."));
        f2.append(Outcome.of(0.5, "partial"));

        final BranchWriter f3 = store.fork("s1", 4, "what if ls showed more");
        tool(f3, "c1", "ls", "a.py b.py");
        f3.append(ModelTurn.text("Two files."));
        f3.append(Outcome.of(1, "pass"));

        final BranchWriter s2 = store.startSession("s2", SessionStart.of("demo").withTag("suite", "b"));
        s2.append(Message.user("hi"));
        s2.append(ModelTurn.text("A"));
        s2.append(Message.user("and?"));
        s2.append(ModelTurn.text("B"));
        s2.append(Message.user("again"));
        s2.append(ModelTurn.text("C"));
        s2.append(Annotation.bad(4, "wrong"));
    }

    @Test
    void typedEventsExportAsTheHandWrittenFixtureDoes()
    {
        try (Store typed = Store.open(dir.resolve("typed")); Store raw = Store.open(dir.resolve("raw")))
        {
            build(typed);
            ExportFixture.build(raw);
            for (final ExportFormat format : ExportFormat.values())
            {
                if (format == ExportFormat.EVENTS)
                {
                    continue; // timestamps and payload bytes differ by design; the messages must not
                }
                final ExportOptions options = new ExportOptions().format(format);
                final ExportFixture.Output expected = ExportFixture.export(raw, options);
                assertFalse(expected.lines().isEmpty(), format.formatName());
                assertEquals(expected.text(), ExportFixture.export(typed, options).text(), format.formatName());
            }
            final ExportOptions best = new ExportOptions().format(ExportFormat.OPENAI_CHAT).branches(BranchSelection.BEST)
                .minReward(1.0).label("pass");
            assertEquals(ExportFixture.export(raw, best).text(), ExportFixture.export(typed, best).text(),
                "typed outcomes select the same branches");
        }
    }
}
