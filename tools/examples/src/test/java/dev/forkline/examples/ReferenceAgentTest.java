package dev.forkline.examples;

import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergenceException;
import dev.forkline.kernel.replay.DivergencePolicy;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

class ReferenceAgentTest
{
    private static final String TASK = "Read the notes and check 2 + 3.";

    @TempDir
    Path work;

    @TempDir
    Path storeDir;

    private String recordedAnswer;
    private List<String> recordedTranscript;

    @BeforeEach
    void files() throws IOException
    {
        Files.writeString(work.resolve("notes.txt"), "The answer is 6 x 7.\n");
        Files.writeString(work.resolve("todo.txt"), "Pay 12 + 30 euros.\n");
        Files.writeString(work.resolve("readme.md"), "not read: 1 + 1\n");
    }

    @Test
    void theAgentUsesItsToolsAndRecordsEveryCall()
    {
        try (Store store = Store.open(storeDir))
        {
            final ReferenceAgent agent = new ReferenceAgent(work);
            try (Recorder live = Recorder.live(store.startSession("t", agent.sessionStart())))
            {
                assertEquals("Read [notes.txt, todo.txt]. 2 + 3 = 5. 6 * 7 = 42. 12 + 30 = 42.", agent.run(live, TASK));
            }
            assertEquals(List.of(
                "session.start", "system", "user", "clock",
                "model.response", "tool.result list_files",
                "model.response", "tool.result read_file", "tool.result read_file",
                "model.response", "tool.result calc", "tool.result calc", "tool.result calc",
                "model.response", "session.end"), kinds(store, "t"));
            assertEquals(10, agent.liveCalls(), "4 model turns and 6 tool calls");
        }
    }

    @Test
    void replayGivesTheSameTranscriptWithoutCallingTheModelOrTheTools() throws IOException
    {
        try (Store store = Store.open(storeDir))
        {
            recordAndCheck(store);
            Files.delete(work.resolve("notes.txt")); // a tool that ran now would see another directory
            final ReferenceAgent again = new ReferenceAgent(work);
            try (Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                assertEquals(recordedAnswer, again.run(replay, TASK));
            }
            assertEquals(recordedTranscript, again.transcript());
            assertEquals(0, again.liveCalls());
            assertEquals(15, store.branch("t").length());
        }
    }

    @Test
    void aChangedAgentFailsAtTheStepOfItsChange()
    {
        try (Store store = Store.open(storeDir))
        {
            recordAndCheck(store);
            final long firstRead = stepOf(store, "t", "tool.result read_file");
            final long secondModel = stepOf(store, "t", "model.response", 2);

            final DivergenceException anotherTool = replayChanged(store,
                call -> call.name().equals("read_file") ? new ToolCall(call.id(), "cat", call.arguments()) : call, 0);
            assertEquals(firstRead, anotherTool.step());
            assertTrue(anotherTool.came().startsWith("tool.result cat {\"path\":\"notes.txt\"}"), anotherTool.came());

            final DivergenceException anotherArgument = replayChanged(store,
                call -> call.arguments().contains("todo") ? new ToolCall(call.id(), call.name(), "{\"path\":\"./todo.txt\"}") : call, 0);
            assertEquals(firstRead + 1, anotherArgument.step());
            assertTrue(anotherArgument.recorded().contains("Pay 12 + 30 euros."), anotherArgument.recorded());

            final DivergenceException oneCallMore = replayChanged(store, Function.identity(), 2);
            assertEquals(secondModel, oneCallMore.step());
            assertTrue(oneCallMore.recorded().startsWith("model.response"), oneCallMore.recorded());
            assertEquals("clock", oneCallMore.came());
        }
    }

    @Test
    void withTheForkPolicyAChangedAgentContinuesLiveOnANewBranch()
    {
        try (Store store = Store.open(storeDir))
        {
            recordAndCheck(store);
            final long firstRead = stepOf(store, "t", "tool.result read_file");
            final ReferenceAgent changed = new ReferenceAgent(work);
            final String answer;
            try (Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FORK))
            {
                answer = changed.run(new ChangedAgent(replay,
                    call -> call.arguments().contains("notes") ? new ToolCall(call.id(), call.name(), "{\"path\":\"missing.txt\"}") : call,
                    0), TASK);
                assertEquals("t/1", replay.branch());
            }
            assertEquals("Read [notes.txt, todo.txt]. 2 + 3 = 5. 12 + 30 = 42.", answer, "the changed read fails live");
            final BranchInfo fork = store.branch("t/1");
            assertEquals("t", fork.parent());
            assertEquals(firstRead, fork.forkStep());
            for (long step = 0; step < firstRead; step++)
            {
                assertEquals("t", store.event("t/1", step).branch(), "step " + step + " is shared");
            }
            assertTrue(store.event("t/1", firstRead).payloadAsString().contains("\"error\":true"));
            assertTrue(changed.liveCalls() > 0);
            assertEquals(EventKind.SESSION_END, store.event("t/1", store.branch("t/1").length() - 1).kind());
        }
    }

    @Test
    void replayThenLiveWithAnOverriddenListingExploresAnotherPath()
    {
        try (Store store = Store.open(storeDir))
        {
            recordAndCheck(store);
            final long k = stepOf(store, "t", "tool.result list_files");
            final ReferenceAgent agent = new ReferenceAgent(work);
            final String answer;
            try (Recorder recorder = Recorder.replayThenLive(store, "t", k, StepOverride.toolResult(new ToolResult("todo.txt\n", false))))
            {
                answer = agent.run(recorder, TASK);
                assertEquals("t/1", recorder.branch());
            }
            assertEquals("Read [todo.txt]. 2 + 3 = 5. 12 + 30 = 42.", answer);
            assertEquals(k, store.branch("t/1").forkStep());
            for (long step = 0; step < k; step++)
            {
                assertEquals(store.event("t", step).payloadAsString(), store.event("t/1", step).payloadAsString());
                assertEquals("t", store.event("t/1", step).branch());
            }
            assertTrue(store.event("t/1", k).payloadAsString().contains("\"content\":\"todo.txt\\n\""));
            assertEquals(k, store.diff("t", "t/1", 1).firstDifference());
            assertEquals(3 + 3, agent.liveCalls(), "3 model turns, 1 read and 2 calcs ran live; the listing was overridden");
        }
    }

    private void recordAndCheck(final Store store)
    {
        final ReferenceAgent agent = new ReferenceAgent(work);
        try (Recorder live = Recorder.live(store.startSession("t", agent.sessionStart())))
        {
            recordedAnswer = agent.run(live, TASK);
        }
        recordedTranscript = agent.transcript();
        assertEquals(10, agent.liveCalls());
    }

    private DivergenceException replayChanged(final Store store, final Function<ToolCall, ToolCall> rewrite, final int extraClock)
    {
        final ReferenceAgent agent = new ReferenceAgent(work);
        final DivergenceException ex = assertThrows(DivergenceException.class, () ->
        {
            try (Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                agent.run(new ChangedAgent(replay, rewrite, extraClock), TASK);
            }
        });
        assertEquals("t", ex.branch());
        assertEquals(0, agent.liveCalls());
        return ex;
    }

    private static List<String> kinds(final Store store, final String branch)
    {
        final List<String> kinds = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                final String payload = cursor.event().payloadAsString();
                final String kind = cursor.event().kind().wireName();
                kinds.add(cursor.event().kind() == EventKind.TOOL_RESULT ?
                    kind + " " + payload.replaceAll(".*\"name\":\"([a-z_]+)\".*", "$1") : kind);
            }
        }
        return kinds;
    }

    private static long stepOf(final Store store, final String branch, final String kind)
    {
        return stepOf(store, branch, kind, 1);
    }

    private static long stepOf(final Store store, final String branch, final String kind, final int occurrence)
    {
        final List<String> kinds = kinds(store, branch);
        int seen = 0;
        for (int step = 0; step < kinds.size(); step++)
        {
            if (kinds.get(step).equals(kind) && ++seen == occurrence)
            {
                return step;
            }
        }
        throw new AssertionError(kind + " #" + occurrence + " not in " + kinds);
    }
}
