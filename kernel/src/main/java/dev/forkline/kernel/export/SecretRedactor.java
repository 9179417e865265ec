package dev.forkline.kernel.export;

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
        final int end = offset + length;
        for (int i = offset; i < end - 2; i++)
        {
            switch (text[i])
            {
                case 's' ->
                {
                    if (text[i + 1] == 'k' && text[i + 2] == '-')
                    {
                        return true;
                    }
                }
                case 'A' ->
                {
                    if (i + 3 < end && (text[i + 1] == 'K' || text[i + 1] == 'S') && text[i + 2] == 'I' && text[i + 3] == 'A')
                    {
                        return true;
                    }
                }
                case 'g' ->
                {
                    final byte next = text[i + 2];
                    if ((text[i + 1] == 'h' && (next == 'p' || next == 'o' || next == 'u' || next == 's' || next == 'r')) ||
                        (text[i + 1] == 'i' && next == 't'))
                    {
                        return true;
                    }
                }
                case 'e', 'E' ->
                {
                    if (i + 4 < end && (text[i + 1] | 0x20) == 'a' && (text[i + 2] | 0x20) == 'r' &&
                        (text[i + 3] | 0x20) == 'e' && (text[i + 4] | 0x20) == 'r')
                    {
                        return true;
                    }
                }
                case '-' ->
                {
                    if (i + 5 < end && text[i + 1] == '-' && text[i + 2] == '-' && text[i + 3] == '-' &&
                        text[i + 4] == '-' && text[i + 5] == 'B')
                    {
                        return true;
                    }
                }
                default ->
                {
                }
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
