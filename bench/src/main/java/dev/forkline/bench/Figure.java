package dev.forkline.bench;

import java.util.Map;

/**
 * One figure of a benchmark run: a score, or one percentile of a sampled distribution.
 *
 * @param benchmark the benchmark, as {@code Class.method} without the package and the {@code Benchmark} suffix.
 * @param params    the JMH parameters and, as {@code threads}, the number of threads.
 * @param metric    {@code score}, or a percentile such as {@code p99.9}.
 * @param value     the value in {@code unit}.
 * @param error     the 99.9% confidence half-interval of a score, NaN when unknown.
 * @param unit      {@code ops/s} for throughput, {@code bytes/s} for output rates, {@code ns} for times.
 */
public record Figure(String benchmark, Map<String, String> params, String metric, double value, double error, String unit)
{
    /** Unit of throughput figures. */
    public static final String PER_SECOND = "ops/s";
    /** Unit of output rates (an {@code @AuxCounters} field named {@code bytes}). */
    public static final String BYTES_PER_SECOND = "bytes/s";
    /** Unit of time figures. */
    public static final String NANOS = "ns";

    /**
     * @return true when a higher value is better.
     */
    public boolean higherIsBetter()
    {
        return PER_SECOND.equals(unit) || BYTES_PER_SECOND.equals(unit);
    }

    /**
     * @return the sink the figure was taken on, or null for a benchmark without baselines.
     */
    public String sink()
    {
        return params.get("sink");
    }
}
