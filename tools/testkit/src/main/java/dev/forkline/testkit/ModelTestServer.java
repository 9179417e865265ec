package dev.forkline.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A scripted model server for tests, on 127.0.0.1 and a port the system picks. It speaks OpenAI's chat
 * completions protocol under {@link #openAiBaseUrl()}:
 * <ul>
 *     <li>{@code POST /v1/chat/completions}, with and without {@code "stream": true} (server-sent events ending
 *     in {@code [DONE]}), tool calls, finish reasons and token usage;</li>
 *     <li>{@code GET /v1/models}, listing {@link #MODEL};</li>
 *     <li>Anthropic's {@code POST /v1/messages} under {@link #anthropicBaseUrl()}, whole or streamed, with
 *     {@code tool_use} and {@code tool_result} blocks.</li>
 * </ul>
 * Every answer comes from the {@link Script}; nothing depends on the clock or on chance. The server counts
 * every request it gets ({@link #requestCount()}), so a test proves that a replay made none, and it keeps the
 * model requests it got ({@link #chatRequests()}).
 * <pre>{@code
 * try (ModelTestServer server = ModelTestServer.start(Script.inOrder(Reply.text("Hello")))) {
 *     OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.openAiBaseUrl()).apiKey("test")
 *         .modelName(ModelTestServer.MODEL).build();
 * }
 * }</pre>
 * Another protocol goes beside them as one more route class that reads its wire format into a
 * {@link ChatTurnRequest} and writes a {@link Reply} in it.
 */
public final class ModelTestServer implements AutoCloseable
{
    /** The model the server lists. It answers to any model name. */
    public static final String MODEL = "forkline-test-1";

    private final LocalHttpServer http;
    private final List<ChatTurnRequest> chatRequests = new ArrayList<>();

    private ModelTestServer(final Script script)
    {
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode models = mapper.createObjectNode().put("object", "list");
        models.putArray("data").addObject().put("id", MODEL).put("object", "model")
            .put("created", OpenAiChatCompletions.CREATED).put("owned_by", "forkline-testkit");
        final String modelList = models.toString();
        http = LocalHttpServer.builder()
            .route("POST", "/v1/chat/completions", new OpenAiChatCompletions(script, this::received))
            .route("POST", "/v1/messages", new AnthropicMessagesRoute(script, this::received))
            .route("GET", "/v1/models", exchange -> exchange.respond(200, "application/json", modelList))
            .start();
    }

    /**
     * @return a started server that answers with {@code script}.
     */
    public static ModelTestServer start(final Script script)
    {
        if (script == null)
        {
            throw new IllegalArgumentException("script must not be null");
        }
        return new ModelTestServer(script);
    }

    /**
     * @return the server's root, {@code http://127.0.0.1:<port>}, for clients that add {@code /v1/…} themselves
     * (Spring AI's).
     */
    public String rootUrl()
    {
        return http.url("");
    }

    /**
     * @return the base URL an OpenAI client takes: {@code http://127.0.0.1:<port>/v1}.
     */
    public String openAiBaseUrl()
    {
        return http.url("/v1");
    }

    /**
     * @return the base URL an Anthropic client takes: {@code http://127.0.0.1:<port>} (it adds {@code /v1/messages}).
     */
    public String anthropicBaseUrl()
    {
        return http.url("");
    }

    /**
     * @return the port the server listens on.
     */
    public int port()
    {
        return http.port();
    }

    /**
     * @return how many HTTP requests the server got, of any path.
     */
    public long requestCount()
    {
        return http.requestCount();
    }

    /**
     * @return the model requests the server got, in the order they came.
     */
    public synchronized List<ChatTurnRequest> chatRequests()
    {
        return List.copyOf(chatRequests);
    }

    /**
     * @return true until {@link #close()}.
     */
    public boolean isRunning()
    {
        return http.isRunning();
    }

    /**
     * Stops the server; its port refuses connections from then on.
     */
    @Override
    public void close()
    {
        http.close();
    }

    private synchronized void received(final ChatTurnRequest request)
    {
        chatRequests.add(request);
    }
}
