package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.TypedEvent;

/**
 * A {@code user} or {@code system} message: {@code {"content"}}.
 *
 * @param kind    {@link EventKind#USER} or {@link EventKind#SYSTEM}.
 * @param content the text.
 */
public record Message(EventKind kind, String content) implements TypedEvent
{
    /**
     * @throws IllegalArgumentException when the kind is no message kind or the content is null.
     */
    public Message
    {
        if (kind != EventKind.USER && kind != EventKind.SYSTEM)
        {
            throw new IllegalArgumentException("a message is a user or system event, not " + (kind == null ? null : kind.wireName()));
        }
        LiveRecorder.requireContent(content);
    }

    /**
     * @return a user message.
     */
    public static Message user(final String content)
    {
        return new Message(EventKind.USER, content);
    }

    /**
     * @return a system message.
     */
    public static Message system(final String content)
    {
        return new Message(EventKind.SYSTEM, content);
    }

    @Override
    public String toJson()
    {
        return Payloads.content(content);
    }
}
