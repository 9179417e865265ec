package dev.forkline.springai;

import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergenceException;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolResult;
import dev.forkline.testkit.CalculatorScript;
import dev.forkline.testkit.ModelTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A ChatClient with method tools on Spring AI's real OpenAI client against the local test server: every round
 * of the tool loop recorded, replayed with the server stopped and no tool run, for calls and streams; a
 * divergence; a fork at a tool result; several agents at once.
 */
class AdvisorReplayTest
{
    private static final String QUESTION = "What is 2 + 3 and 7 / 0?";
    private static final String ANSWER = "Results: 5, cannot divide 7 by zero.";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static String ask(final ChatClient chat, final Object session, final String question, final SpringCalculator tools)
    {
        return chat.prompt().user(question).tools(tools).advisors(a -> a.param(ForklineAdvisor.SESSION, session)).call().content();
    }

    private static String askStreaming(final ChatClient chat, final Object session, final String question, final SpringCalculator tools,
        final List<String> pieces)
    {
        final List<String> got = chat.prompt().user(question).tools(tools).advisors(a -> a.param(ForklineAdvisor.SESSION, session))
            .stream().content().collectList().block(WAIT);
        pieces.addAll(got);
        return String.join("", got);
    }

    private static List<String> events(final Store store, final String branch)
    {
        final List<String> out = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                out.add(cursor.event().step() + " " + cursor.event().kind().wireName() + " " + cursor.event().payloadAsString());
            }
        }
        return out;
    }

    @Test
    void everyRoundAndToolCallbackReplaysWithTheServerStopped() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String url;
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
                 ForklineSession session = ForklineSession.record(store, "calc"))
            {
                url = server.rootUrl();
                final SpringCalculator tools = new SpringCalculator();
                assertEquals(ANSWER, ask(Clients.chatClient(url, ForklineAdvisor.builder(store).build()), session, QUESTION, tools));
                session.end("done");
                assertEquals(2, tools.executions.get());
                assertEquals(2, server.requestCount(), "two rounds: tool calls, then the answer");
            }
            final List<String> recorded = events(store, "calc");
            assertEquals(6, recorded.size(), String.join("\n", recorded));
            assertTrue(recorded.get(1).contains("\"name\":\"add\"") && recorded.get(1).contains("\"finish_reason\":\"TOOL_CALLS\""),
                recorded.get(1));
            assertTrue(recorded.get(1).contains("\"model\":\"" + ModelTestServer.MODEL + "\""), recorded.get(1));
            assertTrue(recorded.get(2).contains("\"tool_call_id\":\"call_1_1\",\"name\":\"add\",\"content\":\"5\",\"error\":false"),
                recorded.get(2));
            assertTrue(recorded.get(3).contains("\"tool_call_id\":\"call_1_2\",\"name\":\"divide\",\"content\":\"cannot divide 7 by zero\"," +
                "\"error\":true"), recorded.get(3));
            assertTrue(recorded.get(4).contains(ANSWER) && recorded.get(4).contains("\"prompt_tokens\":"), recorded.get(4));

            final SpringCalculator tools = new SpringCalculator();
            try (ForklineSession replay = ForklineSession.replay(store, "calc"))
            {
                final ChatClient chat = Clients.chatClient(url, ForklineAdvisor.builder(store).build());
                final ChatResponse response = chat.prompt().user(QUESTION).tools(tools)
                    .advisors(a -> a.param(ForklineAdvisor.SESSION, replay)).call().chatResponse();
                replay.end("done");
                assertEquals(ANSWER, response.getResult().getOutput().getText());
                assertEquals("STOP", response.getResult().getMetadata().getFinishReason());
                assertEquals(ModelTestServer.MODEL, response.getMetadata().getModel());
                assertTrue(response.getMetadata().getUsage().getTotalTokens() > 0);
            }
            assertEquals(0, tools.executions.get(), "no tool ran on replay");
        }
    }

    @Test
    void aStreamRecordsEveryRoundAndReplaysInChunks() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String url;
            final SpringCalculator live = new SpringCalculator();
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
                 ForklineSession session = ForklineSession.record(store, "streamed"))
            {
                url = server.rootUrl();
                assertEquals(ANSWER, askStreaming(Clients.chatClient(url, ForklineAdvisor.builder(store).build()), session, QUESTION, live,
                    new ArrayList<>()));
                session.end("done");
                assertEquals(2, server.requestCount());
                assertTrue(server.chatRequests().get(0).stream(), "the model was streamed from");
            }
            assertEquals(2, live.executions.get());
            assertEquals(6, events(store, "streamed").size(), String.join("\n", events(store, "streamed")));

            final SpringCalculator tools = new SpringCalculator();
            final List<String> pieces = new ArrayList<>();
            try (ForklineSession replay = ForklineSession.replay(store, "streamed"))
            {
                assertEquals(ANSWER, askStreaming(Clients.chatClient(url, ForklineAdvisor.builder(store).build()), replay, QUESTION, tools,
                    pieces));
                replay.end("done");
            }
            assertEquals(0, tools.executions.get());
            assertTrue(pieces.size() > 1, "replayed in chunks: " + pieces);
        }
    }

    @Test
    void aChangedQuestionDivergesAtItsFirstRound() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String url;
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
                 ForklineSession session = ForklineSession.record(store, "calc"))
            {
                url = server.rootUrl();
                ask(Clients.chatClient(url, ForklineAdvisor.builder(store).build()), session, QUESTION, new SpringCalculator());
                session.end("done");
            }
            try (ForklineSession replay = ForklineSession.replay(store, "calc"))
            {
                final ChatClient chat = Clients.chatClient(url, ForklineAdvisor.builder(store).build());
                final DivergenceException divergence = assertThrows(DivergenceException.class,
                    () -> ask(chat, replay, "What is 2 + 4 and 7 / 0?", new SpringCalculator()));
                assertEquals(1, divergence.step());
                assertTrue(divergence.recorded().startsWith("model.response"), divergence.recorded());
            }
        }
    }

    @Test
    void aForkAtAToolResultGivesTheModelAnotherResult() throws Exception
    {
        try (Store store = Store.open(dir.resolve("store")))
        {
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
                 ForklineSession session = ForklineSession.record(store, "calc"))
            {
                ask(Clients.chatClient(server.rootUrl(), ForklineAdvisor.builder(store).build()), session, QUESTION, new SpringCalculator());
                session.end("done");
            }
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script());
                 ForklineSession whatIf = ForklineSession.fork(store, "calc", 2, StepOverride.toolResult(new ToolResult("500", false))))
            {
                final SpringCalculator tools = new SpringCalculator();
                assertEquals("Results: 500, cannot divide 7 by zero.",
                    ask(Clients.chatClient(server.rootUrl(), ForklineAdvisor.builder(store).build()), whatIf, QUESTION, tools));
                whatIf.outcome(0.0, "wrong sum");
                whatIf.end("done");
                assertEquals("calc/1", whatIf.branch());
                assertEquals(1, tools.executions.get(), "add was overridden, divide ran live");
                assertEquals(1, server.requestCount(), "the first round came from the recording");
            }
            assertEquals(2, store.branch("calc/1").forkStep());
            assertTrue(events(store, "calc/1").get(2).contains("\"name\":\"add\",\"content\":\"500\""));
        }
    }

    @Test
    void severalAgentsRecordAndReplayAtOnceThroughTheAdvisorsOwnSessions() throws Exception
    {
        final int agents = 4;
        final ExecutorService pool = Executors.newFixedThreadPool(agents);
        try (Store store = Store.open(dir.resolve("store")))
        {
            final String url;
            try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script()))
            {
                url = server.rootUrl();
                final ChatClient chat = Clients.chatClient(url, ForklineAdvisor.builder(store).mode(ForklineMode.RECORD).build());
                final List<Future<String>> answers = new ArrayList<>();
                for (int i = 1; i <= agents; i++)
                {
                    final int n = i;
                    answers.add(pool.submit(() -> ask(chat, "agent-" + n, question(n), new SpringCalculator())));
                }
                for (int i = 1; i <= agents; i++)
                {
                    assertEquals(expected(i), answers.get(i - 1).get(30, TimeUnit.SECONDS));
                }
            }
            final ChatClient replay = Clients.chatClient(url, ForklineAdvisor.builder(store).mode(ForklineMode.REPLAY).build());
            final List<Future<String>> replays = new ArrayList<>();
            final List<SpringCalculator> tools = new ArrayList<>();
            for (int i = 1; i <= agents; i++)
            {
                final int n = i;
                final SpringCalculator calculator = new SpringCalculator();
                tools.add(calculator);
                replays.add(pool.submit(() -> ask(replay, "agent-" + n, question(n), calculator)));
            }
            for (int i = 1; i <= agents; i++)
            {
                assertEquals(expected(i), replays.get(i - 1).get(30, TimeUnit.SECONDS));
                assertEquals(0, tools.get(i - 1).executions.get());
                assertTrue(events(store, "agent-" + i).get(5).contains("session.end {\"status\":\"done\"}"));
            }
            final IllegalArgumentException noSession = assertThrows(IllegalArgumentException.class,
                () -> replay.prompt().user("hi").call().content());
            assertTrue(noSession.getMessage().contains("forkline.mode=replay needs the session to replay"), noSession.getMessage());
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static String question(final int n)
    {
        return "What is " + n + " + 10 and 60 / " + n + "?";
    }

    private static String expected(final int n)
    {
        return "Results: " + (n + 10) + ", " + (60 / n) + ".";
    }
}
