package dev.forkline.kernel.replay;

import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A recorder belongs to one thread at a time and may move between threads: a replay started on one thread goes on
 * on another once the hand-off is ordered (here by {@link Future#get()}).
 */
class ReplayThreadsTest
{
    private static final String REQUEST = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"add\"}]}";

    @TempDir
    Path dir;

    private static void record(final Store store)
    {
        try (Recorder r = Recorder.live(store.startSession("t", SessionStart.of("test"))))
        {
            r.user("add 2 and 3");
            r.clock(() -> 1_700_000_000_000L);
            r.model(REQUEST, request -> new ModelTurn(null, List.of(new ToolCall("c1", "add", "{\"a\":2,\"b\":3}")),
                "scripted", "{}"));
            r.tool(new ToolCall("c1", "add", "{\"a\":2,\"b\":3}"), call -> new ToolResult("5", false));
            r.model(REQUEST + " ", request -> new ModelTurn("5", List.of(), "scripted", "{}"));
            r.end("done");
        }
    }

    private static <T> T on(final ExecutorService thread, final Callable<T> work) throws Exception
    {
        try
        {
            return thread.submit(work).get();
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
    }

    @Test
    void aReplayStartedOnOneThreadGoesOnOnAnother() throws Exception
    {
        final ExecutorService first = Executors.newSingleThreadExecutor();
        final ExecutorService second = Executors.newSingleThreadExecutor();
        try (Store store = Store.open(dir))
        {
            record(store);
            final Recorder r = on(first, () -> Recorder.replay(store, "t", DivergencePolicy.FAIL));
            on(first, () ->
            {
                r.user("add 2 and 3");
                return r.clock(() -> fail("a replay runs nothing live"));
            });
            final ModelTurn turn = on(second, () -> r.model(REQUEST, request -> fail("a replay runs nothing live")));
            assertEquals("add", turn.toolCalls().get(0).name());
            final ToolResult result = on(first, () -> r.tool(turn.toolCalls().get(0), call -> fail("live")));
            assertEquals("5", result.content());
            assertEquals("5", on(second, () -> r.model(REQUEST, request -> fail("live")).content()));
            on(first, () ->
            {
                r.end("done");
                return null;
            });
            on(second, () ->
            {
                r.close();
                return null;
            });
            assertEquals(7, store.branch("t").length(), "a replay appends nothing");
        }
        finally
        {
            first.shutdown();
            second.shutdown();
        }
    }

    @Test
    void aReplayThatForksOnAnotherThreadGoesOnLiveThere() throws Exception
    {
        final ExecutorService first = Executors.newSingleThreadExecutor();
        final ExecutorService second = Executors.newSingleThreadExecutor();
        try (Store store = Store.open(dir))
        {
            record(store);
            final Recorder r = on(first, () -> Recorder.replay(store, "t", DivergencePolicy.FORK));
            on(first, () ->
            {
                r.user("add 2 and 3");
                return r.clock(() -> fail("a replay runs nothing live"));
            });
            final ModelTurn turn = on(second, () -> r.model("{\"model\":\"m\",\"messages\":[]}",
                request -> new ModelTurn("no tools", List.of(), "scripted", "{}")));
            assertEquals("no tools", turn.content());
            assertTrue(on(second, r::isLive));
            assertEquals(Divergence.Change.REQUEST, on(first, () -> r.divergence().change()));
            on(first, () ->
            {
                r.end("changed");
                r.close();
                return null;
            });
        }
        finally
        {
            first.shutdown();
            second.shutdown();
        }
    }
}
