package dev.forkline.langchain4j;

import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergenceException;
import dev.forkline.kernel.replay.DivergencePolicy;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolResult;
import dev.forkline.testkit.CalculatorScript;
import dev.forkline.testkit.ModelTestServer;
import dev.langchain4j.service.AiServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An AI service with {@code @Tool} methods, on LangChain4j's real OpenAI client against the local test server:
 * recorded, replayed with the server stopped and no tool run, diverging, and forked at a tool result.
 */
class AiServiceReplayTest
{
    private static final String QUESTION = "What is 2 + 3 and 7 / 0?";
    private static final String ANSWER = "Results: 5, cannot divide 7 by zero.";

    @TempDir
    Path dir;

    private String record(final Store store, final String session, final String question) throws Exception
    {
        try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
             ForklineSession recording = ForklineSession.record(store, session))
        {
            final Calculator calculator = new Calculator();
            final Models.Assistant assistant = recording.aiServices(Models.Assistant.class)
                .chatModel(Models.openAi(server.openAiBaseUrl()))
                .tools(calculator)
                .build();
            final String answer = assistant.chat(question);
            recording.end("done");
            assertEquals(2, server.requestCount(), "two model calls: tool calls, then the answer");
            assertEquals(2, calculator.executions.get());
            return answer + "|" + server.openAiBaseUrl();
        }
    }

    @Test
    void replaysTheAgentWithTheServerStoppedAndNoToolRun() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String[] recorded = record(store, "calc", QUESTION).split("\\|");
            assertEquals(ANSWER, recorded[0], "the throwing tool's message reached the model");

            final List<String> events = Events.of(store, "calc");
            assertEquals(6, events.size(), String.join("\n", events));
            assertTrue(events.get(1).startsWith("1 model.response"));
            assertTrue(events.get(1).contains("\"name\":\"add\"") && events.get(1).contains("\"finish_reason\":\"tool_execution\""),
                events.get(1));
            assertTrue(events.get(1).contains("\"model\":\"" + ModelTestServer.MODEL + "\""), events.get(1));
            assertTrue(events.get(1).contains("\"prompt_tokens\":"), events.get(1));
            assertTrue(events.get(2).contains("\"name\":\"add\",\"content\":\"5\",\"error\":false"), events.get(2));
            assertTrue(events.get(3).contains("\"content\":\"cannot divide 7 by zero\",\"error\":true"), events.get(3));
            assertTrue(events.get(4).contains("\"content\":\"" + ANSWER + "\"") && events.get(4).contains("\"finish_reason\":\"stop\""));

            final Calculator calculator = new Calculator();
            try (ForklineSession replay = ForklineSession.replay(store, "calc"))
            {
                final Models.Assistant assistant = replay.aiServices(Models.Assistant.class)
                    .chatModel(Models.openAi(recorded[1]))          // the stopped server's address
                    .tools(calculator)
                    .build();
                assertEquals(ANSWER, assistant.chat(QUESTION));
                replay.end("done");
                assertFalse(replay.isLive());
            }
            assertEquals(0, calculator.executions.get(), "no tool ran on replay");
            assertEquals(6, Events.of(store, "calc").size(), "replay appends nothing");
        }
    }

    @Test
    void aChangedQuestionDivergesAtTheModelCallOrForksThereAndGoesLive() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String deadUrl = record(store, "calc", QUESTION).split("\\|")[1];
            try (ForklineSession replay = ForklineSession.replay(store, "calc"))
            {
                final Models.Assistant assistant = replay.aiServices(Models.Assistant.class)
                    .chatModel(Models.openAi(deadUrl)).tools(new Calculator()).build();
                final DivergenceException divergence = assertThrows(DivergenceException.class,
                    () -> assistant.chat("What is 2 + 4 and 7 / 0?"));
                assertEquals(1, divergence.step());
                assertTrue(divergence.recorded().startsWith("model.response"), divergence.recorded());
                assertTrue(divergence.came().startsWith("model.response"), divergence.came());
            }

            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
                 ForklineSession replay = ForklineSession.replay(store, "calc", DivergencePolicy.FORK))
            {
                final Calculator calculator = new Calculator();
                final Models.Assistant assistant = replay.aiServices(Models.Assistant.class)
                    .chatModel(Models.openAi(server.openAiBaseUrl())).tools(calculator).build();
                assertEquals("Results: 6, cannot divide 7 by zero.", assistant.chat("What is 2 + 4 and 7 / 0?"));
                replay.end("done");
                assertEquals("calc/1", replay.branch());
                assertEquals(2, calculator.executions.get(), "the fork runs its tools live");
                assertEquals(2, server.requestCount());
            }
            assertEquals(store.branch("calc").length(), 6);
            assertEquals("calc", store.branch("calc/1").parent());
            assertEquals(1, store.branch("calc/1").forkStep());
        }
    }

    @Test
    void aForkAtAToolResultGivesTheModelAnotherResult() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            record(store, "calc", QUESTION);
            final long addStep = Events.stepOf(store, "calc", "tool.result {\"tool_call_id\":\"call_1_1\",\"name\":\"add\"");
            assertEquals(2, addStep);
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
                 ForklineSession whatIf = ForklineSession.fork(store, "calc", addStep,
                     StepOverride.toolResult(new ToolResult("500", false))))
            {
                final Calculator calculator = new Calculator();
                final Models.Assistant assistant = whatIf.aiServices(Models.Assistant.class)
                    .chatModel(Models.openAi(server.openAiBaseUrl())).tools(calculator).build();
                assertEquals("Results: 500, cannot divide 7 by zero.", assistant.chat(QUESTION));
                whatIf.outcome(0.0, "wrong sum");
                whatIf.end("done");
                assertEquals("calc/1", whatIf.branch());
                assertEquals(1, calculator.executions.get(), "add was overridden; divide ran live");
                assertEquals(1, server.requestCount(), "the first model call came from the recording");
            }
            assertEquals(addStep, store.branch("calc/1").forkStep());
            final List<String> fork = Events.of(store, "calc/1");
            assertTrue(fork.get(2).contains("\"name\":\"add\",\"content\":\"500\""), fork.get(2));
            assertTrue(fork.get(3).contains("\"content\":\"cannot divide 7 by zero\",\"error\":true"), fork.get(3));
            assertTrue(fork.get(fork.size() - 2).contains("\"label\":\"wrong sum\""), String.join("\n", fork));
            assertTrue(store.branch("calc/1").outcome().contains("wrong sum"));
        }
    }

    @Test
    void toolsRunOutsideTheSessionAreAClearErrorNotASilentGap() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store"));
             ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
             ForklineSession recording = ForklineSession.record(store, "plain"))
        {
            final Models.Assistant assistant = AiServices.builder(Models.Assistant.class)
                .chatModel(recording.chatModel(Models.openAi(server.openAiBaseUrl())))
                .tools(new Calculator())
                .build();
            final IllegalStateException error = assertThrows(IllegalStateException.class, () -> assistant.chat("What is 1 + 1?"));
            assertTrue(error.getMessage().contains("tool add (call call_1_1) ran outside Forkline"), error.getMessage());
        }
    }

    @Test
    void concurrentToolExecutionIsRefusedWithAReason() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store"));
             ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
             ForklineSession recording = ForklineSession.record(store, "parallel"))
        {
            final Models.Assistant assistant = recording.aiServices(Models.Assistant.class)
                .chatModel(Models.openAi(server.openAiBaseUrl())).tools(new Calculator()).executeToolsConcurrently().build();
            final IllegalStateException error = assertThrows(IllegalStateException.class, () -> assistant.chat(QUESTION));
            assertTrue(error.getMessage().contains("without executeToolsConcurrently()"), error.getMessage());
            assertEquals(0, server.requestCount());
        }
    }
}
