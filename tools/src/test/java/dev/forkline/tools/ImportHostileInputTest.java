package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hostile files for every importer: each is rejected with one line that names the file (and the line),
 * exit code 2, no OutOfMemoryError, no hang, and the store unchanged.
 */
@Timeout(60)
class ImportHostileInputTest
{
    @TempDir
    static Path dir;

    private static ImportRun run;

    @BeforeAll
    static void store() throws IOException
    {
        run = new ImportRun(dir);
    }

    private String rejected(final ImportRun.Format format, final byte[] content) throws IOException
    {
        return run.importRejected(format, run.write(format, content));
    }

    private String rejectedContent(final ImportRun.Format format, final byte[] value) throws IOException
    {
        return run.importRejected(format, run.write(format, HostileJson.withContent(format, value)));
    }

    @ParameterizedTest
    @EnumSource(ImportRun.Format.class)
    void theSeedsImport(final ImportRun.Format format) throws IOException
    {
        final Cli.Result result = run.importAny(format, run.write(format, format.seed.getBytes(StandardCharsets.UTF_8)));
        if (format == ImportRun.Format.EVENTS)
        {
            assertEquals(2, result.code(), "session s is in the store already");
        }
        else
        {
            assertEquals(0, result.code(), result.err());
        }
    }

    @ParameterizedTest
    @EnumSource(ImportRun.Format.class)
    void aHundredThousandNestedArraysAreTooDeep(final ImportRun.Format format) throws IOException
    {
        final String line = HostileJson.contentLine(format) + ": ";
        assertEquals(line + "arrays and objects nested deeper than 1000 levels",
            rejectedContent(format, HostileJson.nested(100_000, true)));
        assertEquals(line + "arrays and objects nested deeper than 1000 levels",
            rejectedContent(format, HostileJson.nested(100_000, false)));
        assertEquals(format == ImportRun.Format.EVENTS ? "1: not a JSON object" : "1: arrays and objects nested deeper than 1000 levels",
            rejected(format, HostileJson.nested(100_000, true)));
    }

    @ParameterizedTest
    @EnumSource(ImportRun.Format.class)
    void aStringOfTensOfMegabytesIsRefusedWhileParsing(final ImportRun.Format format) throws IOException
    {
        // an event's data is skipped over, not read, and then measured
        assertEquals(HostileJson.contentLine(format) + (format == ImportRun.Format.EVENTS ?
                ": data is over the limit of 1048576 bytes" : ": a string longer than 16777216 characters"),
            rejectedContent(format, HostileJson.string(40_000_000)));
    }

    @ParameterizedTest
    @EnumSource(ImportRun.Format.class)
    void aStringOverThePayloadLimitIsRefusedBeforeWriting(final ImportRun.Format format) throws IOException
    {
        final String error = rejectedContent(format, HostileJson.string(2_000_000));
        assertTrue(error.contains("over the") && error.contains("limit of 1048576 bytes"), error);
    }

    @ParameterizedTest
    @EnumSource(value = ImportRun.Format.class, names = {"EVENTS", "OPENAI_CHAT"})
    void aLineOverTheLimitIsRefusedWithoutReadingItAll(final ImportRun.Format format) throws IOException
    {
        final byte[] content = new byte[InputText.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(content, (byte)' ');
        content[0] = '\n';
        assertEquals("2: line is longer than the limit of " + InputText.MAX_LINE_BYTES + " bytes", rejected(format, content));
    }

    @ParameterizedTest
    @EnumSource(ImportRun.Format.class)
    void invalidUtf8IsRefusedWithItsLine(final ImportRun.Format format) throws IOException
    {
        final int line = HostileJson.contentLine(format);
        final List<byte[]> invalid = List.of(
            new byte[] {'"', 'o', (byte)0xff, (byte)0xfe, '"'},  // bytes UTF-8 never uses
            new byte[] {'"', (byte)0xc0, (byte)0xaf, '"'},        // an overlong '/'
            new byte[] {'"', (byte)0xed, (byte)0xa0, (byte)0x80, '"'}, // a surrogate
            new byte[] {'"', (byte)0xe2, (byte)0x82, '"'},        // a sequence cut short
            new byte[] {(byte)0x80});                             // a continuation byte alone
        for (final byte[] value : invalid)
        {
            final String error = rejectedContent(format, value);
            assertTrue(error.startsWith(line + ": not UTF-8 text (byte 0x"), error);
        }
    }

    @ParameterizedTest
    @EnumSource(ImportRun.Format.class)
    void truncatedFilesAreRefusedAtEveryLength(final ImportRun.Format format) throws IOException
    {
        final byte[] seed = format.seed.strip().getBytes(StandardCharsets.UTF_8);
        for (int length = 0; length < seed.length; length += Math.max(1, seed.length / 12))
        {
            final Cli.Result result = run.importAny(format, run.write(format, java.util.Arrays.copyOf(seed, length)));
            if (length > 0 && format != ImportRun.Format.OPENAI_CHAT)
            {
                assertEquals(2, result.code(), "a cut " + format.name + " file of " + length + " bytes");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ImportRun.Format.class)
    void everyFieldWithAValueOfTheWrongTypeIsAcceptedOrRefusedWithItsFile(final ImportRun.Format format) throws IOException
    {
        final List<String> documents = HostileJson.documents(format);
        int refused = 0;
        int checked = 0;
        for (int index = 0; index < documents.size(); index++)
        {
            for (final JsonPointer place : HostileJson.places(documents.get(index)))
            {
                for (final String value : HostileJson.WRONG_VALUES)
                {
                    refused += run.readersAccept(format, run.write(format, HostileJson.replaced(format, index, place, value))) ? 0 : 1;
                    checked++;
                }
            }
        }
        assertTrue(refused > checked / 4, refused + " of " + checked + " refused");
    }

    @Test
    void aFieldTwiceInOneObjectIsRefused() throws IOException
    {
        assertEquals("1: a field comes twice in one object: 'session'", rejected(ImportRun.Format.EVENTS,
            ImportRun.EVENTS.replace("{\"session\":\"s\",", "{\"session\":\"s\",\"session\":\"t\",").getBytes(StandardCharsets.UTF_8)));
        assertEquals("1: a field comes twice in one object: 'role'", rejected(ImportRun.Format.SWE_AGENT,
            ImportRun.SWE_AGENT.replace("{\"role\":\"system\",", "{\"role\":\"system\",\"role\":\"user\",").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void textAfterTheDocumentIsRefused() throws IOException
    {
        assertTrue(rejected(ImportRun.Format.OPENHANDS, (ImportRun.OPENHANDS + " []").getBytes(StandardCharsets.UTF_8))
            .startsWith("1: not JSON: Trailing token"));
        assertTrue(rejected(ImportRun.Format.OPENAI_CHAT, (ImportRun.OPENAI_CHAT.strip() + " {}").getBytes(StandardCharsets.UTF_8))
            .startsWith("2: not JSON: Trailing token"));
    }

    @Test
    void aToolCallIdTwiceInOneTurnIsRefused() throws IOException
    {
        final String twiceInOneTurn = ImportRun.OPENAI_CHAT.replace("\"arguments\":\"{}\"}}]}",
            "\"arguments\":\"{}\"}},{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"cat\",\"arguments\":\"{}\"}}]}");
        assertEquals("1: messages[2]: tool call id 'c1' comes twice in one turn",
            rejected(ImportRun.Format.OPENAI_CHAT, twiceInOneTurn.getBytes(StandardCharsets.UTF_8)));

        final String twiceInOneMessage = ImportRun.SWE_AGENT.replace("{\"role\":\"assistant\",\"content\":\"run\",\"action\":\"python a.py\"}",
            "{\"role\":\"assistant\",\"content\":\"again\",\"tool_calls\":[{\"id\":\"c2\",\"function\":{\"name\":\"ls\"}}," +
            "{\"id\":\"c2\",\"function\":{\"name\":\"cat\"}}]}");
        assertEquals("history[4]: tool call id 'c2' comes twice in one turn",
            rejected(ImportRun.Format.SWE_AGENT, twiceInOneMessage.getBytes(StandardCharsets.UTF_8)));

        final String twiceInOneResponse = ImportRun.OPENHANDS.replace("{\"id\":4,",
            "{\"id\":5,\"timestamp\":\"2025-01-27T22:45:21.500\",\"source\":\"agent\",\"action\":\"run\",\"args\":{}," +
            "\"tool_call_metadata\":{\"function_name\":\"execute_bash\",\"tool_call_id\":\"t2\",\"model_response\":{\"id\":\"r2\"," +
            "\"choices\":[{\"message\":{\"tool_calls\":[{\"id\":\"t2\",\"function\":{\"name\":\"execute_bash\"}}," +
            "{\"id\":\"t2\",\"function\":{\"name\":\"execute_bash\"}}]}}]}}},{\"id\":6,");
        assertEquals("event 5: tool call id 't2' comes twice in one turn",
            rejected(ImportRun.Format.OPENHANDS, twiceInOneResponse.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @EnumSource(ImportRun.Format.class)
    void aSessionIdGivenByTwoFilesIsRefused(final ImportRun.Format format) throws IOException
    {
        final byte[] content = format == ImportRun.Format.EVENTS ?
            ImportRun.EVENTS.replace("\"s\"", "\"u\"").replace("\"s/1\"", "\"u/1\"").getBytes(StandardCharsets.UTF_8) : format.seed.getBytes(StandardCharsets.UTF_8);
        final Path first = Files.createDirectories(dir.resolve("a")).resolve("same." + format.extension);
        final Path second = Files.createDirectories(dir.resolve("b")).resolve("same." + format.extension);
        Files.write(first, content);
        Files.write(second, content);
        final String error = run.importRejected(format, first, second);
        assertTrue(error.contains("session '") && (error.contains("comes twice in this import") ||
            error.contains("is in another file of this import too")), error);
    }

    @Test
    void aSessionInTheStoreAlreadyIsRefusedNamingTheFile() throws IOException
    {
        assertEquals("1: session 's' is in the store already (import it with another --session, or into another --store)",
            rejected(ImportRun.Format.EVENTS, ImportRun.EVENTS.getBytes(StandardCharsets.UTF_8)));
    }
}
