package dev.forkline.kernel.replay;

import dev.forkline.kernel.Store;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Any sequence of clock and random reads, recorded live, replays value for value and bit for bit.
 */
class ExactValuesPropertyTest
{
    private static Path dir;
    private static Store store;
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    /** A clock read (a long) or a random read (the raw bits of a finite double). */
    record Read(boolean clock, long bits)
    {
        double asDouble()
        {
            return Double.longBitsToDouble(bits);
        }
    }

    @BeforeContainer
    static void open() throws IOException
    {
        dir = Files.createTempDirectory("forkline-exact");
        store = Store.open(dir);
    }

    @AfterContainer
    static void close() throws IOException
    {
        store.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Provide
    Arbitrary<List<Read>> reads()
    {
        final Arbitrary<Long> longs = Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.longs().between(1_700_000_000_000_000_000L, 1_900_000_000_000_000_000L),
            Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L << 53, (1L << 53) + 1));
        final Arbitrary<Double> doubles = Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
            Arbitraries.of(-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_NORMAL, Double.MAX_VALUE, 1e21, 1e-7, 0.1));
        final Arbitrary<Read> read = Arbitraries.oneOf(
            longs.map(value -> new Read(true, value)),
            doubles.map(value -> new Read(false, Double.doubleToRawLongBits(value))));
        return read.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 100)
    void recordedClockAndRandomValuesReplayExactly(@ForAll("reads") final List<Read> reads)
    {
        final String session = "s" + SESSIONS.incrementAndGet();
        try (Recorder live = Recorder.live(store.startSession(session, "{}")))
        {
            for (final Read read : reads)
            {
                if (read.clock())
                {
                    assertEquals(read.bits(), live.clock(read::bits));
                }
                else
                {
                    assertEquals(read.bits(), Double.doubleToRawLongBits(live.random(read::asDouble)));
                }
            }
            live.end("done");
        }
        try (Recorder replay = Recorder.replay(store, session, DivergencePolicy.FAIL))
        {
            for (final Read read : reads)
            {
                if (read.clock())
                {
                    assertEquals(read.bits(), replay.clock(() -> fail("live clock on replay")));
                }
                else
                {
                    final double replayed = replay.random(() -> fail("live random on replay"));
                    assertEquals(read.bits(), Double.doubleToRawLongBits(replayed), read.asDouble() + " came back " + replayed);
                }
            }
            replay.end("done");
        }
    }
}
