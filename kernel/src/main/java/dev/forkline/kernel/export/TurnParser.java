package dev.forkline.kernel.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses event payloads into {@link Turn}s with Jackson's streaming parser, tolerant of missing optional fields
 * and of the shapes importers write (OpenAI-nested tool calls, arguments as objects, content as a list of parts).
 * Redacts secrets in every string it keeps (JSON it keeps as text, such as tool call arguments, in its strings).
 * <p>
 * Its mapper writes the export's JSON: U+2028, U+2029 and U+0085, which JSON allows raw in a string but which
 * some JSON Lines readers take for line breaks, are escaped.
 */
final class TurnParser
{
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonFactory FACTORY = MAPPER.getFactory();

    static
    {
        FACTORY.setCharacterEscapes(new LineBreakEscapes());
    }

    private final SecretRedactor redactor;
    private long candidates;
    private boolean redactThis;

    TurnParser(final SecretRedactor redactor)
    {
        this.redactor = redactor;
    }

    /**
     * Fills the message, outcome or annotation fields of {@code turn} from its payload.
     *
     * @return null when done, else why the payload cannot be read.
     */
    String parse(final Turn turn)
    {
        final byte[] payload = turn.payload;
        candidates = redactor.candidates(payload, 0, payload.length);
        redactThis = candidates != 0;
        try (JsonParser parser = FACTORY.createParser(payload))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                return "payload is not a JSON object";
            }
            switch (turn.kind)
            {
                case SYSTEM -> message(parser, turn, Turn.SYSTEM);
                case USER -> message(parser, turn, Turn.USER);
                case MODEL_RESPONSE -> message(parser, turn, Turn.ASSISTANT);
                case TOOL_RESULT -> message(parser, turn, Turn.TOOL);
                case OUTCOME, ANNOTATION -> judgement(parser, turn);
                default -> parser.skipChildren();
            }
            return null;
        }
        catch (final IOException ex)
        {
            return "payload is not valid JSON (" + firstLine(ex.getMessage()) + ")";
        }
    }

    private void message(final JsonParser parser, final Turn turn, final String role) throws IOException
    {
        turn.role = role;
        int rawQuote = -1;
        while (true)
        {
            final JsonToken token = parser.nextToken();
            if (rawQuote >= 0)
            {
                keepRaw(parser, turn, rawQuote);
                rawQuote = -1;
            }
            if (token != JsonToken.FIELD_NAME)
            {
                break;
            }
            final String field = parser.currentName();
            parser.nextToken();
            switch (field)
            {
                case "content" ->
                {
                    turn.contentOffset = -1;
                    turn.content = null;
                    if (!redactThis && parser.currentToken() == JsonToken.VALUE_STRING)
                    {
                        // left for the parser to skip (and check); copied as it is when rendered
                        rawQuote = (int)parser.currentTokenLocation().getByteOffset();
                    }
                    else
                    {
                        turn.content = text(parser);
                    }
                }
                case "tool_calls" -> turn.toolCalls = toolCalls(parser, turn.step);
                case "tool_call_id" -> turn.toolCallId = scalar(parser);
                case "name" -> turn.name = scalar(parser);
                default -> parser.skipChildren();
            }
        }
        if (!turn.hasContent() && (turn.toolCalls.isEmpty() || !Turn.ASSISTANT.equals(role)))
        {
            turn.content = "";
        }
    }

    /**
     * The parser has skipped (and checked) the string literal that opens at {@code quote}; it now stands on the
     * next token, and only white space and a comma lie between that token and the closing quote.
     */
    private static void keepRaw(final JsonParser parser, final Turn turn, final int quote) throws IOException
    {
        final byte[] payload = turn.payload;
        int close = (int)parser.currentTokenLocation().getByteOffset() - 1;
        while (close > quote && payload[close] != '"')
        {
            close--;
        }
        if (quote < 0 || payload[quote] != '"' || close <= quote)
        {
            throw new IOException("cannot locate the content string");
        }
        turn.contentOffset = quote + 1;
        turn.contentLength = close - quote - 1;
        if (hasLineBreakCharacter(payload, turn.contentOffset, turn.contentLength))
        {
            turn.content = turn.contentText(); // rendered from the text, so that they are escaped
            turn.contentOffset = -1;
        }
    }

    /**
     * @return true when the UTF-8 bytes hold U+2028, U+2029 or U+0085.
     */
    static boolean hasLineBreakCharacter(final byte[] bytes, final int offset, final int length)
    {
        final int end = offset + length;
        for (int i = offset; i < end - 1; i++)
        {
            if ((bytes[i] == (byte)0xe2 && i < end - 2 && bytes[i + 1] == (byte)0x80 &&
                (bytes[i + 2] == (byte)0xa8 || bytes[i + 2] == (byte)0xa9)) || (bytes[i] == (byte)0xc2 && bytes[i + 1] == (byte)0x85))
            {
                return true;
            }
        }
        return false;
    }

    private static void judgement(final JsonParser parser, final Turn turn) throws IOException
    {
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = parser.currentName();
            final JsonToken token = parser.nextToken();
            switch (field)
            {
                case "reward" -> turn.reward = token.isNumeric() ? parser.getDoubleValue() : Double.NaN;
                case "label" -> turn.label = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                case "step" -> turn.annotatedStep = token.isNumeric() ? parser.getLongValue() : -1;
                default -> parser.skipChildren();
            }
        }
    }

    private List<ToolCall> toolCalls(final JsonParser parser, final long step) throws IOException
    {
        if (parser.currentToken() != JsonToken.START_ARRAY)
        {
            parser.skipChildren();
            return List.of();
        }
        final List<ToolCall> calls = new ArrayList<>(2);
        while (parser.nextToken() == JsonToken.START_OBJECT)
        {
            final String[] fields = new String[3]; // id, name, arguments
            callFields(parser, fields);
            final String id = fields[0] != null && !fields[0].isEmpty() ? fields[0] : "call_" + step + "_" + calls.size();
            calls.add(new ToolCall(id, fields[1] == null ? "" : fields[1], fields[2] == null ? "{}" : fields[2]));
        }
        return calls;
    }

    private void callFields(final JsonParser parser, final String[] fields) throws IOException
    {
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = parser.currentName();
            final JsonToken token = parser.nextToken();
            switch (field)
            {
                case "id" -> fields[0] = scalar(parser);
                case "name" -> fields[1] = scalar(parser);
                case "arguments" -> fields[2] = arguments(parser);
                case "function" ->
                {
                    if (token == JsonToken.START_OBJECT)
                    {
                        callFields(parser, fields);
                    }
                    else
                    {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
    }

    /**
     * @return the arguments as a JSON text: a string that holds JSON as it is, an object or array serialized,
     * any other string as a JSON string literal (so that it still parses).
     */
    private String arguments(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL)
        {
            return "{}";
        }
        if (token == JsonToken.VALUE_STRING)
        {
            final String text = parser.getText();
            if (!isJson(text))
            {
                return MAPPER.writeValueAsString(redact(text));
            }
            final String redacted = redactJson(text);
            // kept as recorded, unless written raw (TRL) it would carry a raw line break character
            return redacted.indexOf('\u2028') < 0 && redacted.indexOf('\u2029') < 0 && redacted.indexOf('\u0085') < 0 ?
                redacted : MAPPER.writeValueAsString(MAPPER.readTree(redacted));
        }
        final JsonNode node = MAPPER.readTree(parser);
        return redactJson(MAPPER.writeValueAsString(node));
    }

    private String text(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING)
        {
            return redact(parser.getText());
        }
        if (token == JsonToken.VALUE_NULL)
        {
            return null;
        }
        final JsonNode node = MAPPER.readTree(parser);
        if (node.isArray())
        {
            // a list of content parts: keep the text of each
            final StringBuilder out = new StringBuilder();
            for (final JsonNode part : node)
            {
                final JsonNode text = part.isTextual() ? part : part.get("text");
                if (text != null && text.isTextual())
                {
                    out.append(out.length() == 0 ? "" : "\n").append(text.asText());
                }
            }
            return redact(out.toString());
        }
        return node.isValueNode() ? redact(node.asText()) : redactJson(MAPPER.writeValueAsString(node));
    }

    private static String scalar(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        if (token.isScalarValue() && token != JsonToken.VALUE_NULL)
        {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    private String redact(final String text)
    {
        return redactor.redact(text, candidates);
    }

    private String redactJson(final String json)
    {
        return redactor.redactJson(json, candidates);
    }

    /**
     * @return true when {@code text} is exactly one JSON value.
     */
    static boolean isJson(final String text)
    {
        try (JsonParser parser = FACTORY.createParser(text))
        {
            if (parser.nextToken() == null)
            {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * @return true when {@code length} bytes from {@code offset} are exactly one JSON value.
     */
    static boolean isJson(final byte[] bytes, final int offset, final int length)
    {
        try (JsonParser parser = FACTORY.createParser(bytes, offset, length))
        {
            if (parser.nextToken() == null)
            {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    static String firstLine(final String message)
    {
        if (message == null)
        {
            return "no detail";
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Escapes the characters that JSON allows raw but some line readers split at; JSON's own escapes otherwise.
     */
    private static final class LineBreakEscapes extends CharacterEscapes
    {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = CharacterEscapes.standardAsciiEscapesForJSON();
        private static final SerializedString NEL = new SerializedString("\\u0085");
        private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

        @Override
        public int[] getEscapeCodesForAscii()
        {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(final int ch)
        {
            return switch (ch)
            {
                case 0x85 -> NEL;
                case 0x2028 -> LINE_SEPARATOR;
                case 0x2029 -> PARAGRAPH_SEPARATOR;
                default -> null;
            };
        }
    }
}
