package dev.forkline.proxy;

import dev.forkline.testkit.ChatTurnRequest;
import dev.forkline.testkit.Reply;
import dev.forkline.testkit.Script;
import dev.forkline.testkit.TurnMessage;

import java.util.List;

/**
 * The upstream's script for the calculator agent of the tests: add 2 and 3, multiply the result by 4, then say
 * the last result. It answers from the conversation alone, so the result the model "sees" decides the next
 * call: a tool result changed on the way (a fork's override) shows in the upstream's next request.
 */
final class CalculatorScript
{
    static final String TASK = "What is (2 + 3) * 4?";
    static final String SYSTEM = "You are a calculator. Use the tools.";

    private CalculatorScript()
    {
    }

    static Script script()
    {
        return CalculatorScript::reply;
    }

    private static Reply reply(final ChatTurnRequest request)
    {
        final List<TurnMessage> results = request.toolResults();
        return switch (request.assistantTurns())
        {
            case 0 -> Reply.toolCalls(Reply.call("add", "{\"a\":2,\"b\":3}"));
            case 1 -> Reply.toolCalls(Reply.call("multiply", "{\"a\":" + results.get(0).content() + ",\"b\":4}"));
            default -> Reply.text("The answer is " + results.get(0).content() + ".");
        };
    }

    /**
     * @return what the agent's tools compute.
     */
    static String run(final String name, final String arguments, final int wrongBy)
    {
        final long a = Long.parseLong(arguments.replaceAll(".*\"a\":(-?\\d+).*", "$1"));
        final long b = Long.parseLong(arguments.replaceAll(".*\"b\":(-?\\d+).*", "$1"));
        return Long.toString(("add".equals(name) ? a + b : a * b) + wrongBy);
    }
}
