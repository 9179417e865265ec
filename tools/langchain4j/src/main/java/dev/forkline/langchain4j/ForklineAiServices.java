package dev.forkline.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.service.AiServiceContext;
import dev.langchain4j.service.AiServices;

/**
 * An AI service builder like {@code AiServices.builder(type)}, whose chat models go through the session. Its
 * context's tool service is a {@link RecordingToolService}; {@link #build()} hands the context to LangChain4j's
 * own builder, so the service behaves as one built the usual way.
 */
final class ForklineAiServices<T> extends AiServices<T>
{
    private final ForklineSession session;

    ForklineAiServices(final ForklineSession session, final AiServiceContext context)
    {
        super(context);
        this.session = session;
    }

    @Override
    public AiServices<T> chatModel(final ChatModel chatModel)
    {
        return super.chatModel(chatModel == null ? null : session.chatModel(chatModel));
    }

    @Override
    public AiServices<T> streamingChatModel(final StreamingChatModel streamingChatModel)
    {
        return super.streamingChatModel(streamingChatModel == null ? null : session.streamingChatModel(streamingChatModel));
    }

    @Override
    public T build()
    {
        return AiServices.<T>builder(context).build();
    }
}
