package dev.forkline.springai;

/**
 * What {@link ForklineAdvisor} does with a {@code ChatClient} call that brings no {@link ForklineSession} of its own.
 */
public enum ForklineMode
{
    /** Record the call live as a new session (named by {@link ForklineAdvisor#SESSION}, or generated). */
    RECORD,
    /** Replay the session named by {@link ForklineAdvisor#SESSION}: no model is called and no tool run. */
    REPLAY,
    /** Pass the call through unrecorded. */
    OFF
}
