package dev.forkline.langchain4j;

import dev.forkline.junit.ForklineRecording;
import dev.forkline.junit.Recording;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolResult;
import dev.forkline.testkit.CalculatorScript;
import dev.forkline.testkit.ModelTestServer;
import dev.langchain4j.model.openai.OpenAiChatModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The LangChain4j example of docs/integrations.md: record an AI service with tools, replay it in a test, fork it
 * at a tool result and go on live. The local test server stands in for OpenAI.
 */
class LangChain4jExampleTest
{
    interface Assistant
    {
        String chat(String question);
    }

    static OpenAiChatModel openAi(final String baseUrl)
    {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("test-key").modelName("forkline-test-1").maxRetries(0).build();
    }

    // 1. Record. The one changed line: session.aiServices(...) where AiServices.builder(...) was.
    static String record(final Store store, final String baseUrl)
    {
        try (ForklineSession session = ForklineSession.record(store, "task-42"))
        {
            final Assistant assistant = session.aiServices(Assistant.class)
                .chatModel(openAi(baseUrl))
                .tools(new Calculator())
                .build();
            final String answer = assistant.chat("What is 2 + 3 and 7 / 0?");
            session.end("done");
            return answer;
        }
    }

    // 3. Fork: what if add (step 2) had returned 500? Step 1 (the tool calls) replays, then the agent goes on live.
    static String whatIf(final Store store, final String baseUrl)
    {
        try (ForklineSession fork = ForklineSession.fork(store, "task-42", 2, StepOverride.toolResult(new ToolResult("500", false))))
        {
            final Assistant assistant = fork.aiServices(Assistant.class)
                .chatModel(openAi(baseUrl))
                .tools(new Calculator())
                .build();
            final String answer = assistant.chat("What is 2 + 3 and 7 / 0?");
            fork.outcome(0.0, "wrong sum");
            fork.end("done");
            return answer;        // recorded in branch task-42/1, which shares steps 0..1 with task-42
        }
    }

    @Test
    void recordsThenForksAtAToolResultAndGoesLive(@TempDir final Path dir)
    {
        try (Store store = Store.open(dir.resolve("forkline-data"));
             ModelTestServer openAi = ModelTestServer.start(CalculatorScript.script()))
        {
            assertEquals("Results: 5, cannot divide 7 by zero.", record(store, openAi.openAiBaseUrl()));
            assertEquals("Results: 500, cannot divide 7 by zero.", whatIf(store, openAi.openAiBaseUrl()));
            assertEquals("task-42", store.branch("task-42/1").parent());
        }
    }

    // 2. Replay in a test: served from src/test/resources/forkline/LangChain4jExampleTest/answersWithItsTools.events.jsonl;
    //    -Dforkline.record=true runs it live and writes that file.
    @Test
    @ForklineRecording
    void answersWithItsTools(final Recording recording)
    {
        try (ModelTestServer openAi = recording.isRecording() ? ModelTestServer.start(CalculatorScript.script()) : null)
        {
            final String baseUrl = openAi != null ? openAi.openAiBaseUrl() : "http://127.0.0.1:9/v1";   // nothing listens there
            final ForklineSession session = ForklineSession.over(recording.store(), recording.recorder());
            final Calculator calculator = new Calculator();
            final Assistant assistant = session.aiServices(Assistant.class)
                .chatModel(openAi(baseUrl))
                .tools(calculator)
                .build();
            assertEquals("Results: 5, cannot divide 7 by zero.", assistant.chat("What is 2 + 3 and 7 / 0?"));
            session.end("done");
            assertEquals(recording.isRecording() ? 2 : 0, calculator.executions.get());
        }
    }
}
