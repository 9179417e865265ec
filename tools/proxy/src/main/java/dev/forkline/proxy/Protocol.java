package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.ToolResult;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One model API the proxy speaks: how its requests map to {@link Message}s, how its responses map to a
 * {@link ModelTurn}, and how a recorded turn is served again, whole or as server-sent events.
 */
interface Protocol
{
    /**
     * @return the name kept in the session's tags and the exchange log, {@code openai.chat} or {@code anthropic.messages}.
     */
    String name();

    /**
     * @return the request as messages, model, tools and flags.
     * @throws IllegalArgumentException when the body is not a request of this protocol; the message names the field.
     */
    ModelRequest parse(ObjectNode body);

    /**
     * @return the turn of a whole (not streamed) response.
     * @throws IllegalArgumentException when the body is not a response of this protocol.
     */
    ModelTurn turn(JsonNode response);

    /**
     * @return a new accumulator of a streamed response's events.
     */
    StreamTurn streamTurn();

    /**
     * @return the body of a whole response serving {@code turn}.
     */
    byte[] response(ModelTurn turn, Served served);

    /**
     * Writes {@code turn} as the protocol's stream of server-sent events, ending it as the protocol does.
     */
    void stream(ModelTurn turn, Served served, SseOut out) throws IOException;

    /**
     * Replaces, in a request body, the content of the tool results whose call id is a key of {@code results}.
     */
    void substitute(ObjectNode body, Map<String, ToolResult> results);

    /**
     * @return an error body that this protocol's SDKs read: the type and message where they look for them, and
     * {@code details} beside them.
     */
    byte[] error(String type, String message, ObjectNode details);

    /**
     * @return a model list in this protocol's shape.
     */
    byte[] models(List<String> ids);

    /**
     * What a served response says about itself beyond the turn.
     *
     * @param id           the response id.
     * @param createdEpoch seconds since the epoch.
     * @param includeUsage whether a streamed response ends with a usage chunk (OpenAI's {@code stream_options}).
     */
    record Served(String id, long createdEpoch, boolean includeUsage)
    {
    }

    /**
     * Accumulates the events of a streamed response into the turn it carries.
     */
    interface StreamTurn
    {
        /**
         * @param event the SSE event name, or null.
         * @param data  the event's data.
         */
        void event(String event, String data);

        /**
         * @return true once the stream's last event ({@code [DONE]}, {@code message_stop}) has come.
         */
        boolean complete();

        /**
         * @return the turn, once the stream is complete; null when it did not complete.
         */
        ModelTurn turn();

        /**
         * @return the error the stream reported, or null.
         */
        String error();
    }

    /**
     * Where server-sent events are written.
     */
    interface SseOut
    {
        /**
         * Writes one event and sends it.
         *
         * @param event the event name, or null for a data-only event.
         */
        void event(String event, String data) throws IOException;
    }
}
