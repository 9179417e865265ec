package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A replay says what kind of change it saw, on the exception under the fail policy and on the recorder under the
 * fork policy, without anyone reading the journal back.
 */
class DivergenceTest
{
    private static final String TOOLS = "[{\"name\":\"add\",\"parameters\":{\"type\":\"object\"}}]";
    private static final String REQUEST = "{\"model\":\"m\",\"temperature\":0,\"tools\":" + TOOLS +
        ",\"messages\":[{\"role\":\"user\",\"content\":\"add 2 and 3\"}]}";

    @TempDir
    Path dir;

    /** Steps: 1 user, 2 clock, 3 model.response, 4 tool.result, 5 effect, 6 session.end. */
    private static void agent(final Recorder r, final String request, final ToolCall call, final String effect, final String status)
    {
        r.user("add 2 and 3");
        r.clock(() -> 1L);
        r.model(request, req -> ModelTurn.calling(new ToolCall("c1", "add", "{\"a\":2,\"b\":3}")));
        r.tool(call, c -> new ToolResult("5", false));
        r.effect(effect, "{\"to\":\"me\"}", req -> "{\"sent\":true}");
        r.end(status);
    }

    private static final ToolCall ADD = new ToolCall("c1", "add", "{\"a\":2,\"b\":3}");

    private void record(final Store store)
    {
        try (Recorder r = Recorder.live(store.startSession("t", SessionStart.of("test"))))
        {
            agent(r, REQUEST, ADD, "mail", "done");
        }
    }

    private static DivergenceException failing(final Store store, final Consumer<Recorder> agent)
    {
        return assertThrows(DivergenceException.class, () ->
        {
            try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                agent.accept(r);
            }
        });
    }

    @Test
    void theExceptionSaysWhatKindOfChangeItSaw()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            assertChange(Divergence.Change.CONTENT, 1, failing(store, r -> r.user("add 4 and 5")));
            assertChange(Divergence.Change.KIND, 2, failing(store, r ->
            {
                r.user("add 2 and 3");
                r.random(() -> 0.5);
            }));
            assertChange(Divergence.Change.NAME, 4, failing(store, r -> agent(r, REQUEST, new ToolCall("c1", "plus", ADD.arguments()), "mail", "done")));
            assertChange(Divergence.Change.ARGUMENTS, 4, failing(store, r -> agent(r, REQUEST, new ToolCall("c1", "add", "{\"a\":2,\"b\":4}"), "mail", "done")));
            assertChange(Divergence.Change.NAME, 5, failing(store, r -> agent(r, REQUEST, ADD, "sms", "done")));
            assertChange(Divergence.Change.STATUS, 6, failing(store, r -> agent(r, REQUEST, ADD, "mail", "gave up")));
            assertChange(Divergence.Change.MISSING_CALL, 3, failing(store, r ->
            {
                r.user("add 2 and 3");
                r.clock(() -> 1L);
                r.end("done");
            }));
            final DivergenceException stopped = failing(store, r -> r.user("add 2 and 3"));
            assertChange(Divergence.Change.MISSING_CALL, 2, stopped);
            assertEquals("no more calls: the agent stopped", stopped.came());
            final DivergenceException extra = failing(store, r ->
            {
                agent(r, REQUEST, ADD, "mail", "done");
                r.clock(() -> 2L);
            });
            assertChange(Divergence.Change.EXTRA_CALL, 7, extra);
            assertEquals("end of branch (7 steps)", extra.recorded());
            assertChange(Divergence.Change.EXTRA_CALL, 6,
                failing(store, r -> agent(new ExtraClockBeforeEnd(r), REQUEST, ADD, "mail", "done")));
        }
    }

    @Test
    void aChangedModelRequestNamesThePartsThatDiffer()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            final DivergenceException messages = failing(store, r -> agent(r, REQUEST.replace("add 2 and 3\"}", "add 2 and 4\"}"), ADD, "mail", "done"));
            assertChange(Divergence.Change.REQUEST, 3, messages);
            assertEquals(Set.of(Divergence.RequestPart.MESSAGES), messages.requestParts());
            assertTrue(messages.getMessage().startsWith("replay of t diverged at step 3 (another model request (messages)): recorded model.response"),
                messages.getMessage());

            final DivergenceException tools = failing(store, r -> agent(r, REQUEST.replace("\"object\"", "\"object\",\"required\":[\"a\"]"), ADD, "mail", "done"));
            assertEquals(Set.of(Divergence.RequestPart.TOOLS), tools.requestParts());

            final DivergenceException parameters = failing(store, r -> agent(r, REQUEST.replace("\"temperature\":0", "\"temperature\":0.7"), ADD, "mail", "done"));
            assertEquals(Set.of(Divergence.RequestPart.PARAMETERS), parameters.requestParts());

            final DivergenceException both = failing(store, r -> agent(r, "{\"model\":\"m2\",\"messages\":[]}", ADD, "mail", "done"));
            assertEquals(Set.of(Divergence.RequestPart.MESSAGES, Divergence.RequestPart.TOOLS, Divergence.RequestPart.PARAMETERS),
                both.requestParts());
            assertEquals("another model request (messages, tools, parameters)", both.divergence().describe());
        }
    }

    @Test
    void underTheForkPolicyTheRecorderSaysWhereAndWhyItForked()
    {
        try (Store store = Store.open(dir))
        {
            record(store);
            try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FORK))
            {
                r.user("add 2 and 3");
                r.clock(() -> fail("replayed"));
                assertNull(r.divergence(), "no divergence yet");
                r.model(REQUEST.replace("\"temperature\":0", "\"temperature\":1"), req -> ModelTurn.text("5"));
                final Divergence divergence = r.divergence();
                assertEquals(new Divergence("t", 3, Divergence.Change.REQUEST, Set.of(Divergence.RequestPart.PARAMETERS),
                    divergence.recorded(), divergence.came(), "t/1"), divergence);
                assertEquals(r.branch(), divergence.fork());
                assertTrue(divergence.recorded().startsWith("model.response {\"content\":null,\"tool_calls\":[{\"id\":\"c1\""),
                    divergence.recorded());
                assertTrue(divergence.came().startsWith("model.response {\"model\":\"m\",\"temperature\":1,"), divergence.came());
                r.end("done");
                assertSame(divergence, r.divergence(), "the first divergence stays");
            }
            assertEquals("{\"parent\":\"t\",\"at\":3,\"reason\":\"replay diverged at step 3 (another model request (parameters)): " +
                "came model.response {\\\"model\\\":\\\"m\\\",\\\"temperature\\\":1,\\\"tools\\\":[{\\\"name\\\":\\\"add\\\",\\\"paramet…\"}",
                store.forkEvent("t/1").payloadAsString());
            try (Recorder r = Recorder.replayThenLive(store, "t", 2, StepOverride.clock(5L)))
            {
                r.user("add 2 and 3");
                r.clock(() -> fail("overridden"));
                assertTrue(r.isLive());
                assertNull(r.divergence(), "a fork that was asked for is no divergence");
            }
            final Recorder stops = Recorder.replay(store, "t", DivergencePolicy.FORK);
            stops.user("add 2 and 3");
            stops.close();
            assertEquals(Divergence.Change.MISSING_CALL, stops.divergence().change());
            assertEquals(stops.branch(), stops.divergence().fork());
            assertEquals(EventKind.FORK, store.forkEvent(stops.branch()).kind());
        }
    }

    private static void assertChange(final Divergence.Change change, final long step, final DivergenceException ex)
    {
        assertEquals(change, ex.change(), ex.getMessage());
        assertEquals(step, ex.step(), ex.getMessage());
        assertEquals(change, ex.divergence().change());
        assertNull(ex.divergence().fork());
        assertTrue(ex.getMessage().contains(" (" + change.description()), ex.getMessage());
        if (change != Divergence.Change.REQUEST)
        {
            assertEquals(List.of(), List.copyOf(ex.requestParts()));
        }
    }
}
