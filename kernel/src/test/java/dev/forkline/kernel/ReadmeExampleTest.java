package dev.forkline.kernel;

import dev.forkline.kernel.replay.Message;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Outcome;
import dev.forkline.kernel.replay.RequestHash;
import dev.forkline.kernel.replay.SessionStart;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The library example of README.md, as written there, so that it keeps compiling and doing what it says.
 */
class ReadmeExampleTest
{
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleRecordsForksAndReads()
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            example(dir.resolve("forkline-data"));
        }
        finally
        {
            System.setOut(stdout);
        }
        final String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);
        assertEquals("0 session.start {\"agent\":\"my-agent\",\"model\":\"gpt-x\",\"tools\":[],\"tags\":{}}", lines[0]);
        assertEquals("1 user {\"content\":\"How many files are in src?\"}", lines[1]);
        assertEquals("2 model.response {\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"ls\"," +
            "\"arguments\":\"{\\\"path\\\": \\\"src\\\"}\"}],\"model\":\"gpt-x\"," +
            "\"usage\":{\"prompt_tokens\":812,\"completion_tokens\":25,\"total_tokens\":837}}", lines[2]);
        assertEquals("3 tool.result {\"tool_call_id\":\"call_1\",\"name\":\"ls\",\"content\":\"\",\"error\":false," +
            "\"request_hash\":\"" + RequestHash.ofToolCall("ls", "{\"path\":\"src\"}") + "\"}", lines[3]);
    }

    private static void example(final Path path)
    {
        try (Store store = Store.open(path))
        {
            BranchWriter session = store.startSession("task-42", SessionStart.of("my-agent").withModel("gpt-x"));
            session.append(Message.user("How many files are in src?"));
            ToolCall ls = new ToolCall("call_1", "ls", """
                {"path": "src"}""");
            session.append(ModelTurn.calling(ls).withModel("gpt-x").withUsage(812, 25));
            long step = session.append(ToolResult.event(ls, new ToolResult("a.py\nb.py", false)));
            session.append(ModelTurn.text("Two files.").withModel("gpt-x"));
            session.end("done");
            session.append(Outcome.of(1.0, "correct"));

            // what if the tool had returned something else at that step?
            BranchWriter fork = store.fork("task-42", step, "empty directory");
            fork.append(ToolResult.event(ls, new ToolResult("", false)));

            try (EventCursor cursor = store.read(fork.branch()))
            {
                while (cursor.next())
                {
                    EventView e = cursor.event();
                    System.out.println(e.step() + " " + e.kind().wireName() + " " + e.payloadAsString());
                }
            }
        }
    }
}
