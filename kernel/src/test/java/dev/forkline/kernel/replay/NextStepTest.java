package dev.forkline.kernel.replay;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Recorder#nextStep()} is the step the next call takes, live and on replay alike.
 */
class NextStepTest
{
    @TempDir
    Path dir;

    /** Records each call's step as nextStep() gave it just before the call. */
    private static List<Long> run(final Recorder r)
    {
        final List<Long> steps = new ArrayList<>();
        steps.add(r.nextStep());
        r.user("hi");
        steps.add(r.nextStep());
        r.clock(() -> 5L);
        steps.add(r.nextStep());
        r.random(() -> 0.5);
        steps.add(r.nextStep());
        r.end("done");
        steps.add(r.nextStep());
        return steps;
    }

    @Test
    void liveAndReplayAgreeOnTheStepOfEveryCall()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter writer = store.startSession("t", "{}");
            final List<Long> live;
            try (Recorder r = Recorder.live(writer))
            {
                live = run(r);
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), live);
            assertEquals(EventKind.USER, store.event("t", 1).kind(), "the user message took step 1, as nextStep said");
            try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                assertEquals(live, run(r));
            }
        }
    }

    @Test
    void onReplayTheNextStepIsPastEventsThatAreNoCalls()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter writer = store.startSession("t", "{}");
            writer.append(EventKind.USER, "{\"content\":\"hi\"}");
            writer.append(EventKind.ANNOTATION, "{\"step\":1,\"label\":\"good\"}");
            writer.append(EventKind.CLOCK, "{\"value\":7}");
            writer.append(EventKind.OUTCOME, "{\"reward\":1}");
            try (Recorder r = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                assertEquals(1, r.nextStep());
                r.user("hi");
                assertEquals(3, r.nextStep(), "the clock at step 3, past the annotation");
                assertEquals(3, r.nextStep(), "asking twice changes nothing");
                assertEquals(7, r.clock(() -> fail("no live call")));
                assertEquals(5, r.nextStep(), "past the outcome: the end of the branch");
            }
            try (Recorder r = Recorder.replayThenLive(store, "t", 3, StepOverride.clock(9L)))
            {
                r.user("hi");
                assertEquals(3, r.nextStep(), "the step that goes live");
                assertEquals(9, r.clock(() -> fail("the override, not the live clock")));
                assertEquals(4, r.nextStep());
                assertEquals("t/1", r.branch());
            }
        }
    }
}
