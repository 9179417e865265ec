package dev.forkline.kernel.replay;

import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

class ReplayTest
{
    private static final String REQUEST = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"add\"}]}";
    private static final String REQUEST_REORDERED = "{ \"messages\": [ {\"content\": \"add\", \"role\": \"user\"} ], \"model\": \"m\" }";

    @TempDir
    Path dir;

    private final AtomicInteger liveCalls = new AtomicInteger();
    private final List<String> liveLog = new ArrayList<>();

    @BeforeEach
    void reset()
    {
        liveCalls.set(0);
        liveLog.clear();
    }

    /**
     * A small agent: user, clock, random, model, one tool call per model tool call, an effect, end.
     * Steps: 0 session.start, 1 user, 2 clock, 3 random, 4 model.response, 5 tool.result, 6 tool.result,
     * 7 effect, 8 session.end.
     */
    private List<String> agent(final Recorder r, final String request, final Function<ToolCall, ToolCall> change)
    {
        final List<String> transcript = new ArrayList<>();
        r.user("add 2 and 3, then 4 and 5");
        transcript.add("clock " + r.clock(() -> live("clock", 1_700_000_000_000L)));
        transcript.add("random " + r.random(() -> live("random", 0.25)));
        final ModelTurn turn = r.model(request, req -> live("model", new ModelTurn(null, List.of(
            new ToolCall("c1", "add", "{\"a\":2,\"b\":3}"),
            new ToolCall("c2", "add", "{\"a\":4,\"b\":5}")), "scripted", "{\"tokens\":12}")));
        transcript.add("model " + turn);
        for (final ToolCall call : turn.toolCalls())
        {
            final ToolResult result = r.tool(change.apply(call), this::add);
            transcript.add("tool " + result);
        }
        transcript.add("effect " + r.effect("http.get", "{\"url\":\"https://example.org\"}",
            req -> live("effect", "{\"status\":200}")));
        r.end("done");
        return transcript;
    }

    private ToolResult add(final ToolCall call)
    {
        final com.fasterxml.jackson.databind.JsonNode args = CanonicalJson.parse(call.arguments());
        return live("tool " + call.name(), new ToolResult(Long.toString(args.get("a").asLong() + args.get("b").asLong()), false));
    }

    private <T> T live(final String what, final T value)
    {
        liveCalls.incrementAndGet();
        liveLog.add(what);
        return value;
    }

    private List<String> record(final Store store)
    {
        try (Recorder r = Recorder.live(store.startSession("t", "{\"agent\":\"test\"}")))
        {
            return agent(r, REQUEST, Function.identity());
        }
    }

    @Test
    void replayServesTheRecordedResultsWithoutAnyLiveCall()
    {
        try (Store store = Store.open(dir))
        {
            final List<String> recorded = record(store);
            assertEquals(6, liveCalls.get());
            liveCalls.set(0);
            try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                assertFalse(r.isLive());
                assertEquals(recorded, agent(r, REQUEST_REORDERED, Function.identity()),
                    "key order and whitespace of the request do not matter");
            }
            assertEquals(0, liveCalls.get());
            assertEquals(9, store.branch("t").length(), "a replay appends nothing");
            assertEquals(List.of("t"), store.tree("t").stream().map(BranchInfo::name).toList());
        }
    }

    @Test
    void liveRecordingWritesThePayloadsOfTheInterchangeFormat()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            assertEquals("{\"value\":1700000000000}", store.event("t", 2).payloadAsString());
            assertEquals("{\"value\":0.25}", store.event("t", 3).payloadAsString());
            assertEquals("{\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"name\":\"add\",\"arguments\":\"{\\\"a\\\":2,\\\"b\\\":3}\"}," +
                "{\"id\":\"c2\",\"name\":\"add\",\"arguments\":\"{\\\"a\\\":4,\\\"b\\\":5}\"}],\"model\":\"scripted\"," +
                "\"usage\":{\"tokens\":12},\"request_hash\":\"" + RequestHash.of(REQUEST) + "\"," +
                "\"request_parts\":{\"messages\":\"612a2675c52886a0\",\"parameters\":\"548f58d1c36c715b\"}}",
                store.event("t", 4).payloadAsString());
            assertEquals("{\"tool_call_id\":\"c2\",\"name\":\"add\",\"content\":\"9\",\"error\":false,\"request_hash\":\"" +
                RequestHash.ofToolCall("add", "{\"a\":4,\"b\":5}") + "\"}", store.event("t", 6).payloadAsString());
            assertEquals("{\"name\":\"http.get\",\"request\":{\"url\":\"https://example.org\"},\"response\":{\"status\":200}," +
                "\"request_hash\":\"" + RequestHash.of("{\"url\":\"https://example.org\"}") + "\"}", store.event("t", 7).payloadAsString());
            assertEquals(EventKind.SESSION_END, store.event("t", 8).kind());
        }
    }

    @Test
    void anotherArgumentDivergesAtItsStep()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            final DivergenceException ex = assertThrows(DivergenceException.class, () ->
            {
                try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FAIL))
                {
                    agent(r, REQUEST, call -> call.id().equals("c2") ? new ToolCall("c2", "add", "{\"a\":4,\"b\":6}") : call);
                }
            });
            assertEquals("t", ex.branch());
            assertEquals(6, ex.step());
            assertTrue(ex.recorded().startsWith("tool.result {\"tool_call_id\":\"c2\",\"name\":\"add\",\"content\":\"9\""), ex.recorded());
            assertTrue(ex.came().startsWith("tool.result add {\"a\":4,\"b\":6}"), ex.came());
            assertTrue(ex.getMessage().startsWith("replay of t diverged at step 6 (other arguments): recorded tool.result"), ex.getMessage());
            assertEquals(6, liveLog.size(), "only the recording run called live");
        }
    }

    @Test
    void anotherToolAnotherRequestAndAnotherKindDivergeAtTheirSteps()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            final DivergenceException tool = replayExpectingDivergence(store,
                r -> agent(r, REQUEST, call -> new ToolCall(call.id(), "plus", call.arguments())));
            assertEquals(5, tool.step());
            assertTrue(tool.came().startsWith("tool.result plus"), tool.came());

            final DivergenceException model = replayExpectingDivergence(store,
                r -> agent(r, REQUEST.replace("add", "sum"), Function.identity()));
            assertEquals(4, model.step());
            assertTrue(model.came().startsWith("model.response {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"sum\"}]}"),
                model.came());
            assertTrue(model.came().contains("(request sha256:"), model.came());

            final DivergenceException kind = replayExpectingDivergence(store, r ->
            {
                r.user("add 2 and 3, then 4 and 5");
                r.random(() -> 0.5);
                return null;
            });
            assertEquals(2, kind.step());
            assertTrue(kind.recorded().startsWith("clock {\"value\":1700000000000}"), kind.recorded());
            assertEquals("random", kind.came());

            final DivergenceException user = replayExpectingDivergence(store, r ->
            {
                r.user("another task");
                return null;
            });
            assertEquals(1, user.step());
            assertEquals("user another task", user.came());
        }
    }

    @Test
    void oneCallMoreOrOneCallFewerDiverges()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            final DivergenceException more = replayExpectingDivergence(store, r ->
            {
                agent(r, REQUEST, Function.identity());
                return r.clock(() -> 1L);
            });
            assertEquals(9, more.step());
            assertEquals("end of branch (9 steps)", more.recorded());

            final DivergenceException extraBeforeEnd = replayExpectingDivergence(store, r ->
            {
                final Recorder extra = new ExtraClockBeforeEnd(r);
                return agent(extra, REQUEST, Function.identity());
            });
            assertEquals(8, extraBeforeEnd.step());
            assertTrue(extraBeforeEnd.recorded().startsWith("session.end"), extraBeforeEnd.recorded());

            final DivergenceException fewer = replayExpectingDivergence(store, r ->
            {
                r.user("add 2 and 3, then 4 and 5");
                r.end("done");
                return null;
            });
            assertEquals(2, fewer.step());
            assertEquals("session.end done", fewer.came());
        }
    }

    @Test
    void forkPolicyContinuesLiveOnANewBranchSharingTheUnchangedPrefix()
    {
        try (Store store = Store.open(dir))
        {
            final List<String> recorded = record(store);
            liveCalls.set(0);
            liveLog.clear();
            final List<String> changed;
            try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FORK))
            {
                changed = agent(r, REQUEST, call -> call.id().equals("c2") ? new ToolCall("c2", "add", "{\"a\":40,\"b\":5}") : call);
                assertTrue(r.isLive());
                assertEquals("t/1", r.branch());
            }
            assertEquals(List.of("tool add", "effect"), liveLog, "live from the divergence on, not before");
            assertEquals(recorded.subList(0, 4), changed.subList(0, 4));
            assertEquals("tool ToolResult[content=45, error=false]", changed.get(4));

            final BranchInfo fork = store.branch("t/1");
            assertEquals("t", fork.parent());
            assertEquals(6, fork.forkStep());
            assertEquals(9, fork.length());
            assertEquals("t", store.event("t/1", 5).branch(), "steps before the divergence are shared");
            assertTrue(store.event("t/1", 6).payloadAsString().contains("\"content\":\"45\""));
            assertEquals(EventKind.SESSION_END, store.event("t/1", 8).kind());
            assertTrue(store.forkEvent("t/1").payloadAsString().contains("\"reason\":\"replay diverged at step 6 (other arguments): came tool.result add"));

            liveCalls.set(0);
            try (Recorder r = Recorder.replay(store, "t/1", DivergencePolicy.FAIL))
            {
                assertEquals(changed, agent(r, REQUEST, call -> call.id().equals("c2") ? new ToolCall("c2", "add", "{\"a\":40,\"b\":5}") : call));
            }
            assertEquals(0, liveCalls.get(), "the forked branch replays in turn");
        }
    }

    @Test
    void replayThenLiveWithAnOverriddenToolResultSharesStepsBeforeK()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            liveLog.clear();
            final List<String> transcript;
            try (Recorder r = Recorder.replayThenLive(store, "t", 5, StepOverride.toolResult(new ToolResult("boom", true))))
            {
                transcript = agent(r, REQUEST, Function.identity());
                assertEquals("t/1", r.branch());
            }
            assertEquals("tool ToolResult[content=boom, error=true]", transcript.get(3));
            assertEquals("tool ToolResult[content=9, error=false]", transcript.get(4));
            assertEquals(List.of("tool add", "effect"), liveLog, "step 5 was overridden, the steps after it ran live");

            final BranchInfo info = store.branch("t/1");
            assertEquals(5, info.forkStep());
            for (long step = 0; step < 5; step++)
            {
                assertEquals(store.event("t", step).payloadAsString(), store.event("t/1", step).payloadAsString());
                assertEquals("t", store.event("t/1", step).branch());
            }
            final Event overridden = store.event("t/1", 5);
            assertEquals("t/1", overridden.branch());
            assertEquals("{\"tool_call_id\":\"c1\",\"name\":\"add\",\"content\":\"boom\",\"error\":true,\"request_hash\":\"" +
                RequestHash.ofToolCall("add", "{\"a\":2,\"b\":3}") + "\"}", overridden.payloadAsString());
            final dev.forkline.kernel.BranchDiff diff = store.diff("t", "t/1", 10);
            assertEquals(5, diff.firstDifference());
            assertEquals(1, diff.differingSteps(), "the steps after k ran live and came out as recorded");
        }
    }

    @Test
    void replayThenLiveChecksThePrefixAndTheOverrideKind()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () ->
            {
                try (Recorder r = Recorder.replayThenLive(store, "t", 2, StepOverride.toolResult(new ToolResult("x", false))))
                {
                    agent(r, REQUEST, Function.identity());
                }
            });
            assertEquals("the override for t@2 is a tool.result but the call there is a clock", ex.getMessage());
            assertEquals(1, store.tree("t").size(), "no fork for a rejected override");

            assertThrows(DivergenceException.class, () ->
            {
                try (Recorder r = Recorder.replayThenLive(store, "t", 5, null))
                {
                    agent(r, REQUEST.replace("add", "sub"), Function.identity());
                }
            });
            assertThrows(dev.forkline.kernel.ForklineException.class, () -> Recorder.replayThenLive(store, "t", 10, null));
            assertThrows(IllegalArgumentException.class, () -> Recorder.replayThenLive(store, "t", 0, null));
        }
    }

    @Test
    void replayThenLiveWithoutOverrideRunsTheCallAtKLive()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            liveLog.clear();
            try (Recorder r = Recorder.replayThenLive(store, "t", 2, null))
            {
                agent(r, REQUEST, Function.identity());
            }
            assertEquals(List.of("clock", "random", "model", "tool add", "tool add", "effect"), liveLog);
            try (Recorder r = Recorder.replayThenLive(store, "t", 2, StepOverride.clock(42L)))
            {
                assertEquals("clock 42", agent(r, REQUEST, Function.identity()).get(0));
            }
            assertEquals("{\"value\":42}", store.event("t/2", 2).payloadAsString());
        }
    }

    @Test
    void readsOutcomeAndAnnotationsPastAndARecorderIsClosedAfterDivergence()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            store.writer("t").append(EventKind.OUTCOME, "{\"reward\":1,\"label\":\"pass\"}");
            liveCalls.set(0);
            try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                agent(r, REQUEST, Function.identity());
            }
            assertEquals(0, liveCalls.get());

            final Recorder r = Recorder.replay(store, "t", DivergencePolicy.FAIL);
            assertThrows(DivergenceException.class, () -> r.user("other"));
            assertThrows(IllegalArgumentException.class, () -> r.user("add 2 and 3, then 4 and 5"));
            r.close();
        }
    }

    private static DivergenceException replayExpectingDivergence(final Store store, final Function<Recorder, Object> agent)
    {
        return assertThrows(DivergenceException.class, () ->
        {
            try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                agent.apply(r);
            }
        });
    }

    @Test
    void anAgentThatStopsEarlyDivergesWhenTheReplayCloses()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            liveCalls.set(0);
            final Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FAIL);
            replay.user("add 2 and 3, then 4 and 5");
            replay.clock(() -> live("clock", 1L)); // and then stops: no random, model, tools, effect or end
            final DivergenceException ex = assertThrows(DivergenceException.class, replay::close);
            assertTrue(ex.getMessage().contains("t@3") || ex.getMessage().contains("step 3"), ex.getMessage());
            assertTrue(ex.getMessage().contains("no more calls: the agent stopped"), ex.getMessage());
            assertEquals(0, liveCalls.get());

            final Recorder forking = Recorder.replay(store, "t", DivergencePolicy.FORK);
            forking.user("add 2 and 3, then 4 and 5");
            forking.close();
            assertTrue(forking.isLive(), "with the fork policy the shorter run becomes a branch");
            final BranchInfo fork = store.branch(forking.branch());
            assertEquals("t", fork.parent());
            assertEquals(2, fork.forkStep());
            assertEquals(2, fork.length());
        }
    }
}
