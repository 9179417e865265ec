package dev.forkline.kernel.replay;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class RequestHashTest
{
    @Test
    void keyOrderAndWhitespaceDoNotChangeTheHash()
    {
        final String a = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0}";
        final String b = "{ \"temperature\" : 0,\n  \"messages\" : [ { \"content\" : \"hi\", \"role\" : \"user\" } ],\n \"model\":\"m\" }";
        assertEquals(RequestHash.of(a), RequestHash.of(b));
        assertEquals("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"model\":\"m\",\"temperature\":0}",
            RequestHash.canonical(b));
    }

    @Test
    void differentValuesOrArrayOrderChangeTheHash()
    {
        assertNotEquals(RequestHash.of("{\"a\":1}"), RequestHash.of("{\"a\":2}"));
        assertNotEquals(RequestHash.of("[1,2]"), RequestHash.of("[2,1]"));
        assertNotEquals(RequestHash.of("{\"a\":\"1\"}"), RequestHash.of("{\"a\":1}"));
    }

    @Test
    void hashIsLowercaseHexSha256OfTheCanonicalBytes()
    {
        // sha256 of the three bytes {} is well known
        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", RequestHash.of(" { } "));
    }

    @Test
    void toolCallHashReadsArgumentsAsJsonAndFallsBackToText()
    {
        assertEquals(RequestHash.ofToolCall("calc", "{\"b\":7,\"a\":6}"), RequestHash.ofToolCall("calc", "{ \"a\": 6, \"b\": 7 }"));
        assertEquals(RequestHash.of("{\"name\":\"calc\",\"arguments\":{\"a\":6}}"), RequestHash.ofToolCall("calc", "{\"a\":6}"));
        assertNotEquals(RequestHash.ofToolCall("calc", "{\"a\":6}"), RequestHash.ofToolCall("calc2", "{\"a\":6}"));
        assertEquals(RequestHash.of("{\"arguments\":\"not json {\",\"name\":\"ls\"}"), RequestHash.ofToolCall("ls", "not json {"));
    }

    @Test
    void notJsonIsACallerMistake()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RequestHash.of("{\"a\":"));
        assertTrue(ex.getMessage().startsWith("not a JSON text"), ex.getMessage());
        assertEquals("not a JSON text: key \"a\" twice in one object: {\"a\":1,\"b\":{},\"a\":2}",
            assertThrows(IllegalArgumentException.class, () -> RequestHash.of("{\"a\":1,\"b\":{},\"a\":2}")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RequestHash.of("{} {}"));
    }

    @Test
    void numbersHashByTheirExactValueAndEscapesByTheCharacter()
    {
        assertEquals(RequestHash.of("{\"x\":1.0}"), RequestHash.of("{\"x\":1.00}"));
        assertEquals(RequestHash.of("{\"x\":1}"), RequestHash.of("{\"x\":1.0}"), "1 and 1.0 are one number");
        assertEquals(RequestHash.of("{\"x\":100}"), RequestHash.of("{\"x\":1e2}"));
        assertNotEquals(RequestHash.of("{\"x\":1764435600123456789}"), RequestHash.of("{\"x\":1764435600123456768}"));
        assertNotEquals(RequestHash.of("{\"x\":0.1}"), RequestHash.of("{\"x\":0.1000000000000000000001}"));
        assertEquals("{\"x\":1e+21}", RequestHash.canonical("{\"x\":1000000000000000000000}"));
        assertEquals(RequestHash.of("{\"x\":\"A\"}"), RequestHash.of("{\"x\":\"\\u0041\"}"));
        assertEquals(RequestHash.of("{\"x\":\"a/b\"}"), RequestHash.of("{\"x\":\"a\\/b\"}"));
        assertEquals(RequestHash.of("{\"k\":\"é\\n\"}"), RequestHash.of("{ \"k\":\"\\u00e9\\n\"}"));
    }

    /** The fast path (already canonical text) and the tree path must agree on every input. */
    @Property(tries = 300)
    void shuffledAndSpacedFormsHashAlike(@ForAll("values") final Object value, @ForAll final long seed)
    {
        final String sorted = write(value, false, new java.util.Random(seed));
        final String shuffled = write(value, true, new java.util.Random(seed));
        assertEquals(RequestHash.canonical(shuffled), RequestHash.canonical(sorted));
        assertEquals(RequestHash.of(sorted), RequestHash.of(shuffled));
        assertEquals(RequestHash.of(RequestHash.canonical(shuffled)), RequestHash.of(shuffled));
    }

    /**
     * The scan that lets canonical text skip the tree must never accept a text that is not canonical: whatever the
     * text, its hash is the hash of its canonical form.
     */
    @Property(tries = 1000)
    void theHashIsAlwaysTheHashOfTheCanonicalForm(@ForAll("texts") final String text) throws Exception
    {
        final byte[] canonical = RequestHash.canonical(text).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] sum = java.security.MessageDigest.getInstance("SHA-256").digest(canonical);
        assertEquals("sha256:" + java.util.HexFormat.of().formatHex(sum), RequestHash.of(text), text);
    }

    @Provide
    Arbitrary<String> texts()
    {
        final Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(24);
        final Arbitrary<String> integer = Arbitraries.oneOf(Arbitraries.just("0"),
            Combinators.combine(Arbitraries.integers().between(1, 9), digits.injectNull(0.5)).as((d, r) -> d + (r == null ? "" : r)));
        final Arbitrary<String> number = Combinators.combine(
            Arbitraries.of("", "-"), integer, digits.map(f -> "." + f).injectNull(0.5),
            Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"), Arbitraries.integers().between(0, 30))
                .as((e, sign, n) -> e + sign + n).injectNull(0.7))
            .as((sign, i, fraction, exponent) -> sign + i + (fraction == null ? "" : fraction) + (exponent == null ? "" : exponent));
        final Arbitrary<String> string = Arbitraries.strings()
            .withChars('a', 'é', '\u2028', '\u007f', '\ud83d', '\ude00', '\uff61', '"', '\\', '\n', '\u0001', '/')
            .ofMaxLength(6).map(RequestHashTest::literal);
        final Arbitrary<String> value = Arbitraries.oneOf(number, string, Arbitraries.of("true", "false", "null"));
        return Arbitraries.oneOf(
            value.list().ofMaxSize(5).map(values -> "[" + String.join(",", values) + "]"),
            Combinators.combine(string, value).as((k, v) -> "{" + k + ":" + v + "}"),
            value);
    }

    /** A JSON string literal that writes some characters raw and some as escapes, as other writers do. */
    private static String literal(final String s)
    {
        final StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20 || (i % 3 == 0 && c > 0x7f))
            {
                out.append(String.format("\\u%04X", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Provide
    Arbitrary<Object> values()
    {
        final Arbitrary<Object> leaf = Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(8).map(s -> (Object)s),
            Arbitraries.longs().map(l -> (Object)l),
            Arbitraries.doubles().between(-1e6, 1e6).map(d -> (Object)d),
            Arbitraries.of(true, false).map(b -> (Object)b));
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
            inner.list().ofMaxSize(4).map(l -> (Object)l),
            Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), inner).ofMaxSize(4).map(m -> (Object)new TreeMap<>(m))),
            3);
    }

    private static String write(final Object value, final boolean shuffle, final java.util.Random random)
    {
        final StringBuilder out = new StringBuilder();
        write(value, shuffle, random, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(final Object value, final boolean shuffle, final java.util.Random random, final StringBuilder out)
    {
        if (value instanceof Map<?, ?> map)
        {
            final List<Map.Entry<String, Object>> entries = new ArrayList<>(((Map<String, Object>)map).entrySet());
            if (shuffle)
            {
                Collections.shuffle(entries, random);
            }
            out.append(shuffle ? "{ " : "{");
            for (int i = 0; i < entries.size(); i++)
            {
                out.append(i == 0 ? "" : shuffle ? " ,\n" : ",");
                out.append(quote(entries.get(i).getKey(), shuffle)).append(shuffle ? " : " : ":");
                write(entries.get(i).getValue(), shuffle, random, out);
            }
            out.append('}');
        }
        else if (value instanceof List<?> list)
        {
            out.append('[');
            for (int i = 0; i < list.size(); i++)
            {
                out.append(i == 0 ? "" : shuffle ? ", " : ",");
                write(list.get(i), shuffle, random, out);
            }
            out.append(']');
        }
        else if (value instanceof String s)
        {
            out.append(quote(s, shuffle));
        }
        else
        {
            out.append(value);
        }
    }

    /** Canonical strings use Jackson's escapes; the shuffled form escapes every non-letter as \\uXXXX. */
    private static String quote(final String s, final boolean unicodeEscapes)
    {
        if (!unicodeEscapes)
        {
            return RequestHash.canonical(com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString());
        }
        final StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (Character.isLetterOrDigit(c) && c < 0x80)
            {
                out.append(c);
            }
            else
            {
                out.append(String.format("\\u%04x", (int)c));
            }
        }
        return out.append('"').toString();
    }
}
