package dev.forkline.langchain4j;

import dev.forkline.kernel.Store;
import dev.forkline.testkit.CalculatorScript;
import dev.forkline.testkit.ModelTestServer;
import dev.forkline.testkit.Reply;
import dev.forkline.testkit.Script;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The plain and the streaming chat model, a streaming AI service with tools, and several agents recording and
 * replaying at once in one store.
 */
class StreamingAndConcurrentTest
{
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    @Test
    void aChatModelReplaysItsResponseMetadataWithoutTheServer() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String url;
            final ChatResponse live;
            try (ModelTestServer server = ModelTestServer.start(Script.inOrder(Reply.text("Hello from the model").finishReason("length"))))
            {
                url = server.openAiBaseUrl();
                try (ForklineSession session = ForklineSession.record(store, "plain"))
                {
                    live = session.chatModel(Models.openAi(url)).chat(dev.langchain4j.data.message.UserMessage.from("hi"));
                    session.end("done");
                }
            }
            try (ForklineSession replay = ForklineSession.replay(store, "plain"))
            {
                final ChatModel model = replay.chatModel(Models.openAi(url));
                final ChatResponse again = model.chat(dev.langchain4j.data.message.UserMessage.from("hi"));
                replay.end("done");
                assertEquals("Hello from the model", again.aiMessage().text());
                assertEquals(live.metadata().tokenUsage().inputTokenCount(), again.metadata().tokenUsage().inputTokenCount());
                assertEquals(live.metadata().tokenUsage().outputTokenCount(), again.metadata().tokenUsage().outputTokenCount());
                assertEquals(live.metadata().tokenUsage().totalTokenCount(), again.metadata().tokenUsage().totalTokenCount());
                assertEquals(FinishReason.LENGTH, live.metadata().finishReason());
                assertEquals(FinishReason.LENGTH, again.metadata().finishReason(), "a turn cut at its token limit replays so");
                assertEquals(ModelTestServer.MODEL, again.metadata().modelName());
            }
        }
    }

    @Test
    void aStreamingModelReplaysInChunks() throws Exception
    {
        final String story = "Once upon a time a recorder kept every call, and the replay told the same story word for word.";
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String url;
            final List<String> livePieces = Collections.synchronizedList(new ArrayList<>());
            try (ModelTestServer server = ModelTestServer.start(Script.inOrder(Reply.text(story))))
            {
                url = server.openAiBaseUrl();
                try (ForklineSession session = ForklineSession.record(store, "story"))
                {
                    final ChatResponse live = stream(session.streamingChatModel(Models.openAiStreaming(url)), "tell a story", livePieces);
                    assertEquals(story, live.aiMessage().text());
                    session.end("done");
                }
            }
            assertTrue(livePieces.size() > 5, "the live stream came in pieces");
            final List<String> pieces = Collections.synchronizedList(new ArrayList<>());
            try (ForklineSession replay = ForklineSession.replay(store, "story"))
            {
                final ChatResponse again = stream(replay.streamingChatModel(Models.openAiStreaming(url)), "tell a story", pieces);
                replay.end("done");
                assertEquals(story, again.aiMessage().text());
                assertEquals(FinishReason.STOP, again.metadata().finishReason());
            }
            assertTrue(pieces.size() > 3, "replay streams in chunks: " + pieces);
            assertEquals(story, String.join("", pieces));
        }
    }

    @Test
    void aStreamingAiServiceWithToolsReplaysWithNoToolRun() throws Exception
    {
        final String question = "What is 4 + 5 and 9 / 3?";
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String url;
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script()))
            {
                url = server.openAiBaseUrl();
                final Calculator calculator = new Calculator();
                try (ForklineSession session = ForklineSession.record(store, "streamed"))
                {
                    final Models.StreamingAssistant assistant = session.aiServices(Models.StreamingAssistant.class)
                        .streamingChatModel(Models.openAiStreaming(url)).tools(calculator).build();
                    assertEquals("Results: 9, 3.", run(assistant, question, new ArrayList<>()));
                    session.end("done");
                }
                assertEquals(2, calculator.executions.get());
                assertEquals(2, server.requestCount());
            }
            final Calculator calculator = new Calculator();
            final List<String> pieces = Collections.synchronizedList(new ArrayList<>());
            try (ForklineSession replay = ForklineSession.replay(store, "streamed"))
            {
                final Models.StreamingAssistant assistant = replay.aiServices(Models.StreamingAssistant.class)
                    .streamingChatModel(Models.openAiStreaming(url)).tools(calculator).build();
                assertEquals("Results: 9, 3.", run(assistant, question, pieces));
                replay.end("done");
            }
            assertEquals(0, calculator.executions.get());
            assertEquals("Results: 9, 3.", String.join("", pieces));
        }
    }

    @Test
    void severalAgentsRecordAndReplayAtOnceInOneStore() throws Exception
    {
        final int agents = 4;
        final ExecutorService pool = Executors.newFixedThreadPool(agents);
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String url;
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script()))
            {
                url = server.openAiBaseUrl();
                final List<Future<String>> answers = new ArrayList<>();
                for (int i = 1; i <= agents; i++)
                {
                    final int n = i;
                    answers.add(pool.submit(() -> agent(store, url, n, true)));
                }
                for (int i = 1; i <= agents; i++)
                {
                    assertEquals(expected(i), answers.get(i - 1).get(WAIT_SECONDS, TimeUnit.SECONDS));
                }
                assertEquals(2L * agents, server.requestCount());
            }
            final List<Future<String>> replays = new ArrayList<>();
            for (int i = 1; i <= agents; i++)
            {
                final int n = i;
                replays.add(pool.submit(() -> agent(store, url, n, false)));
            }
            for (int i = 1; i <= agents; i++)
            {
                assertEquals(expected(i), replays.get(i - 1).get(WAIT_SECONDS, TimeUnit.SECONDS));
                assertEquals(6, store.branch("agent-" + i).length());
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static String expected(final int n)
    {
        return "Results: " + (n + 10) + ", " + (60 / n) + ".";
    }

    private static String agent(final Store store, final String url, final int n, final boolean live)
    {
        final Calculator calculator = new Calculator();
        try (ForklineSession session = live ? ForklineSession.record(store, "agent-" + n) : ForklineSession.replay(store, "agent-" + n))
        {
            final Models.Assistant assistant = session.aiServices(Models.Assistant.class)
                .chatModel(Models.openAi(url)).tools(calculator).build();
            final String answer = assistant.chat("What is " + n + " + 10 and 60 / " + n + "?");
            session.end("done");
            if (calculator.executions.get() != (live ? 2 : 0))
            {
                throw new AssertionError("agent " + n + " ran " + calculator.executions.get() + " tools");
            }
            return answer;
        }
    }

    private static ChatResponse stream(final StreamingChatModel model, final String prompt, final List<String> pieces) throws Exception
    {
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(List.of(dev.langchain4j.data.message.UserMessage.from(prompt)), new StreamingChatResponseHandler()
        {
            @Override
            public void onPartialResponse(final String partialResponse)
            {
                pieces.add(partialResponse);
            }

            @Override
            public void onCompleteResponse(final ChatResponse completeResponse)
            {
                done.complete(completeResponse);
            }

            @Override
            public void onError(final Throwable error)
            {
                done.completeExceptionally(error);
            }
        });
        return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static String run(final Models.StreamingAssistant assistant, final String question, final List<String> pieces) throws Exception
    {
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        assistant.chat(question)
            .onPartialResponse(pieces::add)
            .onCompleteResponse(done::complete)
            .onError(done::completeExceptionally)
            .start();
        return done.get(WAIT_SECONDS, TimeUnit.SECONDS).aiMessage().text();
    }
}
