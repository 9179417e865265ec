package dev.forkline.kernel.export;

import java.nio.charset.StandardCharsets;

/**
 * The export's secret redaction for code that stores or shows text outside an export (the recording proxy, which
 * redacts what it stores): the same rules ({@code docs/reliability.md} lists them), on the same terms.
 * <pre>{@code
 * String stored = Secrets.redact("my key is sk-proj-...");   // "my key is [REDACTED]"
 * }</pre>
 * A function of the text alone: the same text always gives the same result, and a redacted text holds nothing more
 * to redact. Threading: any thread.
 */
public final class Secrets
{
    /** What a secret is replaced by. */
    public static final String REPLACEMENT = SecretRedactor.REPLACEMENT;

    private Secrets()
    {
    }

    /**
     * @param text decoded text, or a JSON text (tool call arguments), whose strings are then redacted one by one with
     *             their member names; null gives null.
     * @return {@code text} with every secret replaced by {@link #REPLACEMENT}; the same instance when there is none.
     */
    public static String redact(final String text)
    {
        if (text == null)
        {
            return null;
        }
        final SecretRedactor redactor = new SecretRedactor(true);
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return redactor.redact(text, redactor.candidates(bytes, 0, bytes.length));
    }
}
