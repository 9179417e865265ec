package dev.forkline.proxy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calculator agent of the tests on Anthropic's Java SDK: tool use blocks, tool results in the next user
 * message, whole or streamed messages (the SDK's own accumulator).
 */
final class AnthropicJavaAgent
{
    static final String API_KEY = "sk-ant-forklinetest0123456789abcdefgh";

    private final AnthropicClient client;
    private final boolean stream;
    int wrongBy;
    Message last;

    AnthropicJavaAgent(final String baseUrl, final boolean stream)
    {
        this.client = AnthropicOkHttpClient.builder().baseUrl(baseUrl).apiKey(API_KEY).maxRetries(0).build();
        this.stream = stream;
    }

    String run()
    {
        MessageCreateParams.Builder params = MessageCreateParams.builder()
            .model("forkline-test-1")
            .maxTokens(256)
            .system(CalculatorScript.SYSTEM)
            .addUserMessage(CalculatorScript.TASK)
            .addTool(tool("add"))
            .addTool(tool("multiply"));
        for (int turn = 0; turn < 5; turn++)
        {
            final Message message = complete(params.build());
            last = message;
            final List<ContentBlockParam> results = new ArrayList<>();
            final StringBuilder text = new StringBuilder();
            for (final ContentBlock block : message.content())
            {
                if (block.isToolUse())
                {
                    final ToolUseBlock use = block.asToolUse();
                    results.add(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(use.id())
                        .content(CalculatorScript.run(use.name(), use._input().convert(com.fasterxml.jackson.databind.JsonNode.class).toString(), wrongBy)).build()));
                }
                else if (block.isText())
                {
                    text.append(block.asText().text());
                }
            }
            if (results.isEmpty())
            {
                return text.toString();
            }
            params = params.addMessage(message.toParam()).addUserMessageOfContentBlockParams(results);
        }
        throw new AssertionError("the agent did not finish in 5 turns");
    }

    private Message complete(final MessageCreateParams params)
    {
        if (!stream)
        {
            return client.messages().create(params);
        }
        final MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> events = client.messages().createStreaming(params))
        {
            events.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    private static Tool tool(final String name)
    {
        return Tool.builder().name(name).description(name + " two integers")
            .inputSchema(Tool.InputSchema.builder()
                .properties(Tool.InputSchema.Properties.builder()
                    .putAdditionalProperty("a", JsonValue.from(Map.of("type", "integer")))
                    .putAdditionalProperty("b", JsonValue.from(Map.of("type", "integer")))
                    .build())
                .required(List.of("a", "b"))
                .build())
            .build();
    }
}
