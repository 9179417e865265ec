package dev.forkline.kernel.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model saw and emitted, token by token, for training that must use exactly that instead of tokenizing
 * the text again (reinforcement learning on the model's own samples). Every field is optional; a model turn
 * keeps what it is given, and the {@code events} export carries it losslessly.
 *
 * @param tokenizer          the tokenizer or chat template that produced the ids (a name, a hash, a version), or null.
 * @param promptTokenIds     the token ids of the prompt as the model saw it, chat template applied; or null.
 * @param completionTokenIds the token ids the model emitted; or null.
 * @param completionLogprobs the log-probability of each emitted token, one per completion token id; or null.
 */
public record Tokens(String tokenizer, List<Integer> promptTokenIds, List<Integer> completionTokenIds, List<Double> completionLogprobs)
{
    /**
     * Checks and copies the lists.
     *
     * @throws IllegalArgumentException for a negative or null id, a log-probability that is not finite (JSON cannot
     *                                  hold it), or log-probabilities that do not pair with the completion ids.
     */
    public Tokens
    {
        promptTokenIds = ids(promptTokenIds, "promptTokenIds");
        completionTokenIds = ids(completionTokenIds, "completionTokenIds");
        if (completionLogprobs != null)
        {
            for (int i = 0; i < completionLogprobs.size(); i++)
            {
                final Double logprob = completionLogprobs.get(i);
                if (logprob == null || !Double.isFinite(logprob))
                {
                    throw new IllegalArgumentException("tokens completionLogprobs[" + i + "] must be a finite number: " + logprob);
                }
            }
            completionLogprobs = List.copyOf(completionLogprobs);
            if (completionTokenIds != null && completionTokenIds.size() != completionLogprobs.size())
            {
                throw new IllegalArgumentException("tokens completionLogprobs has " + completionLogprobs.size() +
                    " values for " + completionTokenIds.size() + " completion token ids");
            }
        }
    }

    /**
     * @return the tokens of a turn from arrays, as tokenizers and inference servers give them; any may be null.
     */
    public static Tokens of(
        final String tokenizer, final int[] promptTokenIds, final int[] completionTokenIds, final double[] completionLogprobs)
    {
        return new Tokens(tokenizer, list(promptTokenIds), list(completionTokenIds), list(completionLogprobs));
    }

    private static List<Integer> ids(final List<Integer> ids, final String field)
    {
        if (ids == null)
        {
            return null;
        }
        for (int i = 0; i < ids.size(); i++)
        {
            final Integer id = ids.get(i);
            if (id == null || id < 0)
            {
                throw new IllegalArgumentException("tokens " + field + "[" + i + "] must be a token id (0 or more): " + id);
            }
        }
        return List.copyOf(ids);
    }

    private static List<Integer> list(final int[] values)
    {
        if (values == null)
        {
            return null;
        }
        final List<Integer> list = new ArrayList<>(values.length);
        for (final int value : values)
        {
            list.add(value);
        }
        return list;
    }

    private static List<Double> list(final double[] values)
    {
        if (values == null)
        {
            return null;
        }
        final List<Double> list = new ArrayList<>(values.length);
        for (final double value : values)
        {
            list.add(value);
        }
        return list;
    }
}
