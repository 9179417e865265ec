package dev.forkline.kernel.replay;

/**
 * The request hashes stored in {@code model.response}, {@code tool.result} and {@code effect} events:
 * {@code "sha256:"} and the lowercase hex SHA-256 of the UTF-8 bytes of the canonical JSON of the request. Key
 * order, white space, escapes and the way a number is written ({@code 1}, {@code 1.0}, {@code 1e0}) do not change
 * a hash; values do, exactly ({@code 1764435600123456789} and {@code 1764435600123456768} differ). The canonical
 * form is specified in {@code docs/replay.md} so that a client in another language computes the same hashes, and
 * {@code kernel/src/test/resources/request-hash-vectors.jsonl} holds inputs with their hashes to check one against.
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
     * @throws IllegalArgumentException when {@code json} is not one JSON value, or has a key twice in one object.
     */
    public static String of(final String json)
    {
        return CANONICAL.get().hash(json);
    }

    /**
     * @return the hash of a tool call: of {@code {"arguments": arguments, "name": name}}, with the arguments
     * taken as JSON when they are one JSON value (without a key twice in one object), else as a string.
     */
    public static String ofToolCall(final String name, final String arguments)
    {
        return CANONICAL.get().hashToolCall(name, arguments);
    }

    /**
     * @return the canonical form of a JSON text, whose UTF-8 bytes {@link #of} hashes.
     * @throws IllegalArgumentException when {@code json} is not one JSON value, or has a key twice in one object.
     */
    public static String canonical(final String json)
    {
        return CanonicalJson.canonical(json);
    }
}
