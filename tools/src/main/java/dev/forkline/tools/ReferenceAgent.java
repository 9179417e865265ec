package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventKind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent {@code forkline demo} records: it totals an invoice with two tools, {@code read_invoice} and
 * {@code calculator}. Its next model response is a pure function of the events so far, so the same code
 * runs live, continues from a fork, and is checked against a recording on replay.
 * <p>
 * It has a bug worth a counterfactual: it leaves out lines with a negative quantity (refunds), so a
 * different invoice at the {@code read_invoice} step gives a wrong total and a different outcome.
 */
final class ReferenceAgent
{
    static final String INVOICE = "INV-7";
    static final String INVOICE_TEXT = "widget 3 x 4.50\ngadget 2 x 10.00\n";

    static final String SYSTEM_PROMPT = "You total invoices. Use read_invoice, then calculator.";
    static final String TASK = "What is the total of invoice " + INVOICE + "?";

    private ReferenceAgent()
    {
    }

    /**
     * @return the next {@code model.response} payload; one without tool calls is the final answer.
     */
    static ObjectNode respond(final List<Event> history)
    {
        final JsonNode last = lastToolResult(history);
        final ObjectNode response = Json.object().put("model", "reference-agent-1");
        final var calls = response.putArray("tool_calls");
        if (last == null)
        {
            response.putNull("content");
            calls.addObject().put("id", "call_" + history.size()).put("name", "read_invoice")
                .put("arguments", Json.write(Json.object().put("invoice", INVOICE)));
        }
        else if ("read_invoice".equals(Json.text(last, "name")))
        {
            final StringBuilder expression = new StringBuilder();
            for (final String[] line : lines(Json.text(last, "content")))
            {
                if (new BigDecimal(line[1]).signum() > 0) // the bug: refunds are left out
                {
                    expression.append(expression.length() == 0 ? "" : "+").append(line[1]).append('*').append(line[2]);
                }
            }
            response.putNull("content");
            calls.addObject().put("id", "call_" + history.size()).put("name", "calculator")
                .put("arguments", Json.write(Json.object().put("expression", expression.toString())));
        }
        else
        {
            response.put("content", "The total of invoice " + INVOICE + " is " + Json.text(last, "content") + ".");
        }
        return response;
    }

    /**
     * Runs a tool for real.
     */
    static ObjectNode runTool(final JsonNode call)
    {
        final String name = Json.text(call, "name");
        final JsonNode arguments = Json.parseOrNull(Json.text(call, "arguments"));
        final String content = "read_invoice".equals(name) ? INVOICE_TEXT : calculate(Json.text(arguments, "expression")).toPlainString();
        return Json.object().put("tool_call_id", Json.text(call, "id")).put("name", name).put("content", content)
            .put("error", false);
    }

    /**
     * Grades the final answer against the invoice the agent was given.
     *
     * @return the {@code outcome} payload.
     */
    static ObjectNode grade(final List<Event> history)
    {
        BigDecimal truth = BigDecimal.ZERO;
        String answer = "";
        for (final Event event : history)
        {
            final JsonNode data = Json.parseOrNull(event.payloadAsString());
            if (event.kind() == EventKind.TOOL_RESULT && "read_invoice".equals(Json.text(data, "name")))
            {
                truth = BigDecimal.ZERO;
                for (final String[] line : lines(Json.text(data, "content")))
                {
                    truth = truth.add(new BigDecimal(line[1]).multiply(new BigDecimal(line[2])));
                }
            }
            else if (event.kind() == EventKind.MODEL_RESPONSE && Json.text(data, "content") != null)
            {
                answer = Json.text(data, "content");
            }
        }
        final boolean right = answer.contains(" is " + truth.toPlainString() + ".");
        return Json.object().put("reward", right ? 1 : 0).put("label", right ? "correct" : "wrong");
    }

    static BigDecimal calculate(final String expression)
    {
        BigDecimal sum = BigDecimal.ZERO;
        for (final String term : expression.split("\\+"))
        {
            BigDecimal product = BigDecimal.ONE;
            for (final String factor : term.split("\\*"))
            {
                product = product.multiply(new BigDecimal(factor.strip()));
            }
            sum = sum.add(product);
        }
        return sum;
    }

    private static List<String[]> lines(final String invoice)
    {
        final List<String[]> lines = new ArrayList<>();
        for (final String line : invoice.split("\n"))
        {
            final String[] parts = line.strip().split("\\s+");
            if (parts.length == 4 && "x".equals(parts[2]))
            {
                lines.add(new String[] {parts[0], parts[1], parts[3]});
            }
        }
        return lines;
    }

    private static JsonNode lastToolResult(final List<Event> history)
    {
        for (int i = history.size() - 1; i >= 0; i--)
        {
            if (history.get(i).kind() == EventKind.TOOL_RESULT)
            {
                return Json.parseOrNull(history.get(i).payloadAsString());
            }
        }
        return null;
    }
}
