package dev.forkline.kernel.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.forkline.kernel.EventView;
import org.agrona.DirectBuffer;
import dev.forkline.kernel.ForklineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of one recorded payload that replay checks and serves, decoded in one streaming pass. Reused
 * from event to event; strings are the only allocation, as the agent receives them.
 */
final class RecordedPayload
{
    private static final int EXCERPT_BYTES = 120;
    private static final int NAME = 0;
    private static final int REQUEST_HASH = 1;
    private static final byte[] VALUE_PREFIX = "{\"value\":".getBytes(StandardCharsets.US_ASCII);

    private final JsonFactory factory = CanonicalJson.FACTORY;
    private byte[] bytes = new byte[1024];
    private int length;

    private char[] name = new char[64];
    private int nameLength = -1;
    private final char[] requestHash = new char[128];
    private int requestHashLength = -1;
    String content;
    String status;
    String model;
    String usage;
    String finishReason;
    String tokenizer;
    List<Integer> promptTokenIds;
    List<Integer> completionTokenIds;
    List<Double> completionLogprobs;
    String response;
    boolean error;
    boolean hasValue;
    long longValue;
    double doubleValue;
    List<ToolCall> toolCalls;

    /**
     * @throws ForklineException {@code CORRUPT_EVENT} when the payload is not a JSON object.
     */
    void decode(final EventView event)
    {
        length = event.payloadLength();
        if (bytes.length < length)
        {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        event.payload().getBytes(0, bytes, 0, length);
        clear();
        try (JsonParser parser = factory.createParser(bytes, 0, length))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken token = parser.nextToken();
                switch (field)
                {
                    case "name" -> nameLength = copyText(parser, token, NAME);
                    case "content" -> content = text(parser, token);
                    case "request_hash" -> requestHashLength = copyText(parser, token, REQUEST_HASH);
                    case "status" -> status = text(parser, token);
                    case "model" -> model = text(parser, token);
                    case "error" -> error = token == JsonToken.VALUE_TRUE;
                    case "value" -> value(parser, token);
                    case "usage" -> usage = token == JsonToken.START_OBJECT ? JsonText.copy(parser, bytes, length) : skip(parser);
                    case "response" -> response = JsonText.copy(parser, bytes, length);
                    case "tool_calls" -> toolCalls = toolCalls(parser, token);
                    case "finish_reason" -> finishReason = text(parser, token);
                    case "tokenizer" -> tokenizer = text(parser, token);
                    case "prompt_token_ids" -> promptTokenIds = ids(parser, token);
                    case "completion_token_ids" -> completionTokenIds = ids(parser, token);
                    case "completion_logprobs" -> completionLogprobs = logprobs(parser, token);
                    default -> parser.skipChildren();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT,
                "cannot decode " + event.branch() + "@" + event.step() + ": " + ex.getMessage());
        }
    }

    /**
     * Decodes a {@code {"value": number}} payload, without a JSON parser when it is written as Forkline writes it.
     */
    void decodeValue(final EventView event)
    {
        final DirectBuffer payload = event.payload();
        final int n = event.payloadLength();
        final int last = n - 1;
        if (n <= VALUE_PREFIX.length + 1 || payload.getByte(last) != '}' || !startsWithValuePrefix(payload))
        {
            decode(event);
            return;
        }
        final int start = VALUE_PREFIX.length;
        boolean integral = true;
        for (int i = start; i < last; i++)
        {
            final byte b = payload.getByte(i);
            if (b < '0' || b > '9')
            {
                if (b == '-' && i == start)
                {
                    continue;
                }
                if (b != '.' && b != 'e' && b != 'E' && b != '+' && b != '-')
                {
                    decode(event);
                    return;
                }
                integral = false;
            }
        }
        clear();
        if (integral && parseLong(payload, start, last))
        {
            doubleValue = longValue;
        }
        else
        {
            try
            {
                doubleValue = Double.parseDouble(payload.getStringWithoutLengthAscii(start, last - start));
            }
            catch (final NumberFormatException ex)
            {
                decode(event);
                return;
            }
            longValue = (long)doubleValue;
        }
        hasValue = true;
    }

    /**
     * Parses the digits (after an optional minus) from {@code start} to {@code end} into {@link #longValue}, exactly.
     *
     * @return false when they are not a long: no digit, or out of range.
     */
    private boolean parseLong(final DirectBuffer payload, final int start, final int end)
    {
        final boolean negative = payload.getByte(start) == '-';
        final int first = negative ? start + 1 : start;
        if (first == end || end - first > 19)
        {
            return false;
        }
        if (end - first <= 18)
        {
            longValue = payload.parseLongAscii(start, end - start); // cannot overflow
            return true;
        }
        // accumulate negatively, as Long.parseLong does, so that Long.MIN_VALUE fits
        long value = 0;
        for (int i = first; i < end; i++)
        {
            final int digit = payload.getByte(i) - '0';
            if (value < (Long.MIN_VALUE + digit) / 10)
            {
                return false;
            }
            value = value * 10 - digit;
        }
        if (!negative && value == Long.MIN_VALUE)
        {
            return false;
        }
        longValue = negative ? value : -value;
        return true;
    }

    /**
     * @return true when the payload had a {@code "name"} equal to {@code expected}.
     */
    boolean nameEquals(final String expected)
    {
        if (nameLength != expected.length())
        {
            return false;
        }
        for (int i = 0; i < nameLength; i++)
        {
            if (name[i] != expected.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return true when the payload had a {@code "request_hash"}.
     */
    boolean hasRequestHash()
    {
        return requestHashLength >= 0;
    }

    boolean requestHashEquals(final char[] hash)
    {
        return requestHashLength == hash.length && Arrays.equals(requestHash, 0, requestHashLength, hash, 0, hash.length);
    }

    /**
     * @return the recorded model turn.
     * @throws ForklineException {@code CORRUPT_EVENT} when its tokens are not what a turn can hold.
     */
    ModelTurn modelTurn(final EventView event)
    {
        final boolean hasTokens = tokenizer != null || promptTokenIds != null || completionTokenIds != null ||
            completionLogprobs != null;
        try
        {
            return new ModelTurn(content, toolCalls, model, usage, finishReason,
                hasTokens ? new Tokens(tokenizer, promptTokenIds, completionTokenIds, completionLogprobs) : null);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ForklineException(ForklineException.Reason.CORRUPT_EVENT,
                "cannot replay " + event.branch() + "@" + event.step() + ": " + ex.getMessage());
        }
    }

    /**
     * @return the first bytes of an event's payload as text.
     */
    static String excerpt(final EventView event)
    {
        final int length = event.payloadLength();
        final int n = Math.min(length, EXCERPT_BYTES);
        final String text = event.payload().getStringWithoutLengthUtf8(0, n);
        return n < length ? text + "…" : text;
    }

    private static boolean startsWithValuePrefix(final DirectBuffer payload)
    {
        for (int i = 0; i < VALUE_PREFIX.length; i++)
        {
            if (payload.getByte(i) != VALUE_PREFIX[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the length of the string copied into the buffer, -1 when the value is not a string.
     */
    private int copyText(final JsonParser parser, final JsonToken token, final int which) throws IOException
    {
        if (token != JsonToken.VALUE_STRING)
        {
            parser.skipChildren();
            return -1;
        }
        final int n = parser.getTextLength();
        if (which == NAME && n > name.length)
        {
            name = new char[Math.max(n, name.length * 2)];
        }
        final char[] target = which == NAME ? name : requestHash;
        if (n > target.length)
        {
            return n; // longer than any hash: can only mismatch
        }
        System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), target, 0, n);
        return n;
    }

    private void clear()
    {
        nameLength = -1;
        requestHashLength = -1;
        content = null;
        status = null;
        model = null;
        usage = null;
        finishReason = null;
        tokenizer = null;
        promptTokenIds = null;
        completionTokenIds = null;
        completionLogprobs = null;
        response = null;
        error = false;
        hasValue = false;
        longValue = 0;
        doubleValue = 0;
        toolCalls = null;
    }

    private void value(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT)
        {
            hasValue = true;
            longValue = parser.getValueAsLong();
            doubleValue = parser.getDoubleValue();
        }
        else
        {
            parser.skipChildren();
        }
    }

    private List<ToolCall> toolCalls(final JsonParser parser, final JsonToken token) throws IOException
    {
        final List<ToolCall> calls = new ArrayList<>();
        if (token != JsonToken.START_ARRAY)
        {
            parser.skipChildren();
            return calls;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT)
        {
            String id = null;
            String name = null;
            String arguments = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (field)
                {
                    case "id" -> id = text(parser, value);
                    case "name" -> name = text(parser, value);
                    case "arguments" -> arguments = value == JsonToken.VALUE_STRING ? parser.getText() :
                        value == JsonToken.VALUE_NULL ? null : JsonText.copy(parser, bytes, length);
                    default -> parser.skipChildren();
                }
            }
            calls.add(new ToolCall(id, name == null ? "" : name, arguments == null ? "{}" : arguments));
        }
        return calls;
    }

    private static List<Integer> ids(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token != JsonToken.START_ARRAY)
        {
            parser.skipChildren();
            return null;
        }
        final List<Integer> ids = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY && next != null; next = parser.nextToken())
        {
            if (next == JsonToken.VALUE_NUMBER_INT)
            {
                ids.add(parser.getIntValue());
            }
            else
            {
                throw new IOException("a token id that is not a whole number");
            }
        }
        return ids;
    }

    private static List<Double> logprobs(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token != JsonToken.START_ARRAY)
        {
            parser.skipChildren();
            return null;
        }
        final List<Double> logprobs = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY && next != null; next = parser.nextToken())
        {
            if (!next.isNumeric())
            {
                throw new IOException("a log-probability that is not a number");
            }
            logprobs.add(parser.getDoubleValue());
        }
        return logprobs;
    }

    private static String skip(final JsonParser parser) throws IOException
    {
        parser.skipChildren();
        return null;
    }

    private static String text(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_STRING)
        {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }
}
