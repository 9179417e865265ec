package dev.forkline.kernel.replay;

import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.TypedEvent;

import java.util.List;

/**
 * One model response: text, tool calls, or both; what {@link Recorder#model} returns, live and on replay alike, and
 * the {@code model.response} event it records.
 * <pre>{@code
 * ModelTurn turn = ModelTurn.calling(new ToolCall("call_1", "ls", argumentsJson))
 *     .withModel("gpt-x").withUsage(812, 25).withFinishReason("tool_calls");
 * }</pre>
 *
 * @param content      the text, or null when the model only calls tools.
 * @param toolCalls    the tool calls, in order; empty when none.
 * @param model        the model that answered (its id as the provider gives it); may be null.
 * @param usage        token usage as a JSON object text, or null; kept without white space between its tokens, every
 *                     number and string exactly as written.
 * @param finishReason why the model stopped ({@code "stop"}, {@code "tool_calls"}, {@code "length"}, …), or null.
 * @param tokens       the token ids and log-probabilities of the turn, for training on exactly them; or null.
 */
public record ModelTurn(String content, List<ToolCall> toolCalls, String model, String usage, String finishReason, Tokens tokens)
    implements TypedEvent
{
    /**
     * Copies the tool calls, so that the turn cannot change after it is recorded, and compacts the usage.
     *
     * @throws IllegalArgumentException when a tool call is null or the usage is not a JSON object.
     */
    public ModelTurn
    {
        for (int i = 0; toolCalls != null && i < toolCalls.size(); i++)
        {
            if (toolCalls.get(i) == null)
            {
                throw new IllegalArgumentException("model turn toolCalls[" + i + "] is null");
            }
        }
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? null : JsonText.compactObject(usage, "usage");
    }

    /**
     * A turn without finish reason and tokens.
     */
    public ModelTurn(final String content, final List<ToolCall> toolCalls, final String model, final String usage)
    {
        this(content, toolCalls, model, usage, null, null);
    }

    /**
     * @return a turn that answers with text only.
     */
    public static ModelTurn text(final String content)
    {
        return new ModelTurn(content, List.of(), null, null);
    }

    /**
     * @return a turn that calls tools, without text.
     */
    public static ModelTurn calling(final ToolCall... calls)
    {
        return new ModelTurn(null, java.util.Arrays.asList(calls), null, null);
    }

    /**
     * @return this with the model id.
     */
    public ModelTurn withModel(final String model)
    {
        return new ModelTurn(content, toolCalls, model, usage, finishReason, tokens);
    }

    /**
     * @param usage a JSON object text, as the provider reports it.
     * @return this with the usage.
     */
    public ModelTurn withUsage(final String usage)
    {
        return new ModelTurn(content, toolCalls, model, usage, finishReason, tokens);
    }

    /**
     * @return this with the usage {@code {"prompt_tokens","completion_tokens","total_tokens"}}.
     */
    public ModelTurn withUsage(final long promptTokens, final long completionTokens)
    {
        return withUsage("{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens +
            ",\"total_tokens\":" + (promptTokens + completionTokens) + "}");
    }

    /**
     * @return this with the finish reason.
     */
    public ModelTurn withFinishReason(final String finishReason)
    {
        return new ModelTurn(content, toolCalls, model, usage, finishReason, tokens);
    }

    /**
     * @return this with the token ids and log-probabilities.
     */
    public ModelTurn withTokens(final Tokens tokens)
    {
        return new ModelTurn(content, toolCalls, model, usage, finishReason, tokens);
    }

    /**
     * @return true when the model asked for at least one tool call.
     */
    public boolean hasToolCalls()
    {
        return !toolCalls.isEmpty();
    }

    @Override
    public EventKind kind()
    {
        return EventKind.MODEL_RESPONSE;
    }

    /**
     * @return the {@code model.response} payload, without a request hash (a replay matches such an event on its kind
     * only; {@link Recorder#model} records the hash).
     */
    @Override
    public String toJson()
    {
        return Payloads.modelResponse(this, null);
    }
}
