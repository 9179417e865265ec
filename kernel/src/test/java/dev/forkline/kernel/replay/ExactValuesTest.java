package dev.forkline.kernel.replay;

import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every value a recorder returns live comes back bit for bit on replay: longs of every size, doubles with their
 * sign and every digit, and JSON payloads with numbers beyond a double.
 */
class ExactValuesTest
{
    private static final String BIG = "{\"amount\":0.1000000000000000000001,\"count\":123456789012345678901234567890," +
        "\"huge\":1e400,\"zero\":-0.0,\"tiny\":4.9E-324,\"text\":\"caf\\u00e9 \\ud83d\\ude00\"}";

    @TempDir
    Path dir;

    @Test
    void aNineteenDigitClockValueReplaysExactly()
    {
        final long[] values = {1764435600123456789L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0L, 999_999_999_999_999_999L};
        try (Store store = Store.open(dir))
        {
            try (Recorder live = Recorder.live(store.startSession("t", "{}")))
            {
                for (final long value : values)
                {
                    assertEquals(value, live.clock(() -> value));
                }
            }
            assertEquals("{\"value\":1764435600123456789}", store.event("t", 1).payloadAsString(), "stored right");
            try (Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                for (final long value : values)
                {
                    assertEquals(value, replay.clock(() -> fail("no live call on replay")));
                }
            }
        }
    }

    @Test
    void doublesReplayWithTheirSignAndEveryBit()
    {
        final double[] values = {-0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 0.1, 1e21, 1e-7, Math.PI, 123456789.0};
        try (Store store = Store.open(dir))
        {
            try (Recorder live = Recorder.live(store.startSession("t", "{}")))
            {
                for (final double value : values)
                {
                    live.random(() -> value);
                }
            }
            try (Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                for (final double value : values)
                {
                    final double replayed = replay.random(() -> fail("no live call on replay"));
                    assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(replayed), value + " came back " + replayed);
                }
            }
        }
    }

    @Test
    void nanAndInfinitiesAreRejectedBeforeAnythingIsRecorded()
    {
        try (Store store = Store.open(dir))
        {
            try (Recorder live = Recorder.live(store.startSession("t", "{}")))
            {
                final IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> live.random(() -> Double.NaN));
                assertEquals("a random value must be finite (JSON has no NaN or infinity): NaN", nan.getMessage());
                assertThrows(IllegalArgumentException.class, () -> live.random(() -> Double.NEGATIVE_INFINITY));
                assertEquals(1, store.branch("t").length(), "nothing appended");
            }
            final IllegalArgumentException override = assertThrows(IllegalArgumentException.class,
                () -> StepOverride.random(Double.POSITIVE_INFINITY));
            assertEquals("a random value must be finite (JSON has no NaN or infinity): Infinity", override.getMessage());
        }
    }

    @Test
    void effectResponsesAndUsageKeepNumbersBeyondADoubleAndReplayAsLiveReturnedThem()
    {
        try (Store store = Store.open(dir))
        {
            final String liveResponse;
            final ModelTurn liveTurn;
            try (Recorder live = Recorder.live(store.startSession("t", "{}")))
            {
                liveResponse = live.effect("bank.balance", "{ \"account\" : 1 }", request -> " " + BIG + "\n");
                liveTurn = live.model("{\"messages\":[]}", request -> new ModelTurn("ok", List.of(), "m", "{ \"cost\": 0.1000000000000000000001 }"));
            }
            assertEquals(BIG, liveResponse, "the response as recorded: without the white space around it");
            assertEquals("{\"cost\":0.1000000000000000000001}", liveTurn.usage());
            try (Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                assertEquals(liveResponse, replay.effect("bank.balance", "{\"account\":1}", request -> fail("no live call")));
                assertEquals(liveTurn, replay.model("{\"messages\":[]}", request -> fail("no live call")));
            }
        }
    }

    @Test
    void toolCallArgumentsRecordedAsAnObjectReplayExactly()
    {
        try (Store store = Store.open(dir))
        {
            final var writer = store.startSession("t", "{}");
            writer.append(dev.forkline.kernel.EventKind.MODEL_RESPONSE,
                "{\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"name\":\"pay\",\"arguments\":{\"amount\":0.1000000000000000000001}}]}");
            try (Recorder replay = Recorder.replay(store, "t", DivergencePolicy.FAIL))
            {
                final ModelTurn turn = replay.model("{}", request -> fail("no live call"));
                assertEquals("{\"amount\":0.1000000000000000000001}", turn.toolCalls().get(0).arguments());
            }
        }
    }
}
