package dev.forkline.kernel.export;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExportRedactionTest
{
    private static final List<String> SECRETS = List.of(
        "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvw",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----");

    @Test
    void redactsEachKindOfSecretInTextAndInRawJson() throws Exception
    {
        for (final String secret : SECRETS)
        {
            final SecretRedactor redactor = new SecretRedactor(true);
            final String text = "before " + secret + " after";
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            final long candidates = redactor.candidates(bytes, 0, bytes.length);
            assertNotEquals(0, candidates, secret);
            assertEquals("before [REDACTED] after", redactor.redact(text, candidates), secret);

            final byte[] json = FormatRules.MAPPER.writeValueAsBytes(java.util.Map.of("content", text));
            final byte[] redactedJson = redactor.redactJson(json, redactor.candidates(json, 0, json.length));
            assertEquals("before [REDACTED] after", FormatRules.MAPPER.readTree(redactedJson).get("content").asText(),
                "raw JSON stays valid: " + secret);
            assertEquals(2, redactor.redactions());
        }
        final SecretRedactor redactor = new SecretRedactor(true);
        assertEquals("Authorization: Bearer [REDACTED]",
            redactor.redact("Authorization: Bearer abcdefghijklmnop0123456789", SecretScan.ALL));
    }

    @Test
    void leavesOrdinaryTextAloneAndThePrefilterPassesOverIt()
    {
        final SecretRedactor redactor = new SecretRedactor(true);
        final String text = "ask-me about AKIA, a sk-short key, the bearer of news, and ghp_short";
        assertSame(text, redactor.redact(text, SecretScan.ALL));
        assertEquals(0, redactor.redactions());
        for (final String plain : List.of("plain words with no trigger at all",
            "{\"content\":\"grep -rn handler src/app/config.py:12:    return self.value(\\\"json\\\")\\n\",\"tool_calls\":[]," +
                "\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":80},\"request_hash\":\"9f2c\"}",
            "{\"content\":\"caf\\u00e9 and a line\\nbreak\",\"max_tokens\":4096}"))
        {
            final byte[] bytes = plain.getBytes(StandardCharsets.UTF_8);
            assertEquals(0, redactor.candidates(bytes, 0, bytes.length), plain);
        }
        assertEquals(0, new SecretRedactor(false).candidates("sk-".getBytes(StandardCharsets.UTF_8), 0, 3));
    }

    @Test
    void anEscapeInTheStoredJsonHidesNoSecretFromTheEventsExport(@TempDir final Path dir)
    {
        try (Store store = Store.open(dir))
        {
            final BranchWriter session = store.startSession("e");
            session.append(EventKind.USER, "{\"content\":\"line\\nAKIAIOSFODNN7EXAMPLE\\tsk-abcdefghijklmnopqrstuvwxyz0123\"}");
            session.append(EventKind.USER, "{\"content\":\"\\u0041KIAIOSFODNN7EXAMPLE\",\"pass\\u0077ord\":\"hunter22\"}");
            session.append(EventKind.TOOL_RESULT, "{\n  \"content\": \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"\n}");
            store.commit();
            final ExportFixture.Output out = ExportFixture.export(store, new ExportOptions().format(ExportFormat.EVENTS));
            final String text = out.text();
            assertFalse(text.contains("AKIAIOSFODNN7EXAMPLE") || text.contains("IOSFODNN7EXAMPLE"), text);
            assertFalse(text.contains("sk-abcdefghijklmnopqrstuvwxyz0123"), text);
            assertFalse(text.contains("hunter22"), text);
            final String base64 = out.lines().get(3).replaceAll(".*\"data_base64\":\"([^\"]*)\".*", "$1");
            final String pretty = new String(java.util.Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            assertTrue(pretty.startsWith("{\n  \"content\": \"[REDACTED]\""), "a payload with line breaks is redacted too: " + pretty);
            assertEquals(java.util.Map.of("aws-access-key-id", 2L, "openai-api-key", 1L, "secret-assignment", 1L,
                "github-token", 1L), out.summary().redactionsByRule());
            FormatRules.checkAll(ExportFormat.EVENTS, out.lines());
        }
    }

    @Test
    void exportRedactsByDefaultAndCountsIt(@TempDir final Path dir)
    {
        try (Store store = Store.open(dir))
        {
            ExportFixture.build(store);
            for (final ExportFormat format : ExportFormat.values())
            {
                final ExportFixture.Output redacted = ExportFixture.export(store, new ExportOptions().format(format));
                assertFalse(redacted.text().contains(ExportFixture.KEY), format.formatName());
                if (format != ExportFormat.OPENAI_PREFERENCE && format != ExportFormat.TRL_PREFERENCE)
                {
                    assertTrue(redacted.text().contains("[REDACTED]"), format.formatName());
                    assertEquals(1, redacted.summary().redactions(), format.formatName());
                }
            }
            final ExportFixture.Output kept = ExportFixture.export(store, new ExportOptions().redact(false));
            assertTrue(kept.text().contains(ExportFixture.KEY));
            assertEquals(0, kept.summary().redactions());
        }
    }

    @Test
    void secretsInToolArgumentsAreRedactedAndTheArgumentsStillParse(@TempDir final Path dir) throws Exception
    {
        try (Store store = Store.open(dir))
        {
            store.startSession("k", (String)null).append(EventKind.MODEL_RESPONSE,
                "{\"content\":\"\",\"tool_calls\":[{\"id\":\"a\",\"name\":\"curl\",\"arguments\":" +
                "\"{\\\"header\\\":\\\"Authorization: Bearer abcdefghijklmnop0123\\\"}\"}]}");
            store.commit();
            final ExportFixture.Output out = ExportFixture.export(store, new ExportOptions());
            FormatRules.checkAll(ExportFormat.OPENAI_CHAT, out.lines());
            assertTrue(out.text().contains("Bearer [REDACTED]"), out.text());
            assertEquals(1, out.summary().redactions());
        }
    }
}
