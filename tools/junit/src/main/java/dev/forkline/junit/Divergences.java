package dev.forkline.junit;

import dev.forkline.kernel.replay.DivergenceException;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a replay's {@link DivergenceException} into a test failure that says where the agent left its
 * recording, what kind of change that is, and what was expected and what came. The kind of change is read from
 * the exception's excerpts (each starts with an event kind); this is the one place to change when the kernel's
 * exception names the kind itself.
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
            "': " + kindOfChange(ex.recorded(), ex.came()) + "\n" +
            "  recording: " + file + "\n" +
            "  expected:  " + ex.recorded() + "\n" +
            "  actual:    " + ex.came() + "\n" +
            "if the change is intended, record again: mvn test -D" + RecordingFiles.RECORD_PROPERTY + "=true -Dtest=" + test;
        final AssertionFailedError failure = new AssertionFailedError(message, ex.recorded(), ex.came(), ex);
        return failure;
    }

    static String kindOfChange(final String recorded, final String came)
    {
        if (recorded.startsWith("end of branch"))
        {
            return "one call more than was recorded";
        }
        if (came.startsWith("no more calls"))
        {
            return "fewer calls than were recorded (the agent stopped here)";
        }
        final String recordedKind = firstWord(recorded);
        final String cameKind = firstWord(came);
        if (recordedKind.equals("session.end") && !cameKind.equals("session.end"))
        {
            return "one call more than was recorded (a " + cameKind + " after the recorded end)";
        }
        if (cameKind.equals("session.end") && !recordedKind.equals("session.end"))
        {
            return "fewer calls than were recorded (the agent ended where a " + recordedKind + " was recorded)";
        }
        if (!recordedKind.equals(cameKind))
        {
            return "another kind of call (" + cameKind + " where " + recordedKind + " was recorded)";
        }
        switch (cameKind)
        {
            case "model.response":
                return "another model request (messages, tools or parameters changed)";
            case "tool.result":
            case "effect":
                final Matcher name = RECORDED_NAME.matcher(recorded);
                final String recordedName = name.find() ? name.group(1) : null;
                final String cameName = secondWord(came);
                if (recordedName != null && !recordedName.equals(cameName))
                {
                    return "another " + (cameKind.equals("effect") ? "effect" : "tool") + " (" + cameName + " where " +
                        recordedName + " was recorded)";
                }
                return "other arguments for " + cameName;
            case "user":
            case "system":
                return "another " + cameKind + " message";
            case "session.end":
                return "another end status";
            default:
                return "another " + cameKind;
        }
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
