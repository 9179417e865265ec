package dev.forkline.springai;

import dev.forkline.testkit.ModelTestServer;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.retry.support.RetryTemplate;

/**
 * Spring AI's real OpenAI chat model, pointed at the local test server, in a {@code ChatClient}.
 */
final class Clients
{
    private Clients()
    {
    }

    static ChatClient chatClient(final String rootUrl, final Advisor advisor)
    {
        final OpenAiApi api = OpenAiApi.builder().baseUrl(rootUrl).apiKey("test-key").build();
        final OpenAiChatModel model = OpenAiChatModel.builder()
            .openAiApi(api)
            .defaultOptions(OpenAiChatOptions.builder().model(ModelTestServer.MODEL).temperature(0.0).build())
            .retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
            .build();
        return ChatClient.builder(model).defaultAdvisors(advisor).build();
    }
}
