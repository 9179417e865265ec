package dev.forkline.kernel;

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
        assertTrue(lines[0].startsWith("0 session.start "));
        assertTrue(lines[2].startsWith("2 model.response "));
        assertEquals("3 tool.result {\"tool_call_id\":\"call_1\",\"name\":\"ls\",\"content\":\"\",\"error\":false}", lines[3]);
    }

    private static void example(final Path path)
    {
        try (Store store = Store.open(path))
        {
            BranchWriter session = store.startSession("task-42", "{\"agent\":\"my-agent\",\"model\":\"gpt-x\"}");
            session.append(EventKind.USER, "{\"content\":\"How many files are in src?\"}");
            session.append(EventKind.MODEL_RESPONSE,
                "{\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"ls\",\"arguments\":\"{\\\"path\\\":\\\"src\\\"}\"}]}");
            long step = session.append(EventKind.TOOL_RESULT,
                "{\"tool_call_id\":\"call_1\",\"name\":\"ls\",\"content\":\"a.py\\nb.py\",\"error\":false}");
            session.end("done");

            // what if the tool had returned something else at that step?
            BranchWriter fork = store.fork("task-42", step, "empty directory");
            fork.append(EventKind.TOOL_RESULT, "{\"tool_call_id\":\"call_1\",\"name\":\"ls\",\"content\":\"\",\"error\":false}");

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
