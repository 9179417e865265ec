package dev.forkline.kernel.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.forkline.kernel.export.FormatRules.MAPPER;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every rule of {@link SecretRule}, with a text it must redact and a near miss it must leave alone, exported in every
 * format. Each secret is stored three ways: as it is, right after an escaped line break and tab, and with its first
 * character written as a backslash-u escape in the stored JSON.
 */
class SecretRulesTest
{
    /** A text holding a secret, and the part of it that must not be exported. */
    private record Secret(SecretRule rule, String text, String secret)
    {
    }

    /** A text a rule must not take for a secret. */
    private record NearMiss(SecretRule rule, String text)
    {
    }

    private enum Encoding
    {
        PLAIN, AFTER_ESCAPES, UNICODE_ESCAPE
    }

    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String AZURE_KEY = "A".repeat(40) + "b".repeat(30) + "0123456789+/abcd" + "==";

    private static final List<Secret> SECRETS = List.of(
        new Secret(SecretRule.PRIVATE_KEY, "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq9Qx\nZ8k2Lm\n-----END RSA PRIVATE KEY-----",
            "MIIEpAIBAAKCAQEA7bq9Qx"),
        new Secret(SecretRule.PRIVATE_KEY, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"),
        new Secret(SecretRule.AWS_ACCESS_KEY_ID, "the key id AKIAIOSFODNN7EXAMPLE is active", "AKIAIOSFODNN7EXAMPLE"),
        new Secret(SecretRule.AWS_SECRET_ACCESS_KEY, "aws_secret_access_key = " + AWS_SECRET, AWS_SECRET),
        new Secret(SecretRule.GITHUB_TOKEN, "git push https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        new Secret(SecretRule.GITHUB_FINE_GRAINED_PAT, "token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvw ok",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvw"),
        new Secret(SecretRule.GITLAB_TOKEN, "use glpat-abcdefghij0123456789 for the api", "glpat-abcdefghij0123456789"),
        new Secret(SecretRule.SLACK_TOKEN, "bot xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJklmn",
            "xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJklmn"),
        new Secret(SecretRule.SLACK_WEBHOOK, "post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
        new Secret(SecretRule.JWT, "session eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." +
            "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "eyJzdWIiOiIxMjM0NTY3ODkwIn0"),
        new Secret(SecretRule.GOOGLE_API_KEY, "maps key AIzaSyA-1234567890abcdefghijklmnopqrstu", "AIzaSyA-1234567890abcdefghijklmnopqrstu"),
        new Secret(SecretRule.STRIPE_KEY, "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        new Secret(SecretRule.STRIPE_KEY, "restricted rk_live_51Habcdefghij0123456789", "rk_live_51Habcdefghij0123456789"),
        new Secret(SecretRule.HUGGING_FACE_TOKEN, "HF_TOKEN hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
            "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"),
        new Secret(SecretRule.ANTHROPIC_API_KEY, "claude key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
            "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789"),
        new Secret(SecretRule.OPENAI_API_KEY, "openai sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234"),
        new Secret(SecretRule.OPENAI_API_KEY, "legacy sk-abcdefghijklmnopqrstuvwxyz0123456789", "sk-abcdefghijklmnopqrstuvwxyz0123456789"),
        new Secret(SecretRule.OTHER_AI_API_KEY, "groq gsk_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
            "gsk_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"),
        new Secret(SecretRule.NPM_TOKEN, "//registry.npmjs.org/:_authToken npm_abcdefghijklmnopqrstuvwxyz0123456789",
            "npm_abcdefghijklmnopqrstuvwxyz0123456789"),
        new Secret(SecretRule.PYPI_TOKEN, "twine pypi-AgEIcHlwaS5vcmc" + "CJDY4ZjQ1YjU0LTQ3YWMtNDFhMi04NmM4LWQ2MDI5ZjE0ZmZmZQ",
            "CJDY4ZjQ1YjU0LTQ3YWMtNDFhMi04NmM4LWQ2MDI5ZjE0ZmZmZQ"),
        new Secret(SecretRule.SENDGRID_API_KEY, "mail SG." + "abcdefghijklmnopqrstuv" + "." + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
        new Secret(SecretRule.TELEGRAM_BOT_TOKEN, "bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0",
            "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"),
        new Secret(SecretRule.AZURE_STORAGE_KEY, "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + AZURE_KEY, AZURE_KEY),
        new Secret(SecretRule.URL_PASSWORD, "DATABASE_URL postgres://app:s3cretPa55@db.internal:5432/app", "s3cretPa55"),
        new Secret(SecretRule.URL_PASSWORD, "clone https://user:pass@host/repo.git", ":pass@"),
        new Secret(SecretRule.BEARER_TOKEN, "curl -H 'Authorization: Bearer abcdefghijklmnop0123' api", "abcdefghijklmnop0123"),
        new Secret(SecretRule.BASIC_AUTH, "Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
        new Secret(SecretRule.PASSWORD_FLAG, "mysql --password s3cr3tpw -h db", "s3cr3tpw"),
        new Secret(SecretRule.SECRET_ASSIGNMENT, "export PASSWORD=hunter2x", "hunter2x"),
        new Secret(SecretRule.SECRET_ASSIGNMENT, "secret: s3cr3t-value", "s3cr3t-value"),
        new Secret(SecretRule.SECRET_ASSIGNMENT, "api_key=abcd1234efgh", "abcd1234efgh"),
        new Secret(SecretRule.SECRET_ASSIGNMENT, "{\"db_password\": \"correct horse battery\"}", "correct horse battery"));

    private static final List<NearMiss> NEAR_MISSES = List.of(
        new NearMiss(SecretRule.PRIVATE_KEY, "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----"),
        new NearMiss(SecretRule.AWS_ACCESS_KEY_ID, "the id AKIAIOSFODNN7 is cut short"),
        new NearMiss(SecretRule.AWS_SECRET_ACCESS_KEY, "aws_secret_access_key = ${AWS_SECRET}"),
        new NearMiss(SecretRule.GITHUB_TOKEN, "the prefix ghp_shorttoken is not a token"),
        new NearMiss(SecretRule.GITHUB_FINE_GRAINED_PAT, "github_pat_short"),
        new NearMiss(SecretRule.GITLAB_TOKEN, "glpat-short"),
        new NearMiss(SecretRule.SLACK_TOKEN, "xoxo-hugs-and-kisses-from-slack"),
        new NearMiss(SecretRule.SLACK_WEBHOOK, "see https://hooks.slack.com/help for webhooks"),
        new NearMiss(SecretRule.JWT, "a header eyJhbGciOiJIUzI1NiJ9 alone"),
        new NearMiss(SecretRule.GOOGLE_API_KEY, "AIzaSyShort"),
        new NearMiss(SecretRule.STRIPE_KEY, "sk_live_short"),
        new NearMiss(SecretRule.HUGGING_FACE_TOKEN, "from huggingface_hub import hf_hub_download"),
        new NearMiss(SecretRule.ANTHROPIC_API_KEY, "sk-ant-short"),
        new NearMiss(SecretRule.OPENAI_API_KEY, "ask-me about sk-learn-is-a-python-library"),
        new NearMiss(SecretRule.OTHER_AI_API_KEY, "gsk_short and xai-short"),
        new NearMiss(SecretRule.NPM_TOKEN, "npm_config_cache=/tmp/npm"),
        new NearMiss(SecretRule.PYPI_TOKEN, "pypi-AgEIcHlwaS5vcmc"),
        new NearMiss(SecretRule.SENDGRID_API_KEY, "SG.short.value"),
        new NearMiss(SecretRule.TELEGRAM_BOT_TOKEN, "12:AA and 123456789:AAshort"),
        new NearMiss(SecretRule.AZURE_STORAGE_KEY, "AccountKey=short"),
        new NearMiss(SecretRule.URL_PASSWORD, "https://example.com:8443/path@v2"),
        new NearMiss(SecretRule.BEARER_TOKEN, "the bearer of bad news"),
        new NearMiss(SecretRule.BASIC_AUTH, "basic authorization is disabled"),
        new NearMiss(SecretRule.PASSWORD_FLAG, "--password is required"),
        new NearMiss(SecretRule.SECRET_ASSIGNMENT, "password: ${DB_PASSWORD}, max_tokens=4096, token = os.environ, " +
            "\"prompt_tokens\": 1200, secret=********"));

    @TempDir
    static Path dir;
    private static Store store;
    /** The session of each case: a secret in an encoding, or a near miss. */
    private static final Map<String, Object> CASES = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void recordEveryCase() throws Exception
    {
        store = Store.open(dir.resolve("store"));
        int n = 0;
        for (final Secret secret : SECRETS)
        {
            for (final Encoding encoding : Encoding.values())
            {
                final String session = "case-" + n++;
                CASES.put(session, new Object[] {secret, encoding});
                record(store, session, userPayload(session, secret.text(), secret.secret(), encoding));
            }
        }
        for (final NearMiss miss : NEAR_MISSES)
        {
            final String session = "case-" + n++;
            CASES.put(session, miss);
            record(store, session, userPayload(session, miss.text(), null, Encoding.PLAIN));
        }
        store.commit();
    }

    @AfterAll
    static void closeStore()
    {
        store.close();
    }

    @Test
    void everyRuleHasASecretAndANearMiss()
    {
        final Set<SecretRule> withSecret = EnumSet.noneOf(SecretRule.class);
        SECRETS.forEach(s -> withSecret.add(s.rule()));
        final Set<SecretRule> withMiss = EnumSet.noneOf(SecretRule.class);
        NEAR_MISSES.forEach(m -> withMiss.add(m.rule()));
        assertEquals(EnumSet.allOf(SecretRule.class), withSecret, "rules without a secret to find");
        assertEquals(EnumSet.allOf(SecretRule.class), withMiss, "rules without a near miss");
    }

    @Test
    void eachSecretIsFoundByItsRuleAloneAndNoNearMissIsFound()
    {
        for (final Secret secret : SECRETS)
        {
            final SecretRedactor redactor = new SecretRedactor(true);
            final byte[] bytes = secret.text().getBytes(StandardCharsets.UTF_8);
            final long candidates = redactor.candidates(bytes, 0, bytes.length);
            assertNotEquals(0, candidates & (1L << secret.rule().ordinal()), "the prefilter passes over " + secret);
            final String redacted = redactor.redact(secret.text(), SecretScan.ALL);
            assertFalse(redacted.contains(secret.secret()), secret + " gave " + redacted);
            final long[] counts = new long[SecretRule.values().length];
            redactor.addCountsTo(counts);
            assertEquals(Map.of(secret.rule().id(), 1L), SecretRedactor.byRule(counts), secret + " gave " + redacted);
        }
        for (final NearMiss miss : NEAR_MISSES)
        {
            final SecretRedactor redactor = new SecretRedactor(true);
            assertSame(miss.text(), redactor.redact(miss.text(), SecretScan.ALL), miss.toString());
        }
    }

    @Test
    void redactedTextHoldsNothingMoreToRedact()
    {
        for (final Secret secret : SECRETS)
        {
            final String once = new SecretRedactor(true).redact(secret.text(), SecretScan.ALL);
            final SecretRedactor again = new SecretRedactor(true);
            assertSame(once, again.redact(once, SecretScan.ALL), secret.toString());
            assertEquals(0, again.redactions());
        }
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void everySecretIsRedactedAndEveryNearMissKeptInEveryFormat(final ExportFormat format) throws Exception
    {
        final ExportFixture.Output out = ExportFixture.export(store, new ExportOptions().format(format));
        FormatRules.checkAll(format, out.lines());
        final Map<String, List<String>> textsByCase = textsByCase(format, out.lines());
        final Map<SecretRule, Long> expected = new EnumMap<>(SecretRule.class);
        for (final Map.Entry<String, Object> entry : CASES.entrySet())
        {
            final List<String> texts = textsByCase.get(entry.getKey());
            assertNotNull(texts, format.formatName() + " exported nothing of " + entry.getKey());
            final String all = String.join("\n", texts);
            if (entry.getValue() instanceof Object[] secretCase)
            {
                final Secret secret = (Secret)secretCase[0];
                assertFalse(all.contains(secret.secret()), format.formatName() + " leaked " + secret + " stored " +
                    secretCase[1] + ": " + all);
                assertTrue(all.contains(SecretRedactor.REPLACEMENT), format.formatName() + ": " + all);
                expected.merge(secret.rule(), 1L, Long::sum);
            }
            else
            {
                final NearMiss miss = (NearMiss)entry.getValue();
                assertTrue(all.contains(miss.text()), format.formatName() + " changed the near miss " + miss + ": " + all);
            }
        }
        final Map<String, Long> byRule = new java.util.LinkedHashMap<>();
        expected.forEach((rule, count) -> byRule.put(rule.id(), count));
        assertEquals(byRule, out.summary().redactionsByRule(), format.formatName());
        assertEquals(byRule.values().stream().mapToLong(Long::longValue).sum(), out.summary().redactions());
        assertTrue(out.summary().toString().contains("(" + SecretRule.PRIVATE_KEY.id() + " " +
            expected.get(SecretRule.PRIVATE_KEY) + ", "), out.summary().toString());
    }

    @Test
    void noRedactKeepsEverySecret()
    {
        final ExportFixture.Output out = ExportFixture.export(store, new ExportOptions().redact(false));
        assertEquals(0, out.summary().redactions());
        assertTrue(out.summary().redactionsByRule().isEmpty());
        assertTrue(out.text().contains("AKIAIOSFODNN7EXAMPLE"));
    }

    /**
     * One session: a user message holding the text, an answer, and a fork with a better answer, so that the
     * preference formats have a pair whose prompt holds the text.
     */
    private static void record(final Store store, final String session, final String user)
    {
        final BranchWriter root = store.startSession(session, "{\"agent\":\"t\"}");
        root.append(EventKind.USER, user);
        root.append(EventKind.MODEL_RESPONSE, "{\"content\":\"first answer\"}");
        root.append(EventKind.OUTCOME, "{\"reward\":0,\"label\":\"fail\"}");
        final BranchWriter fork = store.fork(session, 2, "retry");
        fork.append(EventKind.MODEL_RESPONSE, "{\"content\":\"better answer\"}");
        fork.append(EventKind.OUTCOME, "{\"reward\":1,\"label\":\"pass\"}");
    }

    /**
     * @return a user message whose content is {@code marker: text}, as JSON text written in the given encoding.
     */
    private static String userPayload(final String marker, final String text, final String secret, final Encoding encoding)
        throws Exception
    {
        final String content = switch (encoding)
        {
            case PLAIN, UNICODE_ESCAPE -> marker + ": " + text;
            case AFTER_ESCAPES -> marker + ":\n\t" + text + "\n";
        };
        String json = MAPPER.writeValueAsString(content);
        if (encoding == Encoding.UNICODE_ESCAPE)
        {
            final String escaped = MAPPER.writeValueAsString(secret);
            final int at = json.indexOf(escaped.substring(1, escaped.length() - 1));
            assertTrue(at > 0, "cannot find " + secret + " in " + json);
            json = json.substring(0, at) + String.format("\\u%04x", (int)json.charAt(at)) + json.substring(at + 1);
        }
        return "{\"content\":" + json + "}";
    }

    /**
     * @return for each case's session, the decoded strings of the lines that hold its marker.
     */
    private static Map<String, List<String>> textsByCase(final ExportFormat format, final List<String> lines) throws Exception
    {
        final Map<String, List<String>> texts = new java.util.HashMap<>();
        for (final String line : lines)
        {
            final List<String> strings = new ArrayList<>();
            final JsonNode node = MAPPER.readTree(line);
            collect(format == ExportFormat.EVENTS ? eventData(node) : node, strings);
            for (final String session : CASES.keySet())
            {
                if (strings.stream().anyMatch(s -> s.startsWith(session + ":")))
                {
                    texts.computeIfAbsent(session, k -> new ArrayList<>()).addAll(strings);
                }
            }
        }
        return texts;
    }

    private static JsonNode eventData(final JsonNode line) throws Exception
    {
        return line.has("data") ? line.get("data") :
            MAPPER.readTree(Base64.getDecoder().decode(line.get("data_base64").asText()));
    }

    private static void collect(final JsonNode node, final List<String> strings)
    {
        if (node.isTextual())
        {
            strings.add(node.asText());
        }
        for (final JsonNode child : node)
        {
            collect(child, strings);
        }
    }
}
