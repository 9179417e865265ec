package dev.forkline.langchain4j;

import dev.forkline.testkit.ModelTestServer;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.TokenStream;

/**
 * LangChain4j's real OpenAI clients, pointed at the local test server.
 */
final class Models
{
    private Models()
    {
    }

    interface Assistant
    {
        String chat(String question);
    }

    interface StreamingAssistant
    {
        TokenStream chat(String question);
    }

    static OpenAiChatModel openAi(final String baseUrl)
    {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("test-key").modelName(ModelTestServer.MODEL)
            .temperature(0.0).maxRetries(0).build();
    }

    static OpenAiStreamingChatModel openAiStreaming(final String baseUrl)
    {
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("test-key").modelName(ModelTestServer.MODEL)
            .temperature(0.0).build();
    }
}
