/**
 * Public API: the LangChain4j adapter. {@link dev.forkline.langchain4j.ForklineSession} records, replays or
 * forks an episode through a chat model or AI service built from it; applications using LangChain4j call it.
 * {@link dev.forkline.langchain4j.RecordedToolFailure} is what a replayed tool that failed throws.
 * The wrapped models and tool executors are package-private. See {@code docs/integrations.md}.
 */
package dev.forkline.langchain4j;
