package dev.forkline.proxy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The calculator agent of the tests on the official OpenAI Java SDK: a tool loop with real tools, whole or
 * streamed responses, the SDK's own accumulator for streams.
 */
final class OpenAiJavaAgent
{
    static final String API_KEY = "sk-forklinetest0123456789abcdefghij";

    private static final Map<String, OpenAIClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    private final OpenAIClient client;
    private final boolean stream;
    private final Map<String, String> headers = new HashMap<>();
    int wrongBy;
    int modelCalls;
    ChatCompletion last;

    OpenAiJavaAgent(final String baseUrl, final boolean stream)
    {
        // one client a base URL, as an application keeps one: a client owns a connection pool and threads
        this.client = CLIENTS.computeIfAbsent(baseUrl, url -> OpenAIOkHttpClient.builder().baseUrl(url).apiKey(API_KEY).maxRetries(0).build());
        this.stream = stream;
    }

    OpenAiJavaAgent header(final String name, final String value)
    {
        headers.put(name, value);
        return this;
    }

    /**
     * @return the model's final answer.
     */
    String run()
    {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
            .model("forkline-test-1")
            .addSystemMessage(CalculatorScript.SYSTEM)
            .addUserMessage(CalculatorScript.TASK)
            .addTool(tool("add"))
            .addTool(tool("multiply"));
        headers.forEach(params::putAdditionalHeader);
        for (int turn = 0; turn < 5; turn++)
        {
            final ChatCompletion completion = complete(params.build());
            modelCalls++;
            last = completion;
            final ChatCompletionMessage message = completion.choices().get(0).message();
            final List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElse(List.of());
            if (calls.isEmpty())
            {
                return message.content().orElse("");
            }
            params = params.addMessage(message);
            for (final ChatCompletionMessageToolCall call : calls)
            {
                final ChatCompletionMessageFunctionToolCall function = call.asFunction();
                params = params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(function.id())
                    .content(CalculatorScript.run(function.function().name(), function.function().arguments(), wrongBy)).build());
            }
        }
        throw new AssertionError("the agent did not finish in 5 turns");
    }

    private ChatCompletion complete(final ChatCompletionCreateParams params)
    {
        if (!stream)
        {
            return client.chat().completions().create(params);
        }
        final ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        final ChatCompletionCreateParams streaming = params.toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> chunks = client.chat().completions().createStreaming(streaming))
        {
            chunks.stream().forEach(accumulator::accumulate);
        }
        return accumulator.chatCompletion();
    }

    private static ChatCompletionFunctionTool tool(final String name)
    {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name(name)
            .description(name + " two integers")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                    "a", Map.of("type", "integer"), "b", Map.of("type", "integer"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("a", "b")))
                .build())
            .build()).build();
    }
}
