package dev.forkline.junit;

import dev.forkline.kernel.replay.Divergence;
import dev.forkline.kernel.replay.DivergenceException;

import dev.forkline.testkit.ModelTestServer;
import dev.forkline.testkit.Reply;
import dev.forkline.testkit.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs the {@link Samples} through JUnit with the extension: replay by default, record mode, the recording
 * file, divergences and several agents.
 */
class ForklineExtensionTest
{
    private static final Pattern ADD = Pattern.compile("(\\d+) \\+ (\\d+)");

    @TempDir
    Path recordings;

    @BeforeEach
    void setUp()
    {
        System.setProperty(RecordingFiles.DIRECTORY_PROPERTY, recordings.toString());
        System.clearProperty(RecordingFiles.RECORD_PROPERTY);
        Samples.reset();
    }

    @AfterEach
    void tearDown()
    {
        System.clearProperty(RecordingFiles.DIRECTORY_PROPERTY);
        System.clearProperty(RecordingFiles.RECORD_PROPERTY);
        Samples.reset();
    }

    static Script adder()
    {
        return request ->
        {
            if (!request.toolResults().isEmpty())
            {
                return Reply.text("The sum is " + request.toolResults().get(0).content() + ".");
            }
            final Matcher m = ADD.matcher(request.firstUserText());
            if (!m.find())
            {
                return Reply.text("No sum.");
            }
            return Reply.toolCalls(Reply.call("add", "{\"a\":" + m.group(1) + ",\"b\":" + m.group(2) + "}"));
        };
    }

    private static Events run(final Class<?> test)
    {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(test)).execute().testEvents();
    }

    private static String failure(final Events events)
    {
        return events.failed().stream().findFirst()
            .flatMap(e -> e.getPayload(TestExecutionResult.class))
            .flatMap(TestExecutionResult::getThrowable)
            .map(Throwable::getMessage)
            .orElseThrow(() -> new AssertionError("the test did not fail"));
    }

    private static void assertPassed(final Events events)
    {
        if (events.failed().count() > 0 || events.succeeded().count() != 1)
        {
            fail("the sample test did not pass: " + failure(events));
        }
    }

    private Path record(final Class<?> test) throws Exception
    {
        System.setProperty(RecordingFiles.RECORD_PROPERTY, "true");
        try (ModelTestServer server = ModelTestServer.start(adder()))
        {
            Samples.baseUrl = server.openAiBaseUrl();
            assertPassed(run(test));
            assertTrue(server.requestCount() > 0);
        }
        finally
        {
            System.clearProperty(RecordingFiles.RECORD_PROPERTY);
        }
        return recordings;
    }

    @Test
    void replayIsTheDefaultAndAMissingRecordingSaysHowToRecordOne()
    {
        Samples.baseUrl = "http://127.0.0.1:9/v1";
        final Events events = run(Samples.Adds.class);
        events.assertStatistics(s -> s.failed(1));
        final String message = failure(events);
        assertTrue(message.startsWith("no recording for Adds#adds at " + recordings.resolve("Adds").resolve("adds.events.jsonl")), message);
        assertTrue(message.contains("-Dforkline.record=true") && message.contains("FORKLINE_RECORD=true"), message);
        assertNull(Samples.lastAgent, "the test did not run");
    }

    @Test
    void recordModeWritesAStableTextRecordingThatReplaysWithTheServerStopped() throws Exception
    {
        record(Samples.Adds.class);
        final Path file = recordings.resolve("Adds").resolve("adds.events.jsonl");
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("{\"session\":\"agent\",\"branch\":\"agent\",\"step\":0,\"kind\":\"session.start\"," +
            "\"ts\":\"1970-01-01T00:00:00Z\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"kind\":\"user\",\"ts\":\"1970-01-01T00:00:00.000001Z\""), lines.get(1));
        assertTrue(lines.get(3).contains("\"kind\":\"tool.result\"") && lines.get(3).contains("\"content\":\"5\""), lines.get(3));
        assertTrue(lines.get(5).contains("\"kind\":\"session.end\""), lines.get(5));
        final String first = Files.readString(file);
        record(Samples.Adds.class);
        assertEquals(first, Files.readString(file), "recording the same agent again gives the same file");

        Samples.baseUrl = "http://127.0.0.1:9/v1";   // nothing listens there
        assertPassed(run(Samples.Adds.class));
        assertEquals(0, Samples.lastAgent.modelCalls.get());
        assertEquals(0, Samples.lastAgent.toolRuns.get());
    }

    @Test
    void aDivergenceFailsWithTheStepTheKindOfChangeAndExcerpts() throws Exception
    {
        record(Samples.Adds.class);
        Samples.baseUrl = "http://127.0.0.1:9/v1";
        Samples.question = "What is 2 + 4?";
        final Events events = run(Samples.Adds.class);
        events.assertStatistics(s -> s.failed(1));
        final String message = failure(events);
        assertTrue(message.startsWith("the agent diverged from its recording at step 1 of session 'agent': another user message\n"), message);
        assertTrue(message.contains("expected:  user {\"content\":\"What is 2 + 3?\"}"), message);
        assertTrue(message.contains("actual:    user What is 2 + 4?"), message);
        assertTrue(message.contains("record again: mvn test -Dforkline.record=true -Dtest=Adds#adds"), message);
        assertEquals(0, Samples.lastAgent.modelCalls.get());
    }

    @Test
    void anAgentThatStopsEarlyFailsWithFewerCalls() throws Exception
    {
        record(Samples.Adds.class);
        Samples.baseUrl = "http://127.0.0.1:9/v1";
        Samples.end = false;
        final String message = failure(run(Samples.Adds.class));
        assertTrue(message.startsWith("the agent diverged from its recording at step 5 of session 'agent': fewer calls than were " +
            "recorded"), message);
        assertTrue(message.contains("expected:  session.end"), message);
    }

    @Test
    void severalAgentsOfOneTestShareOneFileAndReplayAtOnce() throws Exception
    {
        record(Samples.TwoAgents.class);
        final List<String> lines = Files.readAllLines(recordings.resolve("TwoAgents").resolve("twoAgentsAtOnce.events.jsonl"));
        assertEquals(12, lines.size());
        for (int i = 0; i < 6; i++)
        {
            assertTrue(lines.get(i).startsWith("{\"session\":\"first\""), lines.get(i));
            assertTrue(lines.get(i + 6).startsWith("{\"session\":\"second\""), lines.get(i + 6));
        }
        Samples.baseUrl = "http://127.0.0.1:9/v1";
        assertPassed(run(Samples.TwoAgents.class));
    }

    @Test
    void aDamagedRecordingFailsWithItsLine() throws Exception
    {
        record(Samples.Adds.class);
        final Path file = recordings.resolve("Adds").resolve("adds.events.jsonl");
        final List<String> lines = Files.readAllLines(file);
        Files.write(file, List.of(lines.get(0), lines.get(2)));
        final String message = failure(run(Samples.Adds.class));
        assertTrue(message.contains(file + ":2: step 2 of agent should be 1"), message);
    }

    private static String kind(final Divergence.Change change, final Set<Divergence.RequestPart> parts, final String recorded,
        final String came)
    {
        return Divergences.kindOfChange(new DivergenceException(new Divergence("agent", 3, change, parts, recorded, came, null)));
    }

    @Test
    void theDivergenceKindNamesAnotherToolOrOtherArguments()
    {
        assertEquals("another tool (sub where add was recorded)", kind(Divergence.Change.NAME, Set.of(),
            "tool.result {\"tool_call_id\":\"c1\",\"name\":\"add\",\"content\":\"5\"}", "tool.result sub {\"a\":1} (request sha256:…)"));
        assertEquals("other arguments for add", kind(Divergence.Change.ARGUMENTS, Set.of(),
            "tool.result {\"tool_call_id\":\"c1\",\"name\":\"add\",\"content\":\"5\"}", "tool.result add {\"a\":1} (request sha256:…)"));
        assertEquals("another kind of call (clock where model.response was recorded)",
            kind(Divergence.Change.KIND, Set.of(), "model.response {\"content\":null}", "clock"));
        assertEquals("one call more than was recorded", kind(Divergence.Change.EXTRA_CALL, Set.of(), "end of branch (7 steps)", "clock"));
        assertEquals("another model request (messages, tools or parameters changed)", kind(Divergence.Change.REQUEST, Set.of(),
            "model.response {\"content\":null}", "model.response {\"messages\":[]} (request sha256:…)"));
    }

    @Test
    void theDivergenceKindIsTheKernelsAndNamesTheRequestPartsThatChanged()
    {
        assertEquals("another model request (messages, parameters changed)", kind(Divergence.Change.REQUEST,
            Set.of(Divergence.RequestPart.PARAMETERS, Divergence.RequestPart.MESSAGES), "model.response {}", "model.response {}"));
        assertEquals("another model request (tools changed)", kind(Divergence.Change.REQUEST,
            Set.of(Divergence.RequestPart.TOOLS), "model.response {}", "model.response {}"));
        assertEquals("another end status", kind(Divergence.Change.STATUS, Set.of(), "session.end {\"status\":\"done\"}",
            "session.end failed"));
        assertEquals("another user message", kind(Divergence.Change.CONTENT, Set.of(), "user {\"content\":\"a\"}", "user b"));
        assertEquals("fewer calls than were recorded (the agent ended where a tool.result was recorded)",
            kind(Divergence.Change.MISSING_CALL, Set.of(), "tool.result {}", "session.end done"));
    }
}
