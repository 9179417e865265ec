package dev.forkline.langchain4j;

import dev.forkline.kernel.replay.ModelTurn;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.util.Set;

/**
 * A chat model that sends every call through a {@link ForklineSession}: live, the wrapped model answers and the
 * turn is recorded; on replay the recorded turn comes back and the wrapped model is not called. Live, the caller
 * gets the wrapped model's own response; on replay, one rebuilt from the recording. The wrapped model's
 * listeners fire only when it is called.
 */
final class ForklineChatModel implements ChatModel
{
    private final ForklineSession session;
    private final ChatModel delegate;

    ForklineChatModel(final ForklineSession session, final ChatModel delegate)
    {
        this.session = session;
        this.delegate = delegate;
    }

    ForklineSession session()
    {
        return session;
    }

    @Override
    public ChatResponse chat(final ChatRequest request, final ChatRequestOptions options)
    {
        final String json = RequestJson.of(request, delegate.defaultRequestParameters());
        final ChatResponse[] live = new ChatResponse[1];
        final ModelTurn turn = session.model(json, request.messages(), ignored ->
        {
            live[0] = delegate.chat(request, options);
            return Turns.toTurn(live[0]);
        });
        return live[0] != null ? live[0] : Turns.toResponse(turn);
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
        return "ForklineChatModel(" + delegate + ")";
    }
}
