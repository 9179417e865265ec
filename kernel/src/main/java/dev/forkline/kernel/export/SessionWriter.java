package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one complete session into its lines of a chat or preference format, into memory. One per export thread:
 * it owns its parser, redactor and renderer.
 */
final class SessionWriter
{
    /**
     * What one session gave.
     *
     * @param session  the session.
     * @param lines    its lines, or null when skipped.
     * @param examples lines written.
     * @param pairs    preference pairs among them.
     * @param skip     why it gave nothing, or null.
     * @param changes  what its lines changed to keep the rules of the format.
     */
    record Result(String session, byte[] lines, int examples, int pairs, String skip, ExportChanges changes)
    {
        static Result skipped(final String session, final String reason)
        {
            return new Result(session, null, 0, 0, reason, ExportChanges.NONE);
        }
    }

    private final ExportOptions options;
    private final SecretRedactor redactor;
    private final TurnParser parser;
    private final ChangeTally tally = new ChangeTally();
    private final MessageRenderer renderer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
    private final LineSink sink = new LineSink(buffer);
    private final ChatLines chat;
    private final PreferencePairs preference;

    SessionWriter(final ExportOptions options)
    {
        this.options = options;
        this.redactor = new SecretRedactor(options.redact());
        this.parser = new TurnParser(redactor);
        this.renderer = new MessageRenderer(options.format(), tally);
        this.chat = new ChatLines(options.format(), renderer, tally, sink);
        this.preference = new PreferencePairs(options.format(), renderer, tally, sink);
    }

    SecretRedactor redactor()
    {
        return redactor;
    }

    Result write(final String session, final JsonNode start, final JournalSessions.SessionSource source)
    {
        buffer.reset();
        tally.reset();
        try
        {
            final SessionTree tree = source.read(parser);
            final byte[] tools = renderer.tools(redacted(start.get("tools")));
            int examples = 0;
            int pairs = 0;
            if (options.format().isPreference())
            {
                pairs = preference.write(tree, tools);
                examples = pairs;
                if (pairs == 0)
                {
                    return Result.skipped(session, "no two branches fork at one step, differ in outcome and share a prompt");
                }
            }
            else
            {
                for (final int branch : selectBranches(tree))
                {
                    if (chat.write(tree.sequences[branch], tools))
                    {
                        examples++;
                    }
                }
                if (examples == 0)
                {
                    return Result.skipped(session, "no selected branch has an assistant turn");
                }
            }
            sink.flush();
            return new Result(session, buffer.toByteArray(), examples, pairs, null, tally.snapshot());
        }
        catch (final SessionSkip skip)
        {
            return Result.skipped(session, skip.getMessage());
        }
        catch (final IOException ex)
        {
            return Result.skipped(session, "session.start tools cannot be read: " + TurnParser.firstLine(ex.getMessage()));
        }
    }

    /**
     * @return the {@code session.start} tools with the secrets in their strings (a default in a schema, say) replaced.
     */
    private JsonNode redacted(final JsonNode tools) throws IOException
    {
        if (tools == null || !redactor.enabled())
        {
            return tools;
        }
        final byte[] json = TurnParser.MAPPER.writeValueAsBytes(tools);
        final byte[] redacted = redactor.redactJson(json, redactor.candidates(json, 0, json.length));
        return redacted == json ? tools : TurnParser.MAPPER.readTree(redacted);
    }

    private List<Integer> selectBranches(final SessionTree tree)
    {
        final List<Integer> selected = new ArrayList<>();
        int best = -1;
        for (int i = 0; i < tree.size(); i++)
        {
            if (!options.outcomeMatches(tree.reward[i], tree.label[i]))
            {
                continue;
            }
            switch (options.branches())
            {
                case ALL -> selected.add(i);
                case LEAVES ->
                {
                    if (!tree.hasForks(i))
                    {
                        selected.add(i);
                    }
                }
                case BEST ->
                {
                    if (!Double.isNaN(tree.reward[i]) && (best < 0 || tree.reward[i] > tree.reward[best]))
                    {
                        best = i;
                    }
                }
            }
        }
        if (best >= 0)
        {
            selected.add(best);
        }
        if (selected.isEmpty())
        {
            throw new SessionSkip(options.branches() == BranchSelection.BEST ?
                "no branch has an outcome (matching the filters) to pick the best by" :
                "no branch matches the outcome filters");
        }
        return selected;
    }
}
