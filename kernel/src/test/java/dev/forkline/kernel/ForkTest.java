package dev.forkline.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ForkTest
{
    @TempDir
    Path dir;

    private static void appendUsers(final BranchWriter writer, final String prefix, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            writer.append(EventKind.USER, "{\"content\":\"" + prefix + i + "\"}");
        }
    }

    @Test
    void forkSharesThePrefixAndContinuesWithItsOwnEvents()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter root = store.startSession("t", (String)null);
            appendUsers(root, "r", 5); // steps 1..5
            final BranchWriter fork = store.fork("t", 3, "retry");
            assertEquals("t/1", fork.branch());
            assertEquals(3, fork.nextStep());
            assertEquals(3, fork.append(EventKind.USER, "{\"content\":\"f3\"}"));

            final List<String> lines = StoreTest.readAll(store, "t/1");
            assertEquals(List.of(
                "0 session.start {}",
                "1 user {\"content\":\"r0\"}",
                "2 user {\"content\":\"r1\"}",
                "3 user {\"content\":\"f3\"}"), lines);
            assertEquals("t", store.event("t/1", 2).branch(), "the shared prefix is the parent's");
            assertEquals("t/1", store.event("t/1", 3).branch());

            final Event forkEvent = store.forkEvent("t/1");
            assertEquals(EventKind.FORK, forkEvent.kind());
            assertEquals(3, forkEvent.step());
            assertEquals("{\"parent\":\"t\",\"at\":3,\"reason\":\"retry\"}", forkEvent.payloadAsString());
        }
    }

    @Test
    void forksOfForksAreNumberedInTheSessionAndSurviveReopen()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter root = store.startSession("t", (String)null);
            appendUsers(root, "r", 4);
            final BranchWriter one = store.fork("t", 2, null);
            appendUsers(one, "a", 3); // steps 2..4
            final BranchWriter two = store.fork("t/1", 4, "deeper");
            appendUsers(two, "b", 1); // step 4
            assertEquals("t/2", two.branch());
        }
        try (Store store = Store.openReadOnly(dir))
        {
            final List<BranchInfo> tree = store.tree("t");
            assertEquals(List.of("t", "t/1", "t/2"), tree.stream().map(BranchInfo::name).toList());
            assertEquals(new BranchInfo("t/2", "t", "t/1", 4, 5, tree.get(2).lastTimestampNanos(), null), tree.get(2));
            assertEquals(List.of(
                "0 session.start {}",
                "1 user {\"content\":\"r0\"}",
                "2 user {\"content\":\"a0\"}",
                "3 user {\"content\":\"a1\"}",
                "4 user {\"content\":\"b0\"}"), StoreTest.readAll(store, "t/2"));
        }
        try (Store store = Store.open(dir))
        {
            assertEquals("t/3", store.fork("t", 0, null).branch(), "numbering goes on after reopen");
        }
    }

    @Test
    void forkAtZeroAtTheHeadAndPastTheHead()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter root = store.startSession("t", (String)null);
            appendUsers(root, "r", 2); // 3 steps
            final BranchWriter atZero = store.fork("t", 0, null);
            assertEquals(0, atZero.append(EventKind.SYSTEM, "{\"content\":\"fresh\"}"));
            assertEquals(List.of("0 system {\"content\":\"fresh\"}"), StoreTest.readAll(store, atZero.branch()));

            final BranchWriter atHead = store.fork("t", 3, null);
            assertEquals(3, store.branch(atHead.branch()).length());

            final ForklineException past = assertThrows(ForklineException.class, () -> store.fork("t", 4, null));
            assertEquals(ForklineException.Reason.STEP_OUT_OF_RANGE, past.reason());
            assertEquals("cannot fork t@4: the branch has 3 steps (fork at 0..3)", past.getMessage());

            final ForklineException unknown = assertThrows(ForklineException.class, () -> store.fork("t/9", 0, null));
            assertEquals(ForklineException.Reason.UNKNOWN_BRANCH, unknown.reason());
            assertEquals("unknown branch 't/9'", unknown.getMessage());
        }
    }

    @Test
    void outcomesAttachAfterTheEndAndTheLatestWins()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter root = store.startSession("t", (String)null);
            root.end("done");
            root.append(EventKind.OUTCOME, "{\"reward\":0.0,\"label\":\"fail\"}");
            store.writer("t").append(EventKind.OUTCOME, "{\"reward\":1.0,\"label\":\"pass\"}");
            assertEquals("{\"reward\":1.0,\"label\":\"pass\"}", store.branch("t").outcome());
        }
    }

    @Test
    void diffFindsTheFirstDivergentStep()
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter root = store.startSession("t", (String)null);
            appendUsers(root, "r", 5); // steps 1..5
            final BranchWriter fork = store.fork("t", 2, null);
            fork.append(EventKind.USER, "{\"content\":\"r1\"}"); // same as parent's step 2
            fork.append(EventKind.USER, "{\"content\":\"other\"}"); // step 3 differs

            final BranchDiff diff = store.diff("t", "t/1", 10);
            assertEquals(3, diff.commonPrefix());
            assertEquals(3, diff.firstDifference());
            assertEquals(3, diff.differingSteps(), "step 3 differs, steps 4 and 5 only the parent has");
            assertEquals("{\"content\":\"r2\"}", diff.differences().get(0).a().payloadAsString());
            assertEquals("{\"content\":\"other\"}", diff.differences().get(0).b().payloadAsString());
            assertNull(diff.differences().get(2).b());
            assertTrue(store.diff("t", "t", 10).identical());
        }
    }
}
