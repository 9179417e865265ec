package dev.forkline.proxy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the proxy does to a text before it is stored: secrets replaced by {@value #REDACTED}, and a text too long
 * for one event cut, with a note of how much was left out. Both are functions of the text alone, so a replay
 * that applies them to what its client sends compares like with like.
 * <p>
 * Design note: the rules are those of the kernel's export redaction (OpenAI-style {@code sk-} keys, AWS access
 * key ids, GitHub tokens, bearer tokens, PEM private keys), repeated here because the kernel does not offer its
 * redactor through its public API.
 */
final class StoredText
{
    static final String REDACTED = "[REDACTED]";

    /** The most UTF-8 bytes, JSON escapes included, one stored text takes, leaving room in an event for the rest. */
    static final int MAX_ENCODED_BYTES = 768 * 1024;

    private static final Pattern SECRETS = Pattern.compile(
        "-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----[^\"]*?-----END[A-Z ]{0,40}PRIVATE KEY-----" +
        "|\\bsk-[A-Za-z0-9_-]{20,}" +
        "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b" +
        "|\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}" +
        "|\\bgithub_pat_[A-Za-z0-9_]{22,}" +
        "|(?<=\\b(?:[Bb]earer|BEARER)[ \\t]{1,4})[A-Za-z0-9._~+/-]{16,}=*");

    private StoredText()
    {
    }

    /**
     * @return {@code text} redacted and cut to fit an event; null for null.
     */
    static String of(final String text)
    {
        return text == null ? null : fit(redact(text));
    }

    static String redact(final String text)
    {
        if (!mayContainSecret(text))
        {
            return text;
        }
        final Matcher matcher = SECRETS.matcher(text);
        return matcher.find() ? matcher.replaceAll(REDACTED) : text;
    }

    private static boolean mayContainSecret(final String text)
    {
        return text.contains("sk-") || text.contains("AKIA") || text.contains("ASIA") || text.contains("earer") ||
            text.contains("EARER") || text.contains("-----BEGIN") || text.contains("github_pat_") || text.contains("ghp_") || text.contains("gho_") ||
            text.contains("ghu_") || text.contains("ghs_") || text.contains("ghr_");
    }

    private static String fit(final String text)
    {
        if (text.length() * 6L <= MAX_ENCODED_BYTES)
        {
            return text;
        }
        final int budget = MAX_ENCODED_BYTES - 64;
        long bytes = 0;
        int end = 0;
        while (end < text.length())
        {
            final int width = encodedWidth(text.charAt(end));
            if (bytes + width > budget)
            {
                break;
            }
            bytes += width;
            end++;
        }
        if (end == text.length())
        {
            return text;
        }
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)))
        {
            end--;
        }
        return text.substring(0, end) + "…[" + (text.length() - end) + " more characters not stored]";
    }

    /**
     * @return the bytes one char takes in a JSON string in UTF-8 (a surrogate counts half of its pair's four).
     */
    private static int encodedWidth(final char c)
    {
        if (c < 0x20)
        {
            return 6;
        }
        if (c == '"' || c == '\\')
        {
            return 2;
        }
        if (c < 0x80)
        {
            return 1;
        }
        if (c < 0x800)
        {
            return 2;
        }
        return Character.isSurrogate(c) ? 2 : 3;
    }
}
