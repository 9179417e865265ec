package dev.forkline.springai;

import dev.forkline.junit.ForklineRecording;
import dev.forkline.junit.Recording;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolResult;
import dev.forkline.testkit.CalculatorScript;
import dev.forkline.testkit.ModelTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Spring AI example of docs/integrations.md: record a ChatClient call with tools, replay it in a test, fork it
 * at a tool result and go on live. The local test server stands in for OpenAI.
 */
class SpringAiExampleTest
{
    static ChatClient chatClient(final String baseUrl, final Store store)
    {
        final OpenAiChatModel model = OpenAiChatModel.builder()
            .openAiApi(OpenAiApi.builder().baseUrl(baseUrl).apiKey("test-key").build())
            .defaultOptions(OpenAiChatOptions.builder().model("forkline-test-1").build())
            .build();
        return ChatClient.builder(model)
            .defaultAdvisors(ForklineAdvisor.builder(store).build())      // in a Boot application: forkline.store=…
            .build();
    }

    static String ask(final ChatClient chat, final ForklineSession session)
    {
        return chat.prompt().user("What is 2 + 3 and 7 / 0?").tools(new SpringCalculator())
            .advisors(a -> a.param(ForklineAdvisor.SESSION, session))
            .call().content();
    }

    // 1. Record.
    static String record(final Store store, final String baseUrl)
    {
        try (ForklineSession session = ForklineSession.record(store, "task-42"))
        {
            final String answer = ask(chatClient(baseUrl, store), session);
            session.end("done");
            return answer;
        }
    }

    // 3. Fork: what if add (step 2) had returned 500? Step 1 replays, then the call goes on live.
    static String whatIf(final Store store, final String baseUrl)
    {
        try (ForklineSession fork = ForklineSession.fork(store, "task-42", 2, StepOverride.toolResult(new ToolResult("500", false))))
        {
            final String answer = ask(chatClient(baseUrl, store), fork);
            fork.outcome(0.0, "wrong sum");
            fork.end("done");
            return answer;        // recorded in branch task-42/1
        }
    }

    @Test
    void recordsThenForksAtAToolResultAndGoesLive(@TempDir final Path dir)
    {
        try (Store store = Store.open(dir.resolve("forkline-data"));
             ModelTestServer openAi = ModelTestServer.start(CalculatorScript.script()))
        {
            assertEquals("Results: 5, cannot divide 7 by zero.", record(store, openAi.rootUrl()));
            assertEquals("Results: 500, cannot divide 7 by zero.", whatIf(store, openAi.rootUrl()));
        }
    }

    // 2. Replay in a test: served from src/test/resources/forkline/SpringAiExampleTest/answersWithItsTools.events.jsonl;
    //    -Dforkline.record=true runs it live and writes that file.
    @Test
    @ForklineRecording
    void answersWithItsTools(final Recording recording)
    {
        try (ModelTestServer openAi = recording.isRecording() ? ModelTestServer.start(CalculatorScript.script()) : null)
        {
            final String baseUrl = openAi != null ? openAi.rootUrl() : "http://127.0.0.1:9";   // nothing listens there
            final ForklineSession session = ForklineSession.over(recording.store(), recording.recorder());
            assertEquals("Results: 5, cannot divide 7 by zero.", ask(chatClient(baseUrl, recording.store()), session));
            session.end("done");
        }
    }
}
