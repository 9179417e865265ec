package dev.forkline.langchain4j;

import dev.forkline.kernel.replay.ModelTurn;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A streaming chat model that sends every call through a {@link ForklineSession}.
 * <ul>
 *     <li>Recording: the wrapped model streams to the caller's handler as usual (partial text, tool calls, on
 *     its client's threads); when its response is complete the turn is recorded, then the handler gets
 *     {@code onCompleteResponse}. {@code chat} returns at once.</li>
 *     <li>Replay: the recorded turn is streamed to the handler, on the calling thread, in chunks of a few words
 *     ({@code onPartialResponse}), then its tool calls ({@code onCompleteToolCall}), then
 *     {@code onCompleteResponse}. The wrapped model is not called.</li>
 *     <li>A replay that goes live at this call (a divergence with the fork policy, or the fork step) streams
 *     from the wrapped model and returns when the response is complete.</li>
 * </ul>
 */
final class ForklineStreamingChatModel implements StreamingChatModel
{
    private static final int CHUNK = 16;

    private final ForklineSession session;
    private final StreamingChatModel delegate;

    ForklineStreamingChatModel(final ForklineSession session, final StreamingChatModel delegate)
    {
        this.session = session;
        this.delegate = delegate;
    }

    ForklineSession session()
    {
        return session;
    }

    @Override
    public void chat(final ChatRequest request, final ChatRequestOptions options, final StreamingChatResponseHandler handler)
    {
        final String json = RequestJson.of(request, delegate.defaultRequestParameters());
        if (session.isLive())
        {
            delegate.chat(request, options, new Forwarding(handler)
            {
                @Override
                public void onCompleteResponse(final ChatResponse response)
                {
                    try
                    {
                        session.model(json, request.messages(), ignored -> Turns.toTurn(response));
                    }
                    catch (final RuntimeException ex)
                    {
                        handler.onError(ex);
                        return;
                    }
                    handler.onCompleteResponse(response);
                }
            });
            return;
        }
        final ChatResponse[] live = new ChatResponse[1];
        final ModelTurn turn;
        try
        {
            turn = session.model(json, request.messages(), ignored ->
            {
                live[0] = streamLive(request, options, handler);
                return Turns.toTurn(live[0]);
            });
        }
        catch (final RuntimeException ex)
        {
            handler.onError(ex);
            return;
        }
        if (live[0] != null)
        {
            handler.onCompleteResponse(live[0]);
            return;
        }
        replay(Turns.toResponse(turn), handler);
    }

    private ChatResponse streamLive(final ChatRequest request, final ChatRequestOptions options, final StreamingChatResponseHandler handler)
    {
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        delegate.chat(request, options, new Forwarding(handler)
        {
            @Override
            public void onCompleteResponse(final ChatResponse response)
            {
                done.complete(response);
            }

            @Override
            public void onError(final Throwable error)
            {
                done.completeExceptionally(error);
            }
        });
        try
        {
            return done.join();
        }
        catch (final CompletionException ex)
        {
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
        }
    }

    private static void replay(final ChatResponse response, final StreamingChatResponseHandler handler)
    {
        final String text = response.aiMessage().text();
        if (text != null)
        {
            for (final String chunk : chunks(text))
            {
                handler.onPartialResponse(chunk);
            }
        }
        if (response.aiMessage().hasToolExecutionRequests())
        {
            for (int i = 0; i < response.aiMessage().toolExecutionRequests().size(); i++)
            {
                handler.onCompleteToolCall(new CompleteToolCall(i, response.aiMessage().toolExecutionRequests().get(i)));
            }
        }
        handler.onCompleteResponse(response);
    }

    /**
     * Splits at spaces after at least {@link #CHUNK} characters, so the pieces read like a model's stream.
     */
    static List<String> chunks(final String text)
    {
        final List<String> chunks = new java.util.ArrayList<>();
        int start = 0;
        while (start < text.length())
        {
            int end = Math.min(text.length(), start + CHUNK);
            while (end < text.length() && text.charAt(end - 1) != ' ')
            {
                end++;
            }
            chunks.add(text.substring(start, end));
            start = end;
        }
        return chunks;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters()
    {
        return delegate.defaultRequestParameters();
    }

    @Override
    public ModelProvider provider()
    {
        return delegate.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities()
    {
        return delegate.supportedCapabilities();
    }

    @Override
    public String toString()
    {
        return "ForklineStreamingChatModel(" + delegate + ")";
    }
}
