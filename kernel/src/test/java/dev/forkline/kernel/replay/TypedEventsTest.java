package dev.forkline.kernel.replay;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.export.ExportFormat;
import dev.forkline.kernel.export.ExportOptions;
import dev.forkline.kernel.export.Exporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The typed events: the payloads they write, the fields they reject (with a message naming the field), and the
 * optional token fields of a model turn, kept through recording, replay and the events export.
 */
class TypedEventsTest
{
    private static final String LS = "{\"name\":\"ls\",\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}";

    @TempDir
    Path dir;

    @Test
    void eachTypedEventWritesThePayloadTheKernelReads()
    {
        assertEquals("{\"agent\":\"a\",\"model\":\"gpt-x\",\"tools\":[" + LS + "],\"tags\":{\"k\":\"v\",\"suite\":\"swe\"}}",
            SessionStart.of("a").withModel("gpt-x").withTool(LS.replace(",", ", ")).withTag("suite", "swe").withTag("k", "v").toJson());
        assertEquals("{\"agent\":\"a\",\"tools\":[],\"tags\":{}}", SessionStart.of("a").toJson());
        assertEquals("{\"content\":\"say \\\"hi\\\"\"}", Message.user("say \"hi\"").toJson());
        assertEquals(EventKind.SYSTEM, Message.system("be brief").kind());
        final ToolCall ls = new ToolCall("call_1", "ls", "{\"path\":\"src\"}");
        assertEquals("{\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"ls\",\"arguments\":\"{\\\"path\\\":\\\"src\\\"}\"}]," +
            "\"model\":\"gpt-x\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7},\"finish_reason\":\"tool_calls\"}",
            ModelTurn.calling(ls).withModel("gpt-x").withUsage(3, 4).withFinishReason("tool_calls").toJson());
        assertEquals("{\"tool_call_id\":\"call_1\",\"name\":\"ls\",\"content\":\"a.py\",\"error\":false,\"request_hash\":\"" +
            RequestHash.ofToolCall("ls", "{\"path\":\"src\"}") + "\"}", ToolResult.event(ls, new ToolResult("a.py", false)).toJson());
        assertEquals("{\"name\":\"http.get\",\"request\":{\"url\":\"u\"},\"response\":{\"status\":200},\"request_hash\":\"" +
            RequestHash.of("{\"url\":\"u\"}") + "\"}", new Effect("http.get", "{ \"url\": \"u\" }", "{\"status\": 200}").toJson());
        assertEquals("{\"reward\":1.0,\"label\":\"pass\"}", Outcome.of(1, "pass").toJson());
        assertEquals("{\"reward\":-0.5}", Outcome.of(-0.5).toJson());
        assertEquals("{\"label\":\"timeout\"}", new Outcome(Double.NaN, "timeout").toJson());
        assertEquals("{\"step\":3,\"label\":\"bad\",\"note\":\"wrong file\"}", Annotation.bad(3, "wrong file").toJson());
        assertEquals("{\"step\":3,\"label\":\"good\"}", Annotation.good(3, null).toJson());
    }

    @Test
    void typedEventsRejectWhatTheKernelWouldMisreadNamingTheField()
    {
        rejects("session.start agent must not be null or blank", () -> SessionStart.of(" "));
        rejects("session.start tools[1] needs a \"name\" (or a \"function\" with one): {\"parameters\":{}}",
            () -> SessionStart.of("a").withTool(LS).withTool("{\"parameters\":{}}"));
        rejects("session.start tools[0] is not a JSON text: {\"name\":", () -> SessionStart.of("a").withTool("{\"name\":"));
        rejects("session.start tools[0] must be a JSON object: [1]", () -> SessionStart.of("a").withTool("[1]"));
        rejects("session.start tools[0] \"parameters\" must be a JSON object (a JSON schema)",
            () -> SessionStart.of("a").withTool("{\"type\":\"function\",\"function\":{\"name\":\"ls\",\"parameters\":\"none\"}}"));
        rejects("session.start tags need a key and a value: suite=null", () -> SessionStart.of("a").withTag("suite", null));
        rejects("a message is a user or system event, not clock", () -> new Message(EventKind.CLOCK, "x"));
        rejects("message content must not be null", () -> Message.user(null));
        rejects("usage must be a JSON object: 12", () -> ModelTurn.text("x").withUsage("12"));
        rejects("model turn toolCalls[0] is null", () -> ModelTurn.calling((ToolCall)null));
        rejects("tokens promptTokenIds[1] must be a token id (0 or more): -3", () -> Tokens.of(null, new int[]{1, -3}, null, null));
        rejects("tokens completionLogprobs[0] must be a finite number: NaN", () -> Tokens.of(null, null, null, new double[]{Double.NaN}));
        rejects("tokens completionLogprobs has 1 values for 2 completion token ids",
            () -> Tokens.of(null, null, new int[]{5, 6}, new double[]{-0.1}));
        rejects("effect request is not a JSON text: url=u", () -> new Effect("http.get", "url=u", "{}"));
        rejects("effect name must not be null or empty", () -> new Effect("", "{}", "{}"));
        rejects("outcome reward must be finite (NaN for none): Infinity", () -> Outcome.of(Double.POSITIVE_INFINITY));
        rejects("an outcome needs a reward or a label", () -> new Outcome(Double.NaN, null));
        rejects("annotation label must be \"good\" or \"bad\", not \"Bad\"", () -> new Annotation(1, "Bad", null));
        rejects("annotation step must not be negative: -1", () -> Annotation.good(-1, null));
        rejects("an annotation needs a label or a note", () -> new Annotation(1, null, null));
    }

    @Test
    void rawOutcomesAndAnnotationsAreCheckedAsTheExporterReadsThem()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter writer = store.startSession("t", SessionStart.of("a"));
            writer.append(Message.user("hi"));
            rejects("outcome payload must be a JSON object, not reward=1", () -> writer.append(EventKind.OUTCOME, "reward=1"));
            rejects("outcome \"reward\" must be a finite number (or null for none), not 1",
                () -> writer.append(EventKind.OUTCOME, "{\"reward\":\"1\"}"));
            rejects("outcome \"reward\" must be a finite number (or null for none), not 1e400",
                () -> writer.append(EventKind.OUTCOME, "{\"reward\":1e400}"));
            rejects("outcome \"label\" must be a string, not a number", () -> writer.append(EventKind.OUTCOME, "{\"reward\":1,\"label\":2}"));
            rejects("outcome needs a \"reward\" (a number) or a \"label\": {\"score\":1}",
                () -> writer.append(EventKind.OUTCOME, "{\"score\":1}"));
            rejects("annotation \"label\" must be \"good\" or \"bad\", not BAD",
                () -> writer.append(EventKind.ANNOTATION, "{\"step\":1,\"label\":\"BAD\"}"));
            rejects("annotation \"step\" must name an earlier step of the branch (0..1), not 2",
                () -> writer.append(Annotation.bad(2, null)));
            rejects("annotation \"step\" must be a whole number, not 1.5",
                () -> writer.append(EventKind.ANNOTATION, "{\"step\":1.5,\"label\":\"bad\"}"));
            rejects("annotation needs a \"step\": the step it judges", () -> writer.append(EventKind.ANNOTATION, "{\"label\":\"bad\"}"));
            rejects("session.start events are written by Store.startSession and Store.fork, not appended",
                () -> writer.append(SessionStart.of("b")));
            rejects("a session starts with a session.start event, not outcome", () -> store.startSession("u", Outcome.of(1)));
            assertEquals(2, store.branch("t").length(), "nothing rejected was appended");

            writer.append(EventKind.OUTCOME, "{\"reward\":null,\"label\":\"timeout\",\"extra\":{\"a\":[1]}}");
            writer.append(Annotation.bad(1, "off topic"));
            writer.append(Outcome.of(1, "pass"));
            assertEquals("{\"reward\":1.0,\"label\":\"pass\"}", store.branch("t").outcome());
        }
    }

    @Test
    void tokenFieldsAreKeptThroughRecordingReplayAndTheEventsExport()
    {
        final Tokens tokens = Tokens.of("llama-3-chat@8d1f", new int[]{128000, 9906, 0}, new int[]{13347, 128009},
            new double[]{-0.0, -1.2345678901234567E-5});
        final ModelTurn turn = ModelTurn.text("Hello").withModel("llama-3-8b").withFinishReason("stop").withTokens(tokens);
        try (Store store = Store.open(dir))
        {
            try (Recorder live = Recorder.live(store.startSession("t", SessionStart.of("a"))))
            {
                assertSame(turn, live.model("{\"messages\":[]}", request -> turn));
            }
            final String payload = store.event("t", 1).payloadAsString();
            assertTrue(payload.contains("\"finish_reason\":\"stop\",\"tokenizer\":\"llama-3-chat@8d1f\"," +
                "\"prompt_token_ids\":[128000,9906,0],\"completion_token_ids\":[13347,128009]," +
                "\"completion_logprobs\":[-0.0,-1.2345678901234568E-5]"), payload);
            try (Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                final ModelTurn replayed = replay.model("{\"messages\":[]}", request -> fail("no live call"));
                assertEquals(turn, replayed);
                assertEquals(Double.doubleToRawLongBits(-0.0),
                    Double.doubleToRawLongBits(replayed.tokens().completionLogprobs().get(0)));
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Exporter(store, new ExportOptions().format(ExportFormat.EVENTS).redact(false)).export(out);
            final List<String> lines = Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n"));
            assertEquals(2, lines.size(), out.toString(StandardCharsets.UTF_8));
            assertTrue(lines.get(1).endsWith(",\"data\":" + payload + "}"), "the events format keeps the payload as it is: " + lines.get(1));
        }
        assertNull(ModelTurn.text("x").tokens(), "never required");
        assertEquals(Map.of(), SessionStart.of("a").tags());
    }

    private static void rejects(final String message, final Executable call)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, ex.getMessage());
    }
}
