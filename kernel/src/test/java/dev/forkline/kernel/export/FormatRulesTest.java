package dev.forkline.kernel.export;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The format rules catch the lines that validators and loaders refuse: a check that cannot fail checks nothing.
 */
class FormatRulesTest
{
    private static void refused(final ExportFormat format, final String line, final String rule)
    {
        final AssertionError error = assertThrows(AssertionError.class, () -> FormatRules.check(format, line), line);
        assertTrue(error.getMessage().contains(rule), error.getMessage());
    }

    private static final String CALL = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\"," +
        "\"function\":{\"name\":\"ls\",\"arguments\":\"{}\"}}],\"weight\":1}";

    @Test
    void goodLinesPass() throws Exception
    {
        FormatRules.check(ExportFormat.OPENAI_CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}," + CALL +
            ",{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"ok\",\"weight\":1}]}");
        FormatRules.check(ExportFormat.SHAREGPT, "{\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"}," +
            "{\"from\":\"function_call\",\"value\":\"{\\\"name\\\":\\\"ls\\\",\\\"arguments\\\":{}}\"}," +
            "{\"from\":\"observation\",\"value\":\"a\"},{\"from\":\"gpt\",\"value\":\"ok\"}]}");
    }

    @Test
    void emptyContentIsRefused()
    {
        refused(ExportFormat.OPENAI_CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}," + CALL +
            ",{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"\"}]}", "tool content must be a non-empty string");
        refused(ExportFormat.OPENAI_CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}," +
            "{\"role\":\"assistant\",\"content\":\"\",\"weight\":1}]}", "assistant content must be a non-empty string");
        refused(ExportFormat.SHAREGPT, "{\"conversations\":[{\"from\":\"human\",\"value\":\"\"},{\"from\":\"gpt\",\"value\":\"a\"}]}",
            "non-empty");
    }

    @Test
    void aToolMessageMustAnswerTheAssistantMessageJustBeforeIt()
    {
        final String again = CALL.replace("\"weight\":1", "\"weight\":0").replace("c1", "c2");
        refused(ExportFormat.OPENAI_CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}," + CALL + "," + again +
            ",{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"a\"}]}", "answers no call of the assistant message just before it");
        refused(ExportFormat.OPENAI_CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}," + CALL +
            ",{\"role\":\"user\",\"content\":\"wait\"},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"a\"}]}",
            "answers no call of the assistant message just before it");
        refused(ExportFormat.OPENAI_CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}," + CALL +
            ",{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"a\"},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"b\"}]}",
            "or answers it twice");
    }

    @Test
    void anIdUsedTwiceInALineIsRefused()
    {
        refused(ExportFormat.OPENAI_CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}," + CALL +
            ",{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"a\"}," + CALL + "]}", "tool call id c1 is used twice");
    }

    @Test
    void shareGptMustAlternateFromAHumanTurnToAnAssistantTurn()
    {
        refused(ExportFormat.SHAREGPT, "{\"conversations\":[{\"from\":\"human\",\"value\":\"a\"},{\"from\":\"human\",\"value\":\"b\"}," +
            "{\"from\":\"gpt\",\"value\":\"c\"}]}", "turns alternate");
        refused(ExportFormat.SHAREGPT, "{\"conversations\":[{\"from\":\"gpt\",\"value\":\"a\"}]}", "turns alternate");
        refused(ExportFormat.SHAREGPT, "{\"conversations\":[{\"from\":\"human\",\"value\":\"a\"},{\"from\":\"gpt\",\"value\":\"b\"}," +
            "{\"from\":\"human\",\"value\":\"c\"}]}", "ends with an assistant turn");
    }

    @Test
    void aRawLineSeparatorIsRefused()
    {
        refused(ExportFormat.OPENAI_CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"a\u2028b\"}," +
            "{\"role\":\"assistant\",\"content\":\"ok\",\"weight\":1}]}", "raw U+2028");
    }
}
