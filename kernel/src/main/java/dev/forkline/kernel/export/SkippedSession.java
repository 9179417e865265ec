package dev.forkline.kernel.export;

/**
 * A session that matched the selection but gave nothing to export.
 *
 * @param session the session id.
 * @param reason  why, in one line.
 */
public record SkippedSession(String session, String reason)
{
}
