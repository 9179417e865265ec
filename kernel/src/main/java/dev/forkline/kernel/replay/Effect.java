package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.TypedEvent;

/**
 * Any other call into the world, as {@link Recorder#effect} records it: {@code {"name", "request", "response",
 * "request_hash"}}. Request and response are JSON texts, kept without white space between tokens and exactly as
 * written otherwise; a replay checks the name and the request's hash.
 *
 * @param name     what kind of effect, such as {@code "http.get"}; not empty.
 * @param request  the request, a JSON text.
 * @param response the response, a JSON text.
 */
public record Effect(String name, String request, String response) implements TypedEvent
{
    /**
     * Checks the name and compacts request and response.
     *
     * @throws IllegalArgumentException when the name is empty or a text is not JSON.
     */
    public Effect
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("effect name must not be null or empty");
        }
        request = JsonText.compact(request, "effect request");
        response = JsonText.compact(response, "effect response");
    }

    @Override
    public EventKind kind()
    {
        return EventKind.EFFECT;
    }

    @Override
    public String toJson()
    {
        return Payloads.effect(name, request, response, RequestHash.of(request));
    }
}
