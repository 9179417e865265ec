package dev.forkline.kernel.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one line of a chat format ({@code openai-chat}, {@code trl-messages}, {@code sharegpt}) for one branch.
 * <p>
 * Only {@code openai-chat} carries a weight per assistant message; the other two end the conversation before
 * the first assistant turn of weight 0, so that it is not learned. Messages after the last assistant turn are
 * left out in every format: there is nothing to learn from them.
 * <p>
 * ShareGPT alternates a human side ({@code human}, {@code observation}) and an assistant side ({@code gpt},
 * {@code function_call}), starting with the human side, as LLaMA-Factory requires: consecutive turns of one side
 * are merged into one, and assistant turns before the first human turn are left out (both counted).
 */
final class ChatLines
{
    private static final byte[] WEIGHT_0 = ",\"weight\":0}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] WEIGHT_1 = ",\"weight\":1}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ExportFormat format;
    private final MessageRenderer renderer;
    private final ChangeTally tally;
    private final LineSink sink;
    private final List<Turn> messages = new ArrayList<>();

    ChatLines(final ExportFormat format, final MessageRenderer renderer, final ChangeTally tally, final LineSink sink)
    {
        this.format = format;
        this.renderer = renderer;
        this.tally = tally;
        this.sink = sink;
    }

    /**
     * @return false when the branch has no assistant turn to learn from (nothing is written then).
     */
    boolean write(final Turn[] sequence, final byte[] tools)
    {
        messages.clear();
        int lastAssistant = -1;
        int lastAssistantStep = -1;
        for (int step = 0; step < sequence.length; step++)
        {
            final Turn turn = sequence[step];
            if (!turn.isMessage())
            {
                continue;
            }
            if (turn.isAssistant())
            {
                if (format != ExportFormat.OPENAI_CHAT && turn.weight() == 0)
                {
                    break;
                }
                lastAssistant = messages.size();
                lastAssistantStep = step;
            }
            messages.add(turn);
        }
        if (lastAssistant < 0)
        {
            return false;
        }
        if (format == ExportFormat.SHAREGPT)
        {
            if (!writeShareGpt(lastAssistant, tools))
            {
                return false;
            }
        }
        else
        {
            sink.putAscii("{\"messages\":[");
            for (int i = 0; i <= lastAssistant; i++)
            {
                if (i > 0)
                {
                    sink.put((byte)',');
                }
                final Turn turn = messages.get(i);
                final byte[] rendered = renderer.render(turn);
                if (format == ExportFormat.OPENAI_CHAT && turn.isAssistant())
                {
                    sink.put(rendered, 0, rendered.length - 1).put(turn.weight() == 0 ? WEIGHT_0 : WEIGHT_1);
                }
                else
                {
                    sink.put(rendered);
                }
            }
            sink.put((byte)']');
            if (tools != null)
            {
                sink.putAscii(",\"tools\":").put(tools);
            }
            sink.putAscii("}\n");
        }
        for (int step = 0; step < lastAssistantStep; step++)
        {
            if (sequence[step].dropped)
            {
                tally.note(sequence[step], ChangeTally.DROPPED);
            }
        }
        return true;
    }

    /**
     * @return false when no human turn comes before the last assistant turn (nothing is written then).
     */
    private boolean writeShareGpt(final int lastAssistant, final byte[] tools)
    {
        final StringBuilder system = new StringBuilder();
        int first = 0;
        while (first < lastAssistant && Turn.SYSTEM.equals(messages.get(first).role))
        {
            system.append(system.length() == 0 ? "" : "\n\n").append(messages.get(first).contentText());
            first++;
        }
        int human = first;
        while (human < lastAssistant && messages.get(human).isAssistant())
        {
            human++;
        }
        if (human >= lastAssistant)
        {
            return false;
        }
        for (int i = first; i < human; i++)
        {
            tally.note(messages.get(i), ChangeTally.DROPPED);
        }
        sink.putAscii("{\"conversations\":[");
        for (int i = human; i <= lastAssistant; )
        {
            final boolean assistant = messages.get(i).isAssistant();
            int end = i + 1;
            while (end <= lastAssistant && messages.get(end).isAssistant() == assistant)
            {
                tally.note(messages.get(end), ChangeTally.MERGED);
                end++;
            }
            if (i > human)
            {
                sink.put((byte)',');
            }
            sink.put(end == i + 1 ? renderer.render(messages.get(i)) : renderer.renderMerged(messages.subList(i, end)));
            i = end;
        }
        sink.put((byte)']');
        if (system.length() > 0)
        {
            try
            {
                sink.putAscii(",\"system\":").put(TurnParser.MAPPER.writeValueAsBytes(system.toString()));
            }
            catch (final IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        if (tools != null)
        {
            sink.putAscii(",\"tools\":").put(tools);
        }
        sink.putAscii("}\n");
        return true;
    }
}
