/**
 * Public API: deterministic record and replay of an agent. {@link dev.forkline.kernel.replay.Recorder} is the
 * one door an agent's nondeterministic calls go through (live, replay, replay-then-live);
 * {@link dev.forkline.kernel.replay.DivergenceException} says where a replay left the recording. Agents,
 * framework adapters and the proxy call it. The package-private classes (the live and the replaying
 * recorder, payload codecs, request canonicalisation) are its machinery. See {@code docs/replay.md}.
 */
package dev.forkline.kernel.replay;
