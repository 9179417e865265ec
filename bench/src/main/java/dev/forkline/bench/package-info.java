/**
 * JMH benchmarks and the baselines they are measured against (bench/run). Not an API: classes are public
 * because JMH generates code that extends or instantiates them; nothing outside this module calls them. The
 * benchmarks use only the kernel's public API. See {@code docs/performance.md}.
 */
package dev.forkline.bench;
