package dev.forkline.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.ToolCall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic stand-in for a model: a fixed policy over the conversation in the request, no network.
 * It lists the work directory, reads every {@code .txt} file listed, computes every {@code a op b} it finds
 * in the task and in those files, then answers with what it found.
 */
final class ScriptedModel
{
    static final String MODEL = "scripted-1";

    private static final Pattern ARITHMETIC = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*([-+*/x])\\s*(-?\\d+(?:\\.\\d+)?)");

    private final ObjectMapper mapper;
    private int calls;

    ScriptedModel(final ObjectMapper mapper)
    {
        this.mapper = mapper;
    }

    int calls()
    {
        return calls;
    }

    ModelTurn complete(final String request)
    {
        calls++;
        final JsonNode messages;
        try
        {
            messages = mapper.readTree(request).path("messages");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("the scripted model got a request that is not JSON", ex);
        }
        final Map<String, String> callArgs = new LinkedHashMap<>(); // call id -> "name args"
        final Map<String, String> results = new LinkedHashMap<>();  // "name args" -> content
        String task = "";
        int toolCalls = 0;
        for (final JsonNode message : messages)
        {
            switch (message.path("role").asText())
            {
                case "user" -> task = message.path("content").asText();
                case "assistant" ->
                {
                    for (final JsonNode call : message.path("tool_calls"))
                    {
                        toolCalls++;
                        callArgs.put(call.path("id").asText(), call.path("name").asText() + " " + call.path("arguments").asText());
                    }
                }
                case "tool" -> results.put(callArgs.get(message.path("tool_call_id").asText()), message.path("content").asText());
                default ->
                {
                }
            }
        }
        final List<ToolCall> next = nextCalls(task, results, toolCalls);
        final String usage = "{\"prompt_tokens\":" + request.length() / 4 + ",\"completion_tokens\":" + (8 + 16 * next.size()) + "}";
        return next.isEmpty() ? new ModelTurn(answer(task, results), List.of(), MODEL, usage) : new ModelTurn(null, next, MODEL, usage);
    }

    private List<ToolCall> nextCalls(final String task, final Map<String, String> results, final int callsSoFar)
    {
        final List<ToolCall> next = new ArrayList<>();
        final String listing = results.get(Toolbox.LIST_FILES + " " + pathArgs("."));
        if (listing == null)
        {
            next.add(call(callsSoFar + 1, Toolbox.LIST_FILES, pathArgs(".")));
            return next;
        }
        for (final String file : textFiles(listing))
        {
            if (!results.containsKey(Toolbox.READ_FILE + " " + pathArgs(file)))
            {
                next.add(call(callsSoFar + next.size() + 1, Toolbox.READ_FILE, pathArgs(file)));
            }
        }
        if (!next.isEmpty())
        {
            return next;
        }
        for (final String args : arithmetic(task, results))
        {
            if (!results.containsKey(Toolbox.CALC + " " + args))
            {
                next.add(call(callsSoFar + next.size() + 1, Toolbox.CALC, args));
            }
        }
        return next;
    }

    private String answer(final String task, final Map<String, String> results)
    {
        final StringBuilder out = new StringBuilder();
        final String listing = results.get(Toolbox.LIST_FILES + " " + pathArgs("."));
        out.append("Read ").append(listing == null ? List.of() : textFiles(listing)).append('.');
        for (final String args : arithmetic(task, results))
        {
            final JsonNode node = parse(args);
            out.append(' ').append(node.path("a").asText()).append(' ').append(node.path("op").asText()).append(' ')
                .append(node.path("b").asText()).append(" = ").append(results.get(Toolbox.CALC + " " + args)).append('.');
        }
        return out.toString();
    }

    /**
     * @return the {@code calc} arguments for every {@code a op b} in the task and in the files read.
     */
    private List<String> arithmetic(final String task, final Map<String, String> results)
    {
        final StringBuilder text = new StringBuilder(task);
        results.forEach((call, content) ->
        {
            if (call.startsWith(Toolbox.READ_FILE + " "))
            {
                text.append('\n').append(content);
            }
        });
        final List<String> found = new ArrayList<>();
        final Matcher m = ARITHMETIC.matcher(text);
        while (m.find())
        {
            final ObjectNode args = mapper.createObjectNode();
            args.put("a", new java.math.BigDecimal(m.group(1)));
            args.put("op", m.group(2).equals("x") ? "*" : m.group(2));
            args.put("b", new java.math.BigDecimal(m.group(3)));
            final String json = args.toString();
            if (!found.contains(json))
            {
                found.add(json);
            }
        }
        return found;
    }

    private static List<String> textFiles(final String listing)
    {
        final List<String> files = new ArrayList<>();
        for (final String line : listing.split("\n"))
        {
            if (line.endsWith(".txt"))
            {
                files.add(line);
            }
        }
        return files;
    }

    private String pathArgs(final String path)
    {
        return mapper.createObjectNode().put("path", path).toString();
    }

    private static ToolCall call(final int n, final String name, final String arguments)
    {
        return new ToolCall("call_" + n, name, arguments);
    }

    private JsonNode parse(final String json)
    {
        try
        {
            return mapper.readTree(json);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
