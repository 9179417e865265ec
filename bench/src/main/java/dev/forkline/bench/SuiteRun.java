package dev.forkline.bench;

import java.util.Map;

/**
 * One JMH run of the suite: the benchmarks it takes, the parameters it overrides, and its iterations. Zero or
 * null iteration settings keep what the benchmark's annotations say.
 *
 * @param prefix          benchmarks whose full name starts with this (a class, or a class and method).
 * @param params          parameter values that replace the annotated ones, by name.
 * @param warmups         warm-up iterations.
 * @param warmupSeconds   seconds of a warm-up iteration.
 * @param iterations      measurement iterations.
 * @param iterationSeconds seconds of a measurement iteration.
 */
public record SuiteRun(
    String prefix, Map<String, String[]> params, int warmups, int warmupSeconds, int iterations, int iterationSeconds)
{
    static final String PACKAGE = "dev.forkline.bench.";

    /**
     * The short settings of {@code bench/run --quick} for a benchmark the suite has no plan for.
     */
    static SuiteRun quick(final String prefix)
    {
        return new SuiteRun(prefix, Map.of(), 1, 1, 1, 1);
    }

    /**
     * The benchmark's own settings, as in a full run.
     */
    static SuiteRun full(final String prefix)
    {
        return new SuiteRun(prefix, Map.of(), 0, 0, 0, 0);
    }
}
