package dev.forkline.kernel.export;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the fork tree the export tests share.
 * <pre>
 * s1   0 start, 1 system, 2 user, 3 assistant(ls c1), 4 tool c1, 5 assistant(rm c2), 6 tool c2, 7 assistant, 8 outcome 0
 * s1/1 forks s1 at 5: 5 assistant(cat c3), 6 tool c3, 7 assistant (holds a key), 8 outcome 1 "pass"
 * s1/2 forks s1 at 5: 5 assistant(grep c4), 6 tool c4, 7 assistant, 8 outcome 0.5
 * s1/3 forks s1 at 4: 4 tool c1 (a different result), 5 assistant, 6 outcome 1 "pass"
 * s2   0 start, 1 user, 2 assistant A, 3 user, 4 assistant B, 5 user, 6 assistant C, 7 annotation of 4 "bad"
 * </pre>
 */
final class ExportFixture
{
    static final String KEY = "sk-abcdefghijklmnopqrstuvwxyz0123456789";
    static final long T0 = 1_700_000_000_000_000_000L;

    private ExportFixture()
    {
    }

    static void build(final Store store)
    {
        final BranchWriter s1 = store.startSession("s1",
            "{\"agent\":\"demo\",\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"ls\"," +
            "\"parameters\":{\"type\":\"object\"}}},{\"name\":\"cat\",\"parameters\":{\"type\":\"object\"}}]," +
            "\"tags\":{\"suite\":\"a\"}}", T0);
        s1.append(EventKind.SYSTEM, "{\"content\":\"You fix bugs.\"}");
        s1.append(EventKind.USER, "{\"content\":\"Fix the bug in a.py\"}");
        s1.append(EventKind.MODEL_RESPONSE, assistant("Let me look.", "c1", "ls", "{\\\"path\\\":\\\".\\\"}"));
        s1.append(EventKind.TOOL_RESULT, tool("c1", "ls", "a.py"));
        s1.append(EventKind.MODEL_RESPONSE, assistant("Delete it all.", "c2", "sh", "{\\\"cmd\\\":\\\"rm -rf .\\\"}"));
        s1.append(EventKind.TOOL_RESULT, tool("c2", "sh", "removed"));
        s1.append(EventKind.MODEL_RESPONSE, "{\"content\":\"Done.\",\"tool_calls\":[]}");
        s1.append(EventKind.OUTCOME, "{\"reward\":0,\"label\":\"fail\"}");

        final BranchWriter f1 = store.fork("s1", 5, "retry");
        f1.append(EventKind.MODEL_RESPONSE, assistant("Read it first.", "c3", "cat", "{\\\"file\\\":\\\"a.py\\\"}"));
        f1.append(EventKind.TOOL_RESULT, tool("c3", "cat", "print(1/0)"));
        f1.append(EventKind.MODEL_RESPONSE, "{\"content\":\"Fixed; deployed with " + KEY + ".\"}");
        f1.append(EventKind.OUTCOME, "{\"reward\":1,\"label\":\"pass\"}");

        final BranchWriter f2 = store.fork("s1", 5, "sample");
        f2.append(EventKind.MODEL_RESPONSE, assistant("Search.", "c4", "grep", "{\\\"q\\\":\\\"bug\\\"}"));
        f2.append(EventKind.TOOL_RESULT, tool("c4", "grep", "a.py:1"));
        f2.append(EventKind.MODEL_RESPONSE, "{\"content\":\"Half fixed.\"}");
        f2.append(EventKind.OUTCOME, "{\"reward\":0.5,\"label\":\"partial\"}");

        final BranchWriter f3 = store.fork("s1", 4, "what if ls showed more");
        f3.append(EventKind.TOOL_RESULT, tool("c1", "ls", "a.py b.py"));
        f3.append(EventKind.MODEL_RESPONSE, "{\"content\":\"Two files.\"}");
        f3.append(EventKind.OUTCOME, "{\"reward\":1,\"label\":\"pass\"}");

        final BranchWriter s2 = store.startSession("s2", "{\"agent\":\"demo\",\"tags\":{\"suite\":\"b\"}}", T0 + 3_600_000_000_000L);
        s2.append(EventKind.USER, "{\"content\":\"hi\"}");
        s2.append(EventKind.MODEL_RESPONSE, "{\"content\":\"A\"}");
        s2.append(EventKind.USER, "{\"content\":\"and?\"}");
        s2.append(EventKind.MODEL_RESPONSE, "{\"content\":\"B\"}");
        s2.append(EventKind.USER, "{\"content\":\"again\"}");
        s2.append(EventKind.MODEL_RESPONSE, "{\"content\":\"C\"}");
        s2.append(EventKind.ANNOTATION, "{\"step\":4,\"label\":\"bad\",\"note\":\"wrong\"}");
        store.commit();
    }

    static String assistant(final String content, final String id, final String name, final String arguments)
    {
        return "{\"content\":\"" + content + "\",\"tool_calls\":[{\"id\":\"" + id + "\",\"name\":\"" + name +
            "\",\"arguments\":\"" + arguments + "\"}],\"model\":\"m\",\"usage\":{\"total_tokens\":9},\"request_hash\":\"h\"}";
    }

    static String tool(final String id, final String name, final String content)
    {
        return "{\"tool_call_id\":\"" + id + "\",\"name\":\"" + name + "\",\"content\":\"" + content + "\",\"error\":false}";
    }

    record Output(ExportSummary summary, byte[] bytes)
    {
        List<String> lines()
        {
            final String text = new String(bytes, StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
        }

        String text()
        {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static Output export(final Store store, final ExportOptions options)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ExportSummary summary = new Exporter(store, options).export(out);
        return new Output(summary, out.toByteArray());
    }
}
