package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.JournalCursor;
import dev.forkline.kernel.Store;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exports a store to training data: streams JSON lines of one {@link ExportFormat} to an {@link OutputStream}
 * and returns what it wrote.
 * <pre>{@code
 * try (Store store = Store.openReadOnly(dir); OutputStream out = Files.newOutputStream(file)) {
 *     ExportSummary summary = new Exporter(store, new ExportOptions().format(ExportFormat.OPENAI_CHAT)).export(out);
 * }
 * }</pre>
 * The journal is read once, in the order it was written; each session is exported when its last event has
 * been read, so memory grows with the sessions in progress and not with the store (and is capped: see
 * {@code docs/export.md}); the same store and options give the same bytes. Secrets are redacted
 * unless {@link ExportOptions#redact(boolean)} turns it off. The selection rules are in {@code docs/export.md}.
 * <p>
 * Threading: one export at a time per instance. The calling thread reads the journal and writes the output;
 * for the chat and preference formats, a pool of one thread per processor, started and stopped by each export,
 * turns sessions into lines.
 */
public final class Exporter
{
    private final Store store;
    private final ExportOptions options;
    private final SecretRedactor redactor;
    private final long maxBufferedBytes;
    private final int threads;
    private final List<SkippedSession> skipped = new ArrayList<>();
    private long skippedCount;
    private long filtered;
    private long sessions;
    private long examples;
    private long pairs;
    private final long[] redactions = new long[SecretRule.values().length];
    private long damagedRecords;
    private ExportChanges changes = ExportChanges.NONE;

    /**
     * @param store   the store to export, open for reading or writing.
     * @param options what to export; read when {@link #export} starts.
     */
    public Exporter(final Store store, final ExportOptions options)
    {
        this(store, options, JournalSessions.MAX_BUFFERED_BYTES, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads how many threads turn sessions into lines; 0 to do it on the calling thread.
     */
    Exporter(final Store store, final ExportOptions options, final long maxBufferedBytes, final int threads)
    {
        if (store == null || options == null)
        {
            throw new IllegalArgumentException("store and options must not be null");
        }
        this.store = store;
        this.options = options;
        this.redactor = new SecretRedactor(options.redact());
        this.maxBufferedBytes = maxBufferedBytes;
        this.threads = threads;
    }

    /**
     * @return one event as a line of the {@code events} interchange format, without its line break and without
     * redaction: what {@code forkline show --json} and {@code tail --json} print.
     */
    public static String eventsLine(final Event event)
    {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final LineSink sink = new LineSink(bytes);
        new EventLines(sink, new SecretRedactor(false)).write(event);
        sink.flush();
        final String line = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        return line.substring(0, line.length() - 1);
    }

    /**
     * Writes the export to {@code out} (buffered here; the stream is flushed, not closed).
     *
     * @return what was written.
     * @throws IllegalArgumentException when the options name a session the store does not have.
     * @throws ForklineException        {@code IO_ERROR} when writing fails; {@code CORRUPT_EVENT} when the
     *                                  {@code events} format meets a damaged record (its output would not import
     *                                  again). The other formats skip a session with a damaged record, name it in
     *                                  the summary and count the damaged records met
     *                                  ({@link ExportSummary#damagedRecords()}).
     */
    public ExportSummary export(final OutputStream out)
    {
        if (out == null)
        {
            throw new IllegalArgumentException("output stream must not be null");
        }
        final LineSink sink = new LineSink(out);
        final Set<String> wanted = wantedSessions();
        if (options.format() == ExportFormat.EVENTS)
        {
            exportEvents(sink, wanted);
        }
        else
        {
            exportExamples(sink, wanted);
        }
        sink.flush();
        redactor.addCountsTo(redactions);
        long total = 0;
        for (final long count : redactions)
        {
            total += count;
        }
        return new ExportSummary(options.format(), examples, pairs, sink.bytes(), total, sessions, filtered, skippedCount,
            List.copyOf(skipped), changes, SecretRedactor.byRule(redactions), damagedRecords);
    }

    private Set<String> wantedSessions()
    {
        if (options.sessions().isEmpty())
        {
            return null; // all
        }
        final List<String> all = store.sessions();
        final Set<String> known = Set.copyOf(all);
        for (final String session : options.sessions())
        {
            if (!known.contains(session))
            {
                throw new IllegalArgumentException("unknown session '" + session + "'");
            }
        }
        final Set<String> wanted = new LinkedHashSet<>();
        for (final String session : all)
        {
            if (options.sessions().contains(session))
            {
                wanted.add(session);
            }
        }
        return wanted;
    }

    /**
     * Design note: reading the journal is cheap next to parsing and rendering, so this thread reads and writes
     * while a pool of one thread per processor turns complete sessions into lines. Results are written in the
     * order the sessions completed, and at most {@code 2 x threads} are in flight, so the output stays
     * deterministic and memory stays bounded.
     */
    private void exportExamples(final LineSink sink, final Set<String> wanted)
    {
        final List<SessionWriter> writers = new CopyOnWriteArrayList<>();
        final ThreadLocal<SessionWriter> writer = ThreadLocal.withInitial(() ->
        {
            final SessionWriter created = new SessionWriter(options);
            writers.add(created);
            return created;
        });
        final ExecutorService pool = threads <= 0 ? null : Executors.newFixedThreadPool(threads, task ->
        {
            final Thread thread = new Thread(task, "forkline-export");
            thread.setDaemon(true);
            return thread;
        });
        final ArrayDeque<Future<SessionWriter.Result>> inFlight = new ArrayDeque<>();
        try
        {
            final JournalSessions journal = new JournalSessions(store, maxBufferedBytes);
            journal.run(wanted, this::sessionStart, new JournalSessions.SessionHandler()
            {
                @Override
                public void session(final String session, final JsonNode start, final JournalSessions.SessionSource source)
                {
                    inFlight.add(pool == null ? CompletableFuture.completedFuture(writer.get().write(session, start, source)) :
                        pool.submit(() -> writer.get().write(session, start, source)));
                    while (inFlight.size() > 2 * threads)
                    {
                        write(sink, inFlight.poll());
                    }
                }

                @Override
                public void skip(final String session, final String reason)
                {
                    inFlight.add(CompletableFuture.completedFuture(SessionWriter.Result.skipped(session, reason)));
                }
            });
            while (!inFlight.isEmpty())
            {
                write(sink, inFlight.poll());
            }
            damagedRecords = journal.damaged();
        }
        finally
        {
            if (pool != null)
            {
                pool.shutdownNow();
            }
        }
        for (final SessionWriter created : writers)
        {
            created.redactor().addCountsTo(redactions);
        }
    }

    private void write(final LineSink sink, final Future<SessionWriter.Result> future)
    {
        final SessionWriter.Result result;
        try
        {
            result = future.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ForklineException(ForklineException.Reason.IO_ERROR, "export interrupted", ex);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw new IllegalStateException(ex.getCause());
        }
        if (result.skip() != null)
        {
            skip(result.session(), result.skip());
            return;
        }
        sink.put(result.lines());
        examples += result.examples();
        pairs += result.pairs();
        changes = changes.plus(result.changes());
        sessions++;
    }

    /**
     * @param payload the {@code session.start} payload when at hand, else null to read it.
     * @return the parsed {@code session.start} payload, or null when the session filters leave the session out
     * (counted) or it cannot be read (skipped).
     */
    private JsonNode sessionStart(final String session, final long timestampNanos, final byte[] payload)
    {
        long startNanos = timestampNanos;
        JsonNode start;
        try
        {
            if (payload != null)
            {
                start = TurnParser.MAPPER.readTree(payload);
            }
            else
            {
                final Event event = store.event(session, 0);
                startNanos = event.timestampNanos();
                start = event.kind() == EventKind.SESSION_START ? TurnParser.MAPPER.readTree(event.payload()) : null;
            }
        }
        catch (final ForklineException | IOException ex)
        {
            skip(session, "session.start cannot be read: " + TurnParser.firstLine(ex.getMessage()));
            return null;
        }
        if (start == null || !start.isObject())
        {
            skip(session, "step 0 is not a session.start with a JSON object");
            return null;
        }
        if (!tagsMatch(start.get("tags")) || !timeMatches(startNanos))
        {
            filtered++;
            return null;
        }
        return start;
    }

    private boolean tagsMatch(final JsonNode tags)
    {
        for (final Map.Entry<String, String> tag : options.tags().entrySet())
        {
            final JsonNode value = tags == null ? null : tags.get(tag.getKey());
            if (value == null || value.isNull() || !value.asText().equals(tag.getValue()))
            {
                return false;
            }
        }
        return true;
    }

    private boolean timeMatches(final long nanos)
    {
        final Instant started = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return (options.since() == null || !started.isBefore(options.since())) &&
            (options.until() == null || started.isBefore(options.until()));
    }

    private void exportEvents(final LineSink sink, final Set<String> wanted)
    {
        final EventLines lines = new EventLines(sink, redactor);
        final boolean everything = wanted == null && options.tags().isEmpty() && options.since() == null &&
            options.until() == null && !options.hasOutcomeFilter();
        final Set<String> included = new HashSet<>(); // only with filters
        try (JournalCursor cursor = store.readJournal())
        {
            while (cursor.next())
            {
                if (cursor.problem() != null)
                {
                    // its event would be missing from the output, which would then not import again
                    throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT, "export stopped at a damaged record " +
                        "in " + cursor.file() + " at offset " + cursor.fileOffset() + " (journal index 0x" +
                        Long.toHexString(cursor.journalIndex()) + "): " + cursor.problem() + "; an events export must hold " +
                        "every event to import again: 'forkline salvage' copies the sound events into a new store to export");
                }
                final EventView event = cursor.event();
                final String session = event.session();
                if (event.kind() == EventKind.SESSION_START && event.step() == 0)
                {
                    // a session's first record: decide once
                    final boolean include = everything || (wanted == null || wanted.contains(session)) &&
                        anyBranchMatches(session) && sessionStart(session, event.timestampNanos(), event.payloadBytes()) != null;
                    if (include)
                    {
                        sessions++;
                        if (!everything)
                        {
                            included.add(session);
                        }
                    }
                }
                if (everything || included.contains(session))
                {
                    lines.write(event);
                    examples++;
                }
            }
        }
    }

    private boolean anyBranchMatches(final String session)
    {
        if (!options.hasOutcomeFilter())
        {
            return true;
        }
        for (final BranchInfo branch : store.tree(session))
        {
            double reward = Double.NaN;
            String label = null;
            if (branch.outcome() != null)
            {
                try
                {
                    final JsonNode outcome = TurnParser.MAPPER.readTree(branch.outcome());
                    reward = outcome.path("reward").isNumber() ? outcome.path("reward").asDouble() : Double.NaN;
                    label = outcome.path("label").isTextual() ? outcome.path("label").asText() : null;
                }
                catch (final IOException ex)
                {
                    // an unreadable outcome matches no filter
                }
            }
            if (options.outcomeMatches(reward, label))
            {
                return true;
            }
        }
        filtered++;
        return false;
    }

    private void skip(final String session, final String reason)
    {
        skippedCount++;
        if (skipped.size() < ExportSummary.MAX_SKIPPED_LISTED)
        {
            skipped.add(new SkippedSession(session, reason));
        }
    }
}
