package dev.forkline.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelTestServerTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final String ASK = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"add 2 and 3\"}]," +
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"add\",\"parameters\":{}}}]}";

    private static Script calculator()
    {
        return request ->
        {
            final List<TurnMessage> results = request.toolResults();
            if (results.isEmpty())
            {
                return Reply.toolCalls(Reply.call("add", "{\"a\":2,\"b\":3}"));
            }
            return Reply.text("The sum is " + results.get(0).content() + ".");
        };
    }

    @Test
    void answersAToolCallThenTextWithUsageAndFinishReason() throws Exception
    {
        try (ModelTestServer server = ModelTestServer.start(calculator()))
        {
            final JsonNode first = MAPPER.readTree(post(server, ASK).body());
            assertEquals("chat.completion", first.get("object").asText());
            final JsonNode choice = first.get("choices").get(0);
            assertEquals("tool_calls", choice.get("finish_reason").asText());
            final JsonNode call = choice.get("message").get("tool_calls").get(0);
            assertEquals("call_1_1", call.get("id").asText());
            assertEquals("add", call.get("function").get("name").asText());
            assertEquals("{\"a\":2,\"b\":3}", call.get("function").get("arguments").asText());
            assertTrue(first.get("usage").get("total_tokens").asInt() > 0);

            final String second = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"add 2 and 3\"}," +
                "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1_1\",\"type\":\"function\"," +
                "\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":2,\\\"b\\\":3}\"}}]}," +
                "{\"role\":\"tool\",\"tool_call_id\":\"call_1_1\",\"content\":\"5\"}]}";
            final JsonNode answer = MAPPER.readTree(post(server, second).body());
            assertEquals("The sum is 5.", answer.get("choices").get(0).get("message").get("content").asText());
            assertEquals("stop", answer.get("choices").get(0).get("finish_reason").asText());

            assertEquals(2, server.requestCount());
            final List<ChatTurnRequest> got = server.chatRequests();
            assertEquals(List.of("add"), got.get(0).tools());
            assertEquals("call_1_1", got.get(1).toolResults().get(0).toolCallId());
            assertEquals(1, got.get(1).assistantTurns());
            // the same request gives the same response, id included
            assertEquals(first.toString(), MAPPER.readTree(post(server, ASK).body()).toString());
        }
    }

    @Test
    void streamsChunksWithUsageAndDone() throws Exception
    {
        try (ModelTestServer server = ModelTestServer.start(Script.inOrder(Reply.text("Hello, streaming world"),
            Reply.toolCalls(Reply.call("add", "{\"a\":1,\"b\":2}")))))
        {
            final String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," +
                "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            final HttpResponse<String> response = post(server, body);
            assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
            final List<String> events = events(response.body());
            assertEquals("[DONE]", events.get(events.size() - 1));
            final StringBuilder text = new StringBuilder();
            String finish = null;
            JsonNode usage = null;
            for (final String event : events.subList(0, events.size() - 1))
            {
                final JsonNode chunk = MAPPER.readTree(event);
                assertEquals("chat.completion.chunk", chunk.get("object").asText());
                if (chunk.has("usage"))
                {
                    usage = chunk.get("usage");
                    continue;
                }
                final JsonNode choice = chunk.get("choices").get(0);
                text.append(choice.get("delta").path("content").asText(""));
                if (!choice.get("finish_reason").isNull())
                {
                    finish = choice.get("finish_reason").asText();
                }
            }
            assertEquals("Hello, streaming world", text.toString());
            assertEquals("stop", finish);
            assertNotNull(usage);
            assertTrue(events.size() > 4, "the text comes in several chunks");

            final List<String> toolEvents = events(post(server, body.replace(",\"stream_options\":{\"include_usage\":true}", "")).body());
            final StringBuilder arguments = new StringBuilder();
            for (final String event : toolEvents.subList(0, toolEvents.size() - 1))
            {
                final JsonNode chunk = MAPPER.readTree(event);
                assertFalse(chunk.has("usage"), "no usage unless asked for");
                for (final JsonNode call : chunk.get("choices").get(0).get("delta").path("tool_calls"))
                {
                    arguments.append(call.get("function").get("arguments").asText());
                }
            }
            assertEquals("{\"a\":1,\"b\":2}", arguments.toString());
        }
    }

    @Test
    void listsModelsAndAnswersUnknownPathsAndBadBodies() throws Exception
    {
        try (ModelTestServer server = ModelTestServer.start(Script.inOrder()))
        {
            final HttpResponse<String> models = client.send(HttpRequest.newBuilder(URI.create(server.openAiBaseUrl() + "/models"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(ModelTestServer.MODEL, MAPPER.readTree(models.body()).get("data").get(0).get("id").asText());

            final HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(server.openAiBaseUrl() + "/nothing"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            assertTrue(MAPPER.readTree(missing.body()).get("error").get("message").asText().contains("/v1/nothing"));

            final HttpResponse<String> bad = post(server, "{not json");
            assertEquals(400, bad.statusCode());
            final HttpResponse<String> exhausted = post(server, ASK);
            assertEquals(500, exhausted.statusCode());
            assertTrue(exhausted.body().contains("the script has 0 replies"), exhausted.body());
            assertEquals(4, server.requestCount());
        }
    }

    @Test
    void aStoppedServerRefusesConnections() throws Exception
    {
        final ModelTestServer server = ModelTestServer.start(Script.inOrder(Reply.text("x")));
        final int port = server.port();
        assertTrue(server.isRunning());
        server.close();
        assertFalse(server.isRunning());
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models")).GET().build();
        final IOException refused = assertThrows(IOException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
        assertInstanceOf(ConnectException.class, refused instanceof ConnectException ? refused : refused.getCause());
    }

    private HttpResponse<String> post(final ModelTestServer server, final String body) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(server.openAiBaseUrl() + "/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> events(final String body)
    {
        final List<String> events = new ArrayList<>();
        for (final String block : body.split("\n\n"))
        {
            if (block.startsWith("data: "))
            {
                events.add(block.substring("data: ".length()));
            }
        }
        return events;
    }
}
