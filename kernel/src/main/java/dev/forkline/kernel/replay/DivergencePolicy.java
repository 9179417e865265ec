package dev.forkline.kernel.replay;

/**
 * What a replay does when the agent's call does not match the recording.
 */
public enum DivergencePolicy
{
    /** Throw a {@link DivergenceException}. */
    FAIL,
    /** Fork the replayed branch at the step that differs and go on live, recording into the new branch. */
    FORK
}
