package dev.forkline.tools;

/**
 * {@code BRANCH[@STEP]} as typed on the command line.
 *
 * @param branch the branch name.
 * @param step   the step, or -1 when none was given.
 */
record StepRef(String branch, long step)
{
    static StepRef parse(final String text)
    {
        final int at = text.lastIndexOf('@');
        if (at < 0)
        {
            return new StepRef(text, -1);
        }
        final String step = text.substring(at + 1);
        if (at == 0 || step.isEmpty() || !step.chars().allMatch(Character::isDigit) || step.length() > 18)
        {
            throw new InputException("'" + text + "' is not BRANCH@STEP with STEP a number from 0");
        }
        return new StepRef(text.substring(0, at), Long.parseLong(step));
    }

    boolean hasStep()
    {
        return step >= 0;
    }
}
