package dev.forkline.kernel.replay;

/**
 * The request hashes stored in {@code model.response}, {@code tool.result} and {@code effect} events:
 * {@code "sha256:"} and the lowercase hex SHA-256 of the canonical JSON of the request (object keys sorted,
 * no insignificant whitespace, numbers as Jackson writes them). Key order and whitespace do not change a hash.
 * <p>
 * Threading: safe from any thread.
 */
public final class RequestHash
{
    private static final ThreadLocal<CanonicalJson> CANONICAL = ThreadLocal.withInitial(CanonicalJson::new);

    private RequestHash()
    {
    }

    /**
     * @return the hash of a JSON request (a model request, an effect request).
     * @throws IllegalArgumentException when {@code json} is not one JSON value.
     */
    public static String of(final String json)
    {
        return CANONICAL.get().hash(json);
    }

    /**
     * @return the hash of a tool call: of {@code {"arguments": arguments, "name": name}}, with the arguments
     * taken as JSON when they parse, else as a string.
     */
    public static String ofToolCall(final String name, final String arguments)
    {
        return CANONICAL.get().hashToolCall(name, arguments);
    }

    /**
     * @return the canonical form of a JSON text, the bytes that {@link #of} hashes.
     * @throws IllegalArgumentException when {@code json} is not one JSON value.
     */
    public static String canonical(final String json)
    {
        return CanonicalJson.canonical(json);
    }
}
