package dev.forkline.kernel.export;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secrets an export redacts: one rule a family, in the spirit of the common rules of gitleaks and trufflehog.
 * This table is the only place that knows them; {@code docs/reliability.md} lists them, and what they cannot catch.
 * <p>
 * Each rule is a regular expression run on decoded text (a JSON string's value, never its escaped form), the group
 * of it that is the secret (0: the whole match), and the anchors that {@link SecretScan} looks for in the raw bytes
 * of a payload before any rule runs: every text a rule matches holds one of its anchors. An anchor is matched
 * exactly, in any case ({@link Anchors#anyCase}), or in any case and followed by what an assignment looks like
 * ({@link Anchors#keyword}: {@code _key} parts, a quote, blanks, then {@code :} or {@code =}). Rules run in table
 * order; where two find overlapping secrets, the one that starts first counts (on a tie, the earlier rule).
 */
enum SecretRule
{
    PRIVATE_KEY("private-key",
        "-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]*?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----" +
            "|(?:\\s*(?:[A-Za-z0-9+/=]{16,}|[A-Za-z-]{3,40}: [^\\n]{0,200}))*)",
        0, Anchors.exact("-----BEGIN")),
    AWS_ACCESS_KEY_ID("aws-access-key-id", "\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b",
        0, Anchors.exact("AKIA", "ASIA", "ABIA", "ACCA", "A3T")),
    AWS_SECRET_ACCESS_KEY("aws-secret-access-key",
        "(?i)aws[a-z0-9_ .-]{0,20}?(?:secret|sk)[a-z0-9_ .-]{0,20}?[\"']?[ \\t]{0,4}(?::=|=>|[:=])[ \\t]{0,4}[\"']?" +
            "([a-z0-9/+]{40})(?![a-z0-9/+=])",
        1, Anchors.anyCase("aws")),
    GITHUB_TOKEN("github-token", "\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\\b",
        0, Anchors.exact("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    GITHUB_FINE_GRAINED_PAT("github-fine-grained-pat", "\\bgithub_pat_[A-Za-z0-9_]{22,255}",
        0, Anchors.exact("github_pat_")),
    GITLAB_TOKEN("gitlab-token", "\\bgl(?:pat|ptt|dt|rt|soat|oas|cbt|ft|imt)-[A-Za-z0-9_-]{20,}",
        0, Anchors.exact("glpat-", "glptt-", "gldt-", "glrt-", "glsoat-", "gloas-", "glcbt-", "glft-", "glimt-")),
    SLACK_TOKEN("slack-token", "\\b(?:xox[abposre]-[0-9]{6,}-[A-Za-z0-9-]{8,}|xapp-\\d-[A-Za-z0-9-]{10,})",
        0, Anchors.exact("xox", "xapp-")),
    SLACK_WEBHOOK("slack-webhook", "https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
        0, Anchors.exact("hooks.slack.com")),
    JWT("jwt", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*",
        0, Anchors.exact("eyJ")),
    GOOGLE_API_KEY("google-api-key", "\\bAIza[0-9A-Za-z_-]{35}",
        0, Anchors.exact("AIza")),
    STRIPE_KEY("stripe-key", "\\b(?:(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,247}|whsec_[A-Za-z0-9]{20,})",
        0, Anchors.exact("sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_", "whsec_")),
    HUGGING_FACE_TOKEN("huggingface-token", "\\bhf_[A-Za-z0-9]{30,}",
        0, Anchors.exact("hf_")),
    ANTHROPIC_API_KEY("anthropic-api-key", "\\bsk-ant-[A-Za-z0-9_-]{20,}",
        0, Anchors.exact("sk-ant-")),
    OPENAI_API_KEY("openai-api-key", "\\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20,})",
        0, Anchors.exact("sk-")),
    OTHER_AI_API_KEY("ai-api-key", "\\b(?:gsk_[A-Za-z0-9]{48,}|xai-[A-Za-z0-9]{60,}|r8_[A-Za-z0-9]{37,}|pplx-[A-Za-z0-9]{40,})",
        0, Anchors.exact("gsk_", "xai-", "r8_", "pplx-")),
    NPM_TOKEN("npm-token", "\\bnpm_[A-Za-z0-9]{36}\\b",
        0, Anchors.exact("npm_")),
    PYPI_TOKEN("pypi-token", "\\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
        0, Anchors.exact("pypi-AgEIcHlwaS5vcmc")),
    SENDGRID_API_KEY("sendgrid-api-key", "\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}\\b",
        0, Anchors.exact("SG.")),
    TELEGRAM_BOT_TOKEN("telegram-bot-token", "\\b[0-9]{8,10}:AA[0-9A-Za-z_-]{33}\\b",
        0, Anchors.exact(":AA")),
    AZURE_STORAGE_KEY("azure-storage-key", "(?i)AccountKey=([a-z0-9+/]{86}==)",
        1, Anchors.anyCase("accountkey=")),
    URL_PASSWORD("url-password",
        "\\b[A-Za-z][A-Za-z0-9+.-]{1,30}://[^\\s:/?#@\"'<>\\[\\]]{0,256}:(?!\\[REDACTED\\]@)([^\\s/?#@\"'<>]{1,256})@",
        1, Anchors.exact("://", ":\\/\\/")),
    BEARER_TOKEN("bearer-token", "(?i)\\bbearer[ \\t]+([a-z0-9._~+/-]{16,}=*)",
        1, Anchors.anyCase("bearer")),
    BASIC_AUTH("basic-auth", "(?i)\\bauthorization[\"']?[ \\t]{0,4}[:=][ \\t]{0,4}[\"']?basic[ \\t]+([a-z0-9+/]{8,}={0,2})",
        1, Anchors.anyCase("authorization")),
    PASSWORD_FLAG("password-flag", "(?i)--(?:password|passwd|token|secret|api-key|apikey)(?:=|[ \\t]+)([^\\s\"'`;&|<>]{4,256})",
        1, Anchors.anyCase("--password", "--passwd", "--token", "--secret", "--api-key", "--apikey")),
    SECRET_ASSIGNMENT("secret-assignment",
        "(?i)(?:password|passwd|passphrase|secret|api[_-]?key|access[_-]?key|private[_-]?key|token|credentials?)" +
            "(?:[_.-][a-z0-9]+)*[\"']?[ \\t]{0,4}(?::=|=>|[:=])[ \\t]{0,4}[\"']?([^\\s\"'`,;&<>(){}\\[\\]]{6,256})",
        1, Anchors.keyword("password", "passwd", "passphrase", "secret", "apikey", "api_key", "api-key", "accesskey",
            "access_key", "access-key", "privatekey", "private_key", "private-key", "token", "credential", "credentials"));

    /** A JSON member whose name is one of these (with {@code db_}-style parts around it) holds a secret. */
    static final Pattern SECRET_NAME = Pattern.compile(
        "(?i)(?:[a-z0-9]+[_.-])*(?:password|passwd|passphrase|secret|api[_-]?key|access[_-]?key|private[_-]?key|token|" +
            "credentials?)(?:[_.-][a-z0-9]+)*");

    private static final Set<String> PLACEHOLDERS = Set.of("null", "none", "nil", "true", "false", "undefined", "required",
        "optional", "string", "integer", "number", "boolean", "object", "example");
    private static final Pattern DOTTED_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+");

    private final String id;
    private final Pattern pattern;
    private final int group;
    private final List<Anchors> anchors;

    SecretRule(final String id, final String regex, final int group, final Anchors... anchors)
    {
        this.id = id;
        this.pattern = Pattern.compile(regex);
        this.group = group;
        this.anchors = List.of(anchors);
    }

    /**
     * @return the rule's name, as the export summary counts it.
     */
    String id()
    {
        return id;
    }

    Pattern pattern()
    {
        return pattern;
    }

    int group()
    {
        return group;
    }

    List<Anchors> anchors()
    {
        return anchors;
    }

    /**
     * @return false for what an assignment rule found that is not a secret: a placeholder, a number, a variable
     * ({@code ${DB_PASSWORD}}, {@code os.environ}), a masked value ({@code ********}).
     */
    boolean accepts(final String secret)
    {
        if (this != SECRET_ASSIGNMENT && this != PASSWORD_FLAG)
        {
            return true;
        }
        return isPlausibleValue(secret);
    }

    /**
     * @return true when the value of an assignment, or of a member whose name says secret, can be a secret.
     */
    static boolean isPlausibleValue(final String value)
    {
        if (value.isBlank() || value.startsWith("[REDACTED]"))
        {
            return false;
        }
        final char first = value.charAt(0);
        if (first == '$' || first == '%' || first == '{' || first == '<')
        {
            return false;
        }
        if (value.chars().allMatch(c -> c >= '0' && c <= '9') || value.chars().allMatch(c -> c == first))
        {
            return false;
        }
        return !PLACEHOLDERS.contains(value.toLowerCase(Locale.ROOT)) && !DOTTED_NAME.matcher(value).matches();
    }

    /**
     * The anchors of a rule: literal byte sequences, one of which every text the rule matches holds.
     *
     * @param words      the anchors, ASCII; lower case when matched in any case.
     * @param anyCase    true to match them in any case.
     * @param assignment true when an anchor must be followed by what an assignment looks like.
     */
    record Anchors(List<String> words, boolean anyCase, boolean assignment)
    {
        static Anchors exact(final String... words)
        {
            return new Anchors(List.of(words), false, false);
        }

        static Anchors anyCase(final String... words)
        {
            return new Anchors(lower(words), true, false);
        }

        static Anchors keyword(final String... words)
        {
            return new Anchors(lower(words), true, true);
        }

        private static List<String> lower(final String... words)
        {
            return java.util.Arrays.stream(words).map(w -> w.toLowerCase(Locale.ROOT)).toList();
        }
    }
}
