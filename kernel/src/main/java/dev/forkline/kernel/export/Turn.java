package dev.forkline.kernel.export;

import dev.forkline.kernel.EventKind;

import java.util.Arrays;
import java.util.List;

/**
 * One event of a session as the exporter sees it: its place in the fork tree, its payload, and, for the
 * kinds that become chat messages, the parsed message. Shared by every branch whose sequence contains it.
 */
final class Turn
{
    static final String SYSTEM = "system";
    static final String USER = "user";
    static final String ASSISTANT = "assistant";
    static final String TOOL = "tool";

    final EventKind kind;
    final int owner;
    final long step;
    final byte[] payload;

    /** "system", "user", "assistant", "tool", or null when the event is no chat message. */
    String role;
    /** The content decoded; null when it is kept raw (see {@link #contentOffset}) or absent. */
    String content;
    /** Where the content's JSON string literal, escapes and all, sits in the payload (inside the quotes); -1 if not raw. */
    int contentOffset = -1;
    int contentLength;
    List<ToolCall> toolCalls = List.of();
    String toolCallId;
    String name;
    /** A tool result linked by name, as its id named no call of the assistant message before it. */
    boolean relinked;
    /** A tool result that answers no call of the assistant message before it: no message (its role is null). */
    boolean dropped;
    /** The {@link ChangeTally} changes of this event counted so far. */
    int counted;

    double reward = Double.NaN;
    String label;
    long annotatedStep = -1;

    boolean bad;
    boolean abandoned;
    byte[] rendered;

    Turn(final EventKind kind, final int owner, final long step, final byte[] payload)
    {
        this.kind = kind;
        this.owner = owner;
        this.step = step;
        this.payload = payload;
    }

    /**
     * @return the content as text, decoding a raw one; null when there is none.
     */
    String contentText()
    {
        if (contentOffset < 0)
        {
            return content;
        }
        try (com.fasterxml.jackson.core.JsonParser parser =
            TurnParser.FACTORY.createParser(payload, contentOffset - 1, contentLength + 2))
        {
            parser.nextToken();
            return parser.getText();
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex); // the literal was checked when it was parsed
        }
    }

    boolean hasContent()
    {
        return contentOffset >= 0 || content != null;
    }

    /**
     * @return true when the message has no text: no content, or an empty one.
     */
    boolean hasNoText()
    {
        return contentOffset >= 0 ? contentLength == 0 : content == null || content.isEmpty();
    }

    boolean isAssistant()
    {
        return ASSISTANT.equals(role);
    }

    boolean isMessage()
    {
        return role != null;
    }

    /**
     * @return 0 when the turn should not be learned (annotated bad, or abandoned for a better fork), else 1.
     */
    int weight()
    {
        return bad || abandoned ? 0 : 1;
    }

    /**
     * @return true when the two turns record the same thing (kind and payload), in whichever branch.
     */
    boolean sameAs(final Turn other)
    {
        return this == other || (kind == other.kind && Arrays.equals(payload, other.payload));
    }
}
