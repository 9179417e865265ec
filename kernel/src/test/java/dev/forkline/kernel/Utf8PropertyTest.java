package dev.forkline.kernel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernel's UTF-8 encoder writes exactly the bytes {@code String.getBytes(UTF_8)} does, for any string: a paired
 * surrogate is one four-byte code point, an unpaired one is {@code ?} (the JDK's replacement byte), as
 * {@link Utf8#encodedLength} documents.
 */
class Utf8PropertyTest
{
    private static final int SLACK = 3;

    @Property(tries = 2_000)
    void encodesAsTheJdkDoes(@ForAll("text") final String text)
    {
        final byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected.length, Utf8.encodedLength(text), "encodedLength");
        assertArrayEquals(expected, encode(text), "as a String");
        assertArrayEquals(expected, encode(new StringBuilder(text)), "as another CharSequence");
    }

    @Test
    void unpairedSurrogatesBecomeAQuestionMarkAsInTheJdk()
    {
        for (final String text : new String[] {"\uD800", "\uDC00", "a\uDBFFb", "\uDC00\uD800", "\uD83D\uD83D\uDE00", "\uD83D"})
        {
            final byte[] expected = text.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, encode(text), text.chars().mapToObj(Integer::toHexString).toList().toString());
        }
        assertArrayEquals(new byte[] {'?'}, encode("\uD800"));
        assertArrayEquals("\uD83D\uDE00".getBytes(StandardCharsets.UTF_8), encode("\uD83D\uDE00"));
    }

    /**
     * Strings weighted towards the edges of UTF-8: ASCII, two- and three-byte chars, the last chars before and the
     * first after the surrogates, and high and low surrogates alone, so that pairs and unpaired ones both occur often.
     */
    @Provide
    Arbitrary<String> text()
    {
        final Arbitrary<Character> chars = Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.chars().range('\u0000', '\u007F')),
            Tuple.of(2, Arbitraries.chars().range('\u0080', '\u07FF')),
            Tuple.of(2, Arbitraries.chars().range('\u0800', '\uFFFF')),
            Tuple.of(1, Arbitraries.of('\u007F', '\u0080', '\u07FF', '\u0800', '\uD7FF', '\uE000', '\uFFFF')),
            Tuple.of(3, Arbitraries.chars().range('\uD800', '\uDBFF')),
            Tuple.of(3, Arbitraries.chars().range('\uDC00', '\uDFFF')));
        return chars.list().ofMaxSize(40).map(list ->
        {
            final StringBuilder out = new StringBuilder(list.size());
            list.forEach(out::append);
            return out.toString();
        });
    }

    private static byte[] encode(final CharSequence text)
    {
        final byte[] bytes = new byte[text.length() * 3 + SLACK];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int length = Utf8.encode(text, buffer, SLACK);
        for (int i = 0; i < SLACK; i++)
        {
            assertEquals(0, bytes[i], "wrote before its index");
        }
        for (int i = SLACK + length; i < bytes.length; i++)
        {
            assertEquals(0, bytes[i], "wrote past the length it returned");
        }
        return Arrays.copyOfRange(bytes, SLACK, SLACK + length);
    }
}
