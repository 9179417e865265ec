package dev.forkline.tools;

import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Control characters from the input (arguments, file names, payloads) never reach the terminal: every message and
 * every line shows them as escapes.
 */
class MessagesTest
{
    private static final String ESC = "\u001b";

    @TempDir
    Path dir;

    private static void assertNoControlCharacters(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            assertFalse(c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c >= 0x202a && c <= 0x202e,
                "control character " + (int)c + " in: " + text);
        }
    }

    @Test
    void controlCharactersInArgumentsAreEscapedInErrors()
    {
        final String store = dir.resolve("store").toString();
        try (Store writer = Store.open(Path.of(store)))
        {
            writer.startSession("s");
        }
        final Cli.Result show = Cli.run("show", ESC + "[31mred", "--store", store);
        assertEquals(2, show.code());
        assertEquals("forkline: unknown session '\\x1b[31mred'\n", show.err());

        final Cli.Result export = Cli.run("export", "--session", ESC + "]0;title\u0007", "--store", store);
        assertEquals(2, export.code());
        assertEquals("forkline: unknown session '\\x1b]0;title\\x07'\n", export.err());

        final Cli.Result noStore = Cli.run("ls", "--store", dir.resolve("a" + ESC + "[2Jb").toString());
        assertEquals(2, noStore.code());
        assertNoControlCharacters(noStore.err());
        assertTrue(noStore.err().contains("a\\x1b[2Jb"), noStore.err());

        final Cli.Result option = Cli.run("ls", "--bogus" + ESC + "[5m");
        assertEquals(2, option.code());
        assertNoControlCharacters(option.err());
        assertTrue(option.err().startsWith("forkline: Unknown option: '--bogus\\x1b[5m'"), option.err());

        final Cli.Result file = Cli.run("import", "--format", "events", dir.resolve("x\r" + ESC + "[1A.jsonl").toString(),
            "--store", store);
        assertEquals(2, file.code());
        assertNoControlCharacters(file.err());
        assertTrue(file.err().contains("x\\r\\x1b[1A.jsonl"), file.err());
    }

    @Test
    void controlCharactersInPayloadsAreEscapedInTimelines()
    {
        final String store = dir.resolve("store").toString();
        try (Store writer = Store.open(Path.of(store)))
        {
            writer.startSession("s").append(EventKind.USER, "{\"content\":\"clear\\u001b[2J bell\\u0007 csi\\u009b rtl\\u202e\"}");
        }
        for (final String[] command : new String[][] {{"show", "s"}, {"tail"}, {"diff", "s", "s"}})
        {
            final String[] args = new String[command.length + 2];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "--store";
            args[command.length + 1] = store;
            final Cli.Result result = Cli.run(args);
            assertEquals(0, result.code(), result.err());
            assertNoControlCharacters(result.out());
        }
        final Cli.Result show = Cli.run("show", "s", "--store", store);
        assertTrue(show.out().contains("\"clear\\x1b[2J bell\\x07 csi\\u009b rtl\\u202e\""), show.out());
    }
}
