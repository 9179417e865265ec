package dev.forkline.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model for agents with two tools, {@code add} and {@code divide} (arguments {@code {"a":…,"b":…}}): on the
 * first call of a conversation it asks for one tool call per {@code a + b} or {@code a / b} in the first user
 * message; once the results are there it answers {@code Results: <result>, <result>.}. A question without
 * arithmetic gets {@code You said: <question>}. It answers from the request alone, so concurrent agents get
 * deterministic replies.
 */
public final class CalculatorScript
{
    private static final Pattern OPERATION = Pattern.compile("(-?\\d+) ([+/]) (-?\\d+)");

    private CalculatorScript()
    {
    }

    /**
     * @return the script.
     */
    public static Script script()
    {
        return request ->
        {
            final String question = request.firstUserText() == null ? "" : request.firstUserText();
            final List<TurnMessage> results = request.toolResults();
            if (!results.isEmpty())
            {
                final List<String> parts = new ArrayList<>();
                for (final TurnMessage result : results)
                {
                    parts.add(result.content());
                }
                return Reply.text("Results: " + String.join(", ", parts) + ".");
            }
            final List<ToolCallSpec> calls = new ArrayList<>();
            final Matcher m = OPERATION.matcher(question);
            while (m.find())
            {
                calls.add(Reply.call(m.group(2).equals("+") ? "add" : "divide",
                    "{\"a\":" + m.group(1) + ",\"b\":" + m.group(3) + "}"));
            }
            if (calls.isEmpty())
            {
                return Reply.text("You said: " + question);
            }
            return Reply.toolCalls(calls.toArray(new ToolCallSpec[0]));
        };
    }
}
