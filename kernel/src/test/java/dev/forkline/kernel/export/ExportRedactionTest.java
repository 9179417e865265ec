package dev.forkline.kernel.export;

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
            assertTrue(redactor.mayContainSecret(bytes, 0, bytes.length), secret);
            assertEquals("before [REDACTED] after", redactor.redact(text), secret);

            final String json = FormatRules.MAPPER.writeValueAsString(java.util.Map.of("content", text));
            final String redactedJson = redactor.redact(json);
            assertEquals("before [REDACTED] after", FormatRules.MAPPER.readTree(redactedJson).get("content").asText(),
                "raw JSON stays valid: " + secret);
            assertEquals(2, redactor.redactions());
        }
        final SecretRedactor redactor = new SecretRedactor(true);
        assertEquals("Authorization: Bearer [REDACTED]", redactor.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def"));
    }

    @Test
    void leavesOrdinaryTextAlone()
    {
        final SecretRedactor redactor = new SecretRedactor(true);
        final String text = "ask-me about AKIA, a sk-short key, the bearer of news, and ghp_short";
        assertSame(text, redactor.redact(text));
        assertEquals(0, redactor.redactions());
        final byte[] plain = "plain words with no trigger at all".getBytes(StandardCharsets.UTF_8);
        assertFalse(redactor.mayContainSecret(plain, 0, plain.length));
        assertFalse(new SecretRedactor(false).mayContainSecret("sk-".getBytes(StandardCharsets.UTF_8), 0, 3));
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
