package dev.forkline.kernel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Checks the payloads of {@code outcome} and {@code annotation} events before they are appended, because a payload
 * the exporter misreads is lost silently: an outcome whose reward is not a number gives no reward and no preference
 * pair, an annotation whose label is neither {@code "good"} nor {@code "bad"} judges nothing. The message names the
 * field. Outcomes and annotations are rare and small, so the check costs the append path nothing that matters.
 */
final class JudgementCheck
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private JudgementCheck()
    {
    }

    /**
     * @param nextStep the step the annotation itself would take: it judges an earlier one.
     * @throws IllegalArgumentException naming the field that the exporter would misread.
     */
    static void check(final EventKind kind, final CharSequence json, final long nextStep)
    {
        final String text = json == null ? "null" : json.toString();
        try (JsonParser parser = FACTORY.createParser(text))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw notAnObject(kind, text);
            }
            boolean reward = false;
            boolean label = false;
            boolean step = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken token = parser.nextToken();
                final boolean outcome = kind == EventKind.OUTCOME;
                switch (field)
                {
                    case "label" -> label = label(kind, parser, token);
                    case "reward" -> reward = outcome ? reward(parser, token) : skip(parser);
                    case "step" -> step = outcome ? skip(parser) : step(parser, token, nextStep);
                    case "note" ->
                    {
                        if (outcome)
                        {
                            skip(parser);
                        }
                        else
                        {
                            requireText(kind, "note", parser, token);
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null)
            {
                throw notAnObject(kind, text);
            }
            if (kind == EventKind.OUTCOME && !reward && !label)
            {
                throw new IllegalArgumentException("outcome needs a \"reward\" (a number) or a \"label\": " + excerpt(text));
            }
            if (kind == EventKind.ANNOTATION && !step)
            {
                throw new IllegalArgumentException("annotation needs a \"step\": the step it judges");
            }
        }
        catch (final IOException ex)
        {
            throw notAnObject(kind, text);
        }
    }

    private static boolean reward(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_NULL)
        {
            return false;
        }
        if (!token.isNumeric() || !Double.isFinite(parser.getDoubleValue()))
        {
            throw new IllegalArgumentException("outcome \"reward\" must be a finite number (or null for none), not " +
                excerpt(parser.getText()));
        }
        return true;
    }

    private static boolean label(final EventKind kind, final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_NULL)
        {
            return false;
        }
        requireText(kind, "label", parser, token);
        if (kind == EventKind.ANNOTATION && !"good".equals(parser.getText()) && !"bad".equals(parser.getText()))
        {
            throw new IllegalArgumentException("annotation \"label\" must be \"good\" or \"bad\", not " + excerpt(parser.getText()));
        }
        return true;
    }

    private static boolean step(final JsonParser parser, final JsonToken token, final long nextStep) throws IOException
    {
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
        {
            throw new IllegalArgumentException("annotation \"step\" must be a whole number, not " + excerpt(parser.getText()));
        }
        final long step = parser.getLongValue();
        if (step < 0 || step >= nextStep)
        {
            throw new IllegalArgumentException("annotation \"step\" must name an earlier step of the branch (0.." +
                (nextStep - 1) + "), not " + step);
        }
        return true;
    }

    private static void requireText(final EventKind kind, final String field, final JsonParser parser, final JsonToken token)
    {
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL)
        {
            throw new IllegalArgumentException(kind.wireName() + " \"" + field + "\" must be a string, not " + describe(token));
        }
    }

    private static boolean skip(final JsonParser parser) throws IOException
    {
        parser.skipChildren();
        return false;
    }

    private static String describe(final JsonToken token)
    {
        return switch (token)
        {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a number";
        };
    }

    private static IllegalArgumentException notAnObject(final EventKind kind, final String text)
    {
        return new IllegalArgumentException(kind.wireName() + " payload must be a JSON object, not " + excerpt(text));
    }

    private static String excerpt(final String text)
    {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
