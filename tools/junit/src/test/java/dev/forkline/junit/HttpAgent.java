package dev.forkline.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;
import dev.forkline.testkit.ModelTestServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small agent written straight on the kernel's {@link Recorder}: it calls an OpenAI-compatible endpoint over
 * HTTP and runs one real tool, {@code add}, until the model answers.
 */
final class HttpAgent
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    final AtomicInteger modelCalls = new AtomicInteger();
    final AtomicInteger toolRuns = new AtomicInteger();

    HttpAgent(final String baseUrl)
    {
        this.baseUrl = baseUrl;
    }

    String run(final Recorder recorder, final String question, final boolean end)
    {
        recorder.user(question);
        final ObjectNode request = MAPPER.createObjectNode().put("model", ModelTestServer.MODEL);
        final ArrayNode messages = request.putArray("messages");
        messages.addObject().put("role", "user").put("content", question);
        request.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "add")
            .putObject("parameters").put("type", "object");
        while (true)
        {
            final ModelTurn turn = recorder.model(request.toString(), this::call);
            final ObjectNode assistant = messages.addObject().put("role", "assistant").put("content", turn.content());
            if (!turn.hasToolCalls())
            {
                if (end)
                {
                    recorder.end("done");
                }
                return turn.content();
            }
            final ArrayNode calls = assistant.putArray("tool_calls");
            for (final ToolCall call : turn.toolCalls())
            {
                calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                    .put("name", call.name()).put("arguments", call.arguments());
            }
            for (final ToolCall call : turn.toolCalls())
            {
                final ToolResult result = recorder.tool(call, this::add);
                messages.addObject().put("role", "tool").put("tool_call_id", call.id()).put("content", result.content());
            }
        }
    }

    private ToolResult add(final ToolCall call)
    {
        toolRuns.incrementAndGet();
        try
        {
            final JsonNode arguments = MAPPER.readTree(call.arguments());
            return new ToolResult(Integer.toString(arguments.get("a").asInt() + arguments.get("b").asInt()), false);
        }
        catch (final IOException ex)
        {
            return new ToolResult("bad arguments: " + ex.getMessage(), true);
        }
    }

    private ModelTurn call(final String request)
    {
        modelCalls.incrementAndGet();
        try
        {
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                HttpResponse.BodyHandlers.ofString());
            final JsonNode body = MAPPER.readTree(response.body());
            final JsonNode message = body.get("choices").get(0).get("message");
            final List<ToolCall> calls = new ArrayList<>();
            for (final JsonNode call : message.path("tool_calls"))
            {
                calls.add(new ToolCall(call.get("id").asText(), call.get("function").get("name").asText(),
                    call.get("function").get("arguments").asText()));
            }
            return new ModelTurn(message.get("content").isNull() ? null : message.get("content").asText(), calls,
                body.get("model").asText(), body.get("usage").toString());
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
