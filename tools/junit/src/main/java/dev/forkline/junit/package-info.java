/**
 * Public API for tests: the JUnit 5 extension ({@link dev.forkline.junit.ForklineRecording},
 * {@link dev.forkline.junit.Recording}) that records an agent's calls in a passing test and replays them after,
 * without a model. Test code calls it; {@link dev.forkline.junit.ForklineExtension} is public because JUnit
 * instantiates it. The rest is package-private. See {@code docs/integrations.md}.
 */
package dev.forkline.junit;
