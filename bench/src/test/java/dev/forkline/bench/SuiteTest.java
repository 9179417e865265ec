package dev.forkline.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SuiteTest
{
    @Test
    void everyBenchmarkClassIsRunEvenWithoutAPlan()
    {
        final List<String> names = List.of(
            "dev.forkline.bench.AppendThroughputBenchmark.producers1",
            "dev.forkline.bench.AppendThroughputBenchmark.producers2",
            "dev.forkline.bench.ForkBenchmark.fork",
            "dev.forkline.bench.ReplayBenchmark.replay",
            "dev.forkline.bench.ReplayBenchmark.serve");
        final Map<SuiteRun, List<String>> runs = Suite.assign(Suite.quickPlan(), names, true);
        assertEquals(Set.copyOf(names), runs.values().stream().flatMap(List::stream).collect(Collectors.toSet()));
        final SuiteRun replay = runs.keySet().stream()
            .filter(run -> run.prefix().equals("dev.forkline.bench.ReplayBenchmark.")).findFirst().orElseThrow();
        assertEquals(List.of("dev.forkline.bench.ReplayBenchmark.replay", "dev.forkline.bench.ReplayBenchmark.serve"), runs.get(replay));
        assertEquals(1, replay.iterations());

        final Map<SuiteRun, List<String>> full = Suite.assign(List.of(), names, false);
        assertEquals(3, full.size(), "one run a class");
        assertEquals(0, full.keySet().iterator().next().iterations(), "full runs keep the annotated settings");
    }

    @Test
    void shortNamesDropThePackageAndTheSuffix()
    {
        assertEquals("AppendLatency.append", Suite.shortName("dev.forkline.bench.AppendLatencyBenchmark.append"));
    }
}
