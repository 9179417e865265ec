package dev.forkline.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/**
 * Passes every callback of a live stream on to the caller's handler; subclasses take the completion.
 */
abstract class Forwarding implements StreamingChatResponseHandler
{
    private final StreamingChatResponseHandler handler;

    Forwarding(final StreamingChatResponseHandler handler)
    {
        this.handler = handler;
    }

    @Override
    public void onPartialResponse(final String partialResponse)
    {
        handler.onPartialResponse(partialResponse);
    }

    @Override
    public void onPartialResponse(final PartialResponse partialResponse, final PartialResponseContext context)
    {
        handler.onPartialResponse(partialResponse, context);
    }

    @Override
    public void onPartialThinking(final PartialThinking partialThinking)
    {
        handler.onPartialThinking(partialThinking);
    }

    @Override
    public void onPartialThinking(final PartialThinking partialThinking, final PartialThinkingContext context)
    {
        handler.onPartialThinking(partialThinking, context);
    }

    @Override
    public void onPartialToolCall(final PartialToolCall partialToolCall)
    {
        handler.onPartialToolCall(partialToolCall);
    }

    @Override
    public void onPartialToolCall(final PartialToolCall partialToolCall, final PartialToolCallContext context)
    {
        handler.onPartialToolCall(partialToolCall, context);
    }

    @Override
    public void onCompleteToolCall(final CompleteToolCall completeToolCall)
    {
        handler.onCompleteToolCall(completeToolCall);
    }

    @Override
    public void onUnmappedRawEvent(final Object rawEvent)
    {
        handler.onUnmappedRawEvent(rawEvent);
    }

    @Override
    public abstract void onCompleteResponse(ChatResponse response);

    @Override
    public void onError(final Throwable error)
    {
        handler.onError(error);
    }
}
