package dev.forkline.junit;

import dev.forkline.kernel.replay.Divergence;
import dev.forkline.kernel.replay.DivergenceException;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a replay's {@link DivergenceException} into a test failure that says where the agent left its
 * recording, what kind of change that is, and what was expected and what came. The kind of change is the kernel's
 * ({@link DivergenceException#change()}, with the parts of a model request that differ); the excerpts only give
 * its details, such as the tool that came where another was recorded.
 */
final class Divergences
{
    private static final Pattern RECORDED_NAME = Pattern.compile("\"name\":\"([^\"]*)\"");

    private Divergences()
    {
    }

    /**
     * @return the divergence in {@code error} or its causes, or null.
     */
    static DivergenceException find(final Throwable error)
    {
        for (Throwable t = error; t != null; t = t.getCause())
        {
            if (t instanceof DivergenceException divergence)
            {
                return divergence;
            }
            if (t.getCause() == t)
            {
                break;
            }
        }
        return null;
    }

    static AssertionFailedError failure(final DivergenceException ex, final Path file, final String test)
    {
        final String message = "the agent diverged from its recording at step " + ex.step() + " of session '" + ex.branch() +
            "': " + kindOfChange(ex) + "\n" +
            "  recording: " + file + "\n" +
            "  expected:  " + ex.recorded() + "\n" +
            "  actual:    " + ex.came() + "\n" +
            "if the change is intended, record again: mvn test -D" + RecordingFiles.RECORD_PROPERTY + "=true -Dtest=" + test;
        final AssertionFailedError failure = new AssertionFailedError(message, ex.recorded(), ex.came(), ex);
        return failure;
    }

    /**
     * @return the kind of change the kernel detected, in the words of a test failure; the excerpts give its details
     * (the tool or kind that came instead).
     */
    static String kindOfChange(final DivergenceException ex)
    {
        final String recorded = ex.recorded();
        final String came = ex.came();
        final String recordedKind = firstWord(recorded);
        final String cameKind = firstWord(came);
        switch (ex.change())
        {
            case EXTRA_CALL:
                return recordedKind.equals("session.end") ?
                    "one call more than was recorded (a " + cameKind + " after the recorded end)" :
                    "one call more than was recorded";
            case MISSING_CALL:
                return cameKind.equals("session.end") ?
                    "fewer calls than were recorded (the agent ended where a " + recordedKind + " was recorded)" :
                    "fewer calls than were recorded (the agent stopped here)";
            case KIND:
                return "another kind of call (" + cameKind + " where " + recordedKind + " was recorded)";
            case REQUEST:
                return "another model request (" + requestParts(ex.requestParts()) + " changed)";
            case NAME:
                final Matcher name = RECORDED_NAME.matcher(recorded);
                return "another " + (cameKind.equals("effect") ? "effect" : "tool") + " (" + secondWord(came) +
                    (name.find() ? " where " + name.group(1) + " was recorded)" : ")");
            case ARGUMENTS:
                return "other arguments for " + secondWord(came);
            case CONTENT:
                return "another " + cameKind + " message";
            case STATUS:
                return "another end status";
            default:
                return ex.divergence().describe();
        }
    }

    private static String requestParts(final Set<Divergence.RequestPart> parts)
    {
        if (parts.isEmpty())
        {
            return "messages, tools or parameters";
        }
        final StringJoiner names = new StringJoiner(", ");
        for (final Divergence.RequestPart part : Divergence.RequestPart.values())
        {
            if (parts.contains(part))
            {
                names.add(part.name().toLowerCase(Locale.ROOT));
            }
        }
        return names.toString();
    }

    private static String firstWord(final String text)
    {
        final int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    private static String secondWord(final String text)
    {
        final String rest = text.substring(Math.min(text.length(), firstWord(text).length() + 1));
        return firstWord(rest);
    }
}
