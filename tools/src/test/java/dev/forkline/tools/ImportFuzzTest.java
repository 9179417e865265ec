package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonPointer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Random damage to a valid file of each import format: cuts, garbage bytes and JSON tokens spliced in,
 * values of the wrong type, repeated stretches, unclosed nesting. Every import either succeeds or fails with
 * one line naming the file, exit code 2, and the store unchanged; none hangs.
 * <p>
 * The tries of each property are {@code forkline.fuzz.tries} in {@code tools/pom.xml} (100);
 * {@code mvn test -Dforkline.fuzz.tries=N} for a longer run.
 */
class ImportFuzzTest
{
    private static final List<String> TOKENS = List.of(
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "-", "1e99999", "0x1", "NaN",
        "\"session\":", "\"role\":", "\"id\":", "\"tool_calls\":", "\n", "\r", "\t", "\u0000", "é", "😀");

    private static Path directory;
    private static ImportRun run;

    /**
     * One change to a file's bytes. {@code at}, {@code length} and {@code index} are taken modulo what the
     * file offers.
     */
    record Damage(Kind kind, int at, int length, int index, byte[] garbage)
    {
        enum Kind
        {
            CUT, SPLICE, WRONG_TYPE, REPEAT, OPEN_NESTING
        }

        byte[] apply(final ImportRun.Format format, final byte[] file)
        {
            final int position = file.length == 0 ? 0 : Math.floorMod(at, file.length + 1);
            final int end = Math.min(file.length, position + length);
            final ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + garbage.length + 16);
            switch (kind)
            {
                case CUT -> out.write(file, 0, position);
                case SPLICE ->
                {
                    out.write(file, 0, position);
                    out.writeBytes(garbage);
                    out.write(file, end, file.length - end);
                }
                case WRONG_TYPE ->
                {
                    return wrongType(format);
                }
                case REPEAT ->
                {
                    out.write(file, 0, end);
                    out.write(file, position, end - position);
                    out.write(file, end, file.length - end);
                }
                case OPEN_NESTING ->
                {
                    out.write(file, 0, position);
                    out.writeBytes(HostileJson.nested(1 + length * 50, false));
                    out.write(file, position, file.length - position);
                }
            }
            return out.toByteArray();
        }

        private byte[] wrongType(final ImportRun.Format format)
        {
            final List<String> documents = HostileJson.documents(format);
            final int document = Math.floorMod(index, documents.size());
            final List<JsonPointer> places = HostileJson.places(documents.get(document));
            final JsonPointer place = places.get(Math.floorMod(at, places.size()));
            final String value = HostileJson.WRONG_VALUES.get(Math.floorMod(length, HostileJson.WRONG_VALUES.size()));
            return HostileJson.replaced(format, document, place, value);
        }
    }

    @BeforeContainer
    static void store() throws IOException
    {
        directory = Files.createTempDirectory("forkline-fuzz");
        run = new ImportRun(directory);
    }

    @AfterContainer
    static void removeStore() throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }

    @Provide
    Arbitrary<List<Damage>> damage()
    {
        final Arbitrary<byte[]> tokens = Arbitraries.of(TOKENS).list().ofMaxSize(6)
            .map(list -> String.join("", list).getBytes(StandardCharsets.UTF_8));
        final Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
        final Arbitrary<Damage> one = Combinators.combine(
            Arbitraries.of(Damage.Kind.class),
            Arbitraries.integers().between(0, 100_000),
            Arbitraries.integers().between(0, 64),
            Arbitraries.integers().between(0, 16),
            Arbitraries.oneOf(tokens, bytes)).as(Damage::new);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    private static void importDamaged(final ImportRun.Format format, final List<Damage> damage) throws IOException
    {
        byte[] file = format.seed.getBytes(StandardCharsets.UTF_8);
        for (final Damage change : damage)
        {
            file = change.apply(format, file);
        }
        run.importAny(format, run.write(format, file));
    }

    @Property
    void damagedEventsFiles(@ForAll("damage") final List<Damage> damage) throws IOException
    {
        importDamaged(ImportRun.Format.EVENTS, damage);
    }

    @Property
    void damagedSweAgentTrajectories(@ForAll("damage") final List<Damage> damage) throws IOException
    {
        importDamaged(ImportRun.Format.SWE_AGENT, damage);
    }

    @Property
    void damagedOpenHandsEventArrays(@ForAll("damage") final List<Damage> damage) throws IOException
    {
        importDamaged(ImportRun.Format.OPENHANDS, damage);
    }

    @Property
    void damagedOpenAiChatFiles(@ForAll("damage") final List<Damage> damage) throws IOException
    {
        importDamaged(ImportRun.Format.OPENAI_CHAT, damage);
    }
}
