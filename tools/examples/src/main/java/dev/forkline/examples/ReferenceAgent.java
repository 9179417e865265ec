package dev.forkline.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.SessionStart;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small ReAct-style agent for demos and tests: a deterministic scripted model (no network) that answers
 * with tool calls, and three real tools confined to a work directory ({@code list_files}, {@code read_file},
 * {@code calc}). It lists the directory, reads its {@code .txt} files, computes every {@code a op b} it finds
 * in the task and the files, and answers with the results.
 * <p>
 * Every nondeterministic call goes through the {@link Recorder}, so the same run can be recorded, replayed
 * and forked:
 * <pre>{@code
 * ReferenceAgent agent = new ReferenceAgent(workDir);
 * try (Recorder live = Recorder.live(store.startSession("demo", agent.sessionStart()))) {
 *     String answer = agent.run(live, "What is 6 x 7?");
 * }
 * }</pre>
 * Threading: one run at a time.
 */
public final class ReferenceAgent
{
    /** The agent's name in its {@code session.start} event. */
    public static final String NAME = "forkline-reference";

    private static final String SYSTEM_PROMPT =
        "You are a careful assistant. Use the tools to look at the work directory before you answer.";
    private static final int MAX_TURNS = 8;

    private final ObjectMapper mapper = new ObjectMapper();
    private final ScriptedModel model = new ScriptedModel(mapper);
    private final Toolbox tools;
    private final List<String> transcript = new ArrayList<>();
    private final JsonNode toolSchemas;

    /**
     * @param workDirectory the directory the file tools see; nothing outside it can be read.
     */
    public ReferenceAgent(final Path workDirectory)
    {
        if (workDirectory == null)
        {
            throw new IllegalArgumentException("work directory must not be null");
        }
        this.tools = new Toolbox(workDirectory, mapper);
        try
        {
            this.toolSchemas = mapper.readTree(Toolbox.SCHEMAS);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("tool schemas are not JSON", ex);
        }
    }

    /**
     * @return the {@code session.start} event to start a session with: agent, model and tool schemas.
     */
    public SessionStart sessionStart()
    {
        SessionStart start = SessionStart.of(NAME).withModel(ScriptedModel.MODEL);
        for (final JsonNode tool : toolSchemas)
        {
            start = start.withTool(tool.toString());
        }
        return start;
    }

    /**
     * Runs one episode: records (or replays) the system prompt, the task, a clock read, the model turns and
     * the tool calls, then ends the session with status {@code "done"} (or {@code "max_turns"}).
     *
     * @return the final answer.
     * @throws dev.forkline.kernel.replay.DivergenceException when replaying a recording this run does not match.
     */
    public String run(final Recorder recorder, final String task)
    {
        if (recorder == null || task == null)
        {
            throw new IllegalArgumentException("recorder and task must not be null");
        }
        transcript.clear();
        final ArrayNode messages = mapper.createArrayNode();
        recorder.system(SYSTEM_PROMPT);
        messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
        recorder.user(task);
        messages.addObject().put("role", "user").put("content", task);
        final long startedAt = recorder.clock(System::currentTimeMillis);

        String answer = null;
        for (int turn = 0; turn < MAX_TURNS && answer == null; turn++)
        {
            final ModelTurn reply = recorder.model(request(messages, startedAt), model::complete);
            final ObjectNode assistant = messages.addObject().put("role", "assistant").put("content", reply.content());
            if (!reply.hasToolCalls())
            {
                answer = reply.content() == null ? "" : reply.content();
                break;
            }
            final ArrayNode calls = assistant.putArray("tool_calls");
            for (final ToolCall call : reply.toolCalls())
            {
                calls.addObject().put("id", call.id()).put("name", call.name()).put("arguments", call.arguments());
            }
            for (final ToolCall call : reply.toolCalls())
            {
                final ToolResult result = recorder.tool(call, tools::run);
                messages.addObject().put("role", "tool").put("tool_call_id", call.id())
                    .put("content", result.error() ? "error: " + result.content() : result.content());
            }
        }
        for (final JsonNode message : messages)
        {
            transcript.add(message.toString());
        }
        recorder.end(answer == null ? "max_turns" : "done");
        return answer;
    }

    /**
     * @return the messages of the last run, one JSON object each: its in-memory state, rebuilt on replay.
     */
    public List<String> transcript()
    {
        return List.copyOf(transcript);
    }

    /**
     * @return how many model and tool calls really ran (not served from a recording) since construction.
     */
    public int liveCalls()
    {
        return model.calls() + tools.calls();
    }

    private String request(final ArrayNode messages, final long startedAt)
    {
        final ObjectNode request = mapper.createObjectNode();
        request.put("model", ScriptedModel.MODEL);
        request.put("started_at", startedAt);
        request.set("tools", toolSchemas);
        request.set("messages", messages);
        return request.toString();
    }
}
