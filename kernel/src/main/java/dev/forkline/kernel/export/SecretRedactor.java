package dev.forkline.kernel.export;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets by {@value #REPLACEMENT}: OpenAI-style {@code sk-} keys, AWS access key ids, GitHub tokens,
 * bearer tokens and PEM private keys. Works on decoded strings and on raw JSON text alike: no pattern matches
 * a double quote, so a replacement never crosses a JSON string.
 * <p>
 * Design note: almost no text holds a secret, so {@link #mayContainSecret} first looks for the few byte
 * sequences every pattern starts with; the regular expression runs only where one is found.
 */
final class SecretRedactor
{
    static final String REPLACEMENT = "[REDACTED]";

    private static final Pattern SECRETS = Pattern.compile(
        "-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----[^\"]*?-----END[A-Z ]{0,40}PRIVATE KEY-----" +
        "|\\bsk-[A-Za-z0-9_-]{20,}" +
        "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b" +
        "|\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}" +
        "|\\bgithub_pat_[A-Za-z0-9_]{22,}" +
        "|(?<=\\b(?:[Bb]earer|BEARER)[ \\t]{1,4})[A-Za-z0-9._~+/-]{16,}=*");

    private final boolean enabled;
    private long redactions;

    SecretRedactor(final boolean enabled)
    {
        this.enabled = enabled;
    }

    /**
     * @return the number of secrets replaced so far.
     */
    long redactions()
    {
        return redactions;
    }

    boolean enabled()
    {
        return enabled;
    }

    /**
     * @return false when no secret can start in {@code length} bytes of UTF-8 from {@code offset}.
     */
    boolean mayContainSecret(final byte[] text, final int offset, final int length)
    {
        if (!enabled)
        {
            return false;
        }
        // a Latin-1 view of the bytes lets String.indexOf, an intrinsic, do the scanning
        final String view = new String(text, offset, length, StandardCharsets.ISO_8859_1);
        if (view.contains("sk-") || view.contains("AKIA") || view.contains("ASIA") || view.contains("earer") ||
            view.contains("EARER") || view.contains("-----BEGIN") || view.contains("github_pat_"))
        {
            return true;
        }
        for (int i = view.indexOf("gh"); i >= 0 && i + 3 < length; i = view.indexOf("gh", i + 2))
        {
            final char next = view.charAt(i + 2);
            if (view.charAt(i + 3) == '_' && (next == 'p' || next == 'o' || next == 'u' || next == 's' || next == 'r'))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return {@code text} with every secret replaced (the same instance when there is none).
     */
    String redact(final String text)
    {
        if (!enabled || text == null)
        {
            return text;
        }
        final Matcher matcher = SECRETS.matcher(text);
        if (!matcher.find())
        {
            return text;
        }
        final StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do
        {
            out.append(text, last, matcher.start()).append(REPLACEMENT);
            last = matcher.end();
            redactions++;
        }
        while (matcher.find());
        return out.append(text, last, text.length()).toString();
    }
}
