package dev.forkline.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Import files of every format, generated to any size: many good entries, and optionally one bad entry at the end (or,
 * for a reversed OpenHands array, last in the order of the ids). Each knows the events its import gives, and the
 * events written before the bad entry stops it.
 */
final class GeneratedImports
{
    /** About one kilobyte of text in each message: 26 letters and a space, 38 times. */
    private static final String TEXT = "abcdefghijklmnopqrstuvwxyz ".repeat(38);

    /**
     * A generated file.
     *
     * @param events       the events an import of the good file gives.
     * @param beforeBad    the events an import writes before it meets the bad entry (when there is one).
     * @param sessions     the sessions of the good file.
     * @param badEntryLine the line (JSONL) or the number of the bad entry; -1 when there is none.
     */
    record File(Path path, long events, long beforeBad, int sessions, long badEntryLine)
    {
    }

    private GeneratedImports()
    {
    }

    /**
     * An {@code events} file of sessions of 100 events, of at least {@code bytes}; the bad line has a step its branch
     * does not have next.
     */
    static File events(final Path path, final String prefix, final long bytes, final boolean bad) throws IOException
    {
        long lines = 0;
        int sessions = 0;
        long written = 0;
        try (Writer out = writer(path))
        {
            while (written < bytes)
            {
                final String session = prefix + sessions++;
                for (int step = 0; step < 100; step++)
                {
                    final String line = eventsLine(session, step, step == 0 ? "session.start" : "user",
                        step == 0 ? "{\"agent\":\"generated\"}" : "{\"content\":\"" + step + " " + TEXT + "\"}");
                    out.write(line);
                    written += line.length();
                    lines++;
                }
            }
            if (bad)
            {
                out.write(eventsLine(prefix + (sessions - 1), 500, "user", "{\"content\":\"late\"}"));
            }
        }
        return new File(path, lines, lines, sessions, bad ? lines + 1 : -1);
    }

    private static String eventsLine(final String session, final long step, final String kind, final String data)
    {
        return "{\"session\":\"" + session + "\",\"branch\":\"" + session + "\",\"step\":" + step + ",\"kind\":\"" + kind +
            "\",\"ts\":\"" + Instant.parse("2026-11-29T17:00:00Z").plusMillis(step) + "\",\"data\":" + data + "}\n";
    }

    /**
     * A SWE-agent trajectory whose history is calls and their results, of at least {@code bytes}, with {@code info} and
     * {@code replay_config} after the history as SWE-agent writes them; the bad message has no role.
     */
    static File sweAgent(final Path path, final long bytes, final boolean bad) throws IOException
    {
        long messages = 0;
        try (Writer out = writer(path))
        {
            out.write("{\"environment\":\"generated\",\"history\":[\n{\"role\":\"system\",\"content\":\"be brief\"}");
            messages++;
            long written = 0;
            while (written < bytes)
            {
                final String id = "call_" + messages;
                final String call = ",\n{\"role\":\"assistant\",\"content\":\"" + TEXT + "\",\"tool_calls\":[{\"id\":\"" + id +
                    "\",\"type\":\"function\",\"function\":{\"name\":\"bash\",\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\"}}]}" +
                    ",\n{\"role\":\"tool\",\"content\":\"" + TEXT + "\",\"tool_call_ids\":[\"" + id + "\"]}";
                out.write(call);
                written += call.length();
                messages += 2;
            }
            if (bad)
            {
                out.write(",\n{\"content\":\"no role\"}");
            }
            out.write("\n],\"info\":{\"exit_status\":\"submitted\"},\"replay_config\":{\"agent\":{\"model\":{\"name\":\"gen\"}}}}\n");
        }
        // session.start, the messages, an outcome and session.end
        return new File(path, messages + 3, messages + 1, 1, bad ? messages : -1);
    }

    /**
     * An OpenHands event array of user and agent messages, of at least {@code bytes}, in the order of its ids or
     * reversed; the bad event (the last id) is neither an action nor an observation.
     */
    static File openHands(final Path path, final long bytes, final boolean reversed, final boolean bad) throws IOException
    {
        // the entries are written to a file of their own, one a line, so that a reversed array needs no memory either
        final Path lines = Files.createTempFile(path.getParent(), "entries", ".txt");
        long count = 0;
        long written = 0;
        try (Writer out = writer(lines))
        {
            while (written < bytes)
            {
                final String source = count % 2 == 0 ? "user" : "agent";
                final String entry = "{\"id\":" + count + ",\"timestamp\":\"" + Instant.parse("2025-03-04T09:00:00Z").plusMillis(count) +
                    "\",\"source\":\"" + source + "\",\"action\":\"message\",\"args\":{\"content\":\"" + TEXT + "\"}}";
                out.write(entry + "\n");
                written += entry.length();
                count++;
            }
            if (bad)
            {
                out.write("{\"id\":" + count + ",\"timestamp\":\"" + Instant.parse("2025-03-04T09:00:00Z").plusMillis(count) +
                    "\",\"source\":\"agent\"}\n");
            }
        }
        final long entries = count + (bad ? 1 : 0);
        try (Writer out = writer(path))
        {
            out.write("[\n");
            if (reversed)
            {
                writeReversed(lines, out);
            }
            else
            {
                try (var in = Files.newBufferedReader(lines))
                {
                    String line;
                    boolean first = true;
                    while ((line = in.readLine()) != null)
                    {
                        out.write((first ? "" : ",\n") + line);
                        first = false;
                    }
                }
            }
            out.write("\n]\n");
        }
        Files.delete(lines);
        // session.start, an event for each message, session.end
        return new File(path, count + 2, count + 1, 1, bad ? entries - 1 : -1);
    }

    /**
     * Writes the lines of a file last first, reading it backwards a block at a time.
     */
    private static void writeReversed(final Path lines, final Writer out) throws IOException
    {
        final byte[] all = Files.readAllBytes(lines); // the test's own memory, not the import's
        int end = all.length - 1; // the last line's \n
        boolean first = true;
        while (end > 0)
        {
            int start = end - 1;
            while (start >= 0 && all[start] != '\n')
            {
                start--;
            }
            out.write((first ? "" : ",\n") + new String(all, start + 1, end - start - 1, StandardCharsets.UTF_8));
            first = false;
            end = start;
        }
    }

    /**
     * An openai-chat file of conversations of ten messages, of at least {@code bytes}; the bad line's first message
     * has a role no conversation has.
     */
    static File openAiChat(final Path path, final long bytes, final boolean bad) throws IOException
    {
        long lines = 0;
        long written = 0;
        try (Writer out = writer(path))
        {
            while (written < bytes)
            {
                final StringBuilder line = new StringBuilder("{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"}");
                for (int turn = 0; turn < 4; turn++)
                {
                    final String id = "call_" + turn;
                    line.append(",{\"role\":\"user\",\"content\":\"").append(TEXT).append("\"}")
                        .append(",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"").append(id)
                        .append("\",\"type\":\"function\",\"function\":{\"name\":\"ls\",\"arguments\":\"{}\"}}]}");
                    if (turn < 3)
                    {
                        line.append(",{\"role\":\"tool\",\"tool_call_id\":\"").append(id).append("\",\"content\":\"a.py\"}");
                    }
                }
                line.append("],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"ls\"}}]}\n");
                out.write(line.toString());
                written += line.length();
                lines++;
            }
            if (bad)
            {
                out.write("{\"messages\":[{\"role\":\"robot\",\"content\":\"beep\"}]}\n");
            }
        }
        // a line: session.start, 1 + 4 * 2 + 3 messages, session.end
        return new File(path, lines * 14, lines * 14 + 1, (int)lines, bad ? lines + 1 : -1);
    }

    private static Writer writer(final Path path) throws IOException
    {
        return new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), 1 << 16);
    }
}
