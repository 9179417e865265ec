package dev.forkline.kernel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random sequences of append, fork, append-to-fork, reopen and read, checked against a plain in-memory
 * model in which every branch is simply the list of its payloads.
 */
class ForkModelPropertyTest
{
    enum Op
    {
        START, APPEND, FORK, REOPEN, READ
    }

    record Action(Op op, int target, int amount)
    {
    }

    @Provide
    Arbitrary<List<Action>> actions()
    {
        final Arbitrary<Op> ops = Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(Op.START)),
            Tuple.of(10, Arbitraries.just(Op.APPEND)),
            Tuple.of(4, Arbitraries.just(Op.FORK)),
            Tuple.of(1, Arbitraries.just(Op.REOPEN)),
            Tuple.of(3, Arbitraries.just(Op.READ)));
        final Arbitrary<Action> action = Combinators.combine(
            ops, Arbitraries.integers().between(0, 1_000), Arbitraries.integers().between(0, 1_000)).as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 40)
    void theStoreAgreesWithTheModel(@ForAll("actions") final List<Action> actions) throws IOException
    {
        final Path dir = Files.createTempDirectory("forkline-model");
        final Map<String, List<String>> model = new LinkedHashMap<>();
        Store store = Store.open(dir);
        try
        {
            int counter = 0;
            for (final Action action : actions)
            {
                final List<String> names = new ArrayList<>(model.keySet());
                switch (action.op())
                {
                    case START ->
                    {
                        final String id = "s" + model.size();
                        store.startSession(id, "{\"n\":" + counter + "}");
                        model.put(id, new ArrayList<>(List.of("{\"n\":" + counter++ + "}")));
                    }
                    case APPEND ->
                    {
                        if (names.isEmpty())
                        {
                            continue;
                        }
                        final String branch = names.get(action.target() % names.size());
                        final String payload = "{\"n\":" + counter++ + "}";
                        final long step = store.writer(branch).append(EventKind.EFFECT, payload);
                        assertEquals(model.get(branch).size(), step);
                        model.get(branch).add(payload);
                    }
                    case FORK ->
                    {
                        if (names.isEmpty())
                        {
                            continue;
                        }
                        final String parent = names.get(action.target() % names.size());
                        final List<String> parentEvents = model.get(parent);
                        final int at = action.amount() % (parentEvents.size() + 1);
                        final BranchWriter fork = store.fork(parent, at, null);
                        model.put(fork.branch(), new ArrayList<>(parentEvents.subList(0, at)));
                    }
                    case REOPEN ->
                    {
                        store.close();
                        store = Store.open(dir);
                    }
                    case READ ->
                    {
                        if (!names.isEmpty())
                        {
                            final String branch = names.get(action.target() % names.size());
                            assertBranch(store, branch, model.get(branch), action.amount());
                        }
                    }
                }
            }
            store.close();
            try (Store reader = Store.openReadOnly(dir))
            {
                for (final Map.Entry<String, List<String>> entry : model.entrySet())
                {
                    assertBranch(reader, entry.getKey(), entry.getValue(), 0);
                    assertEquals(entry.getValue().size(), reader.branch(entry.getKey()).length());
                }
                assertEquals(model.keySet().stream().filter(n -> n.indexOf('/') < 0).toList(), reader.sessions());
            }
        }
        finally
        {
            store.close();
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void assertBranch(final Store store, final String branch, final List<String> expected, final int probe)
    {
        final List<String> actual = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                actual.add(cursor.event().payloadAsString());
            }
        }
        assertEquals(expected, actual, branch);
        if (!expected.isEmpty())
        {
            final int step = probe % expected.size();
            assertEquals(expected.get(step), store.event(branch, step).payloadAsString(), branch + "@" + step);
        }
    }
}
