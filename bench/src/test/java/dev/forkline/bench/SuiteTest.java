package dev.forkline.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SuiteTest
{
    @Test
    void everyBenchmarkClassIsRunEvenWithoutAPlan()
    {
        final List<String> names = List.of(
            "dev.forkline.bench.AppendThroughputBenchmark.producers1",
            "dev.forkline.bench.AppendThroughputBenchmark.producers2",
            "dev.forkline.bench.ForkBenchmark.fork",
            "dev.forkline.bench.CommitBenchmark.producers1",
            "dev.forkline.bench.CommitBenchmark.producers4",
            "dev.forkline.bench.ReplayBenchmark.replay",
            "dev.forkline.bench.ReplayBenchmark.serve");
        final Map<SuiteRun, List<String>> runs = Suite.assign(Suite.quickPlan(), names, true);
        final Set<String> quick = runs.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        assertEquals(names.size() - 1, quick.size());
        assertFalse(quick.contains("dev.forkline.bench.CommitBenchmark.producers4"), "left out of a class the plan names");
        final SuiteRun replay = runs.keySet().stream()
            .filter(run -> run.prefix().equals("dev.forkline.bench.ReplayBenchmark.")).findFirst().orElseThrow();
        assertEquals(List.of("dev.forkline.bench.ReplayBenchmark.replay", "dev.forkline.bench.ReplayBenchmark.serve"), runs.get(replay));
        assertEquals(1, replay.iterations());

        final Map<SuiteRun, List<String>> full = Suite.assign(List.of(), names, false);
        assertEquals(4, full.size(), "one run a class");
        assertEquals(Set.copyOf(names), full.values().stream().flatMap(List::stream).collect(Collectors.toSet()));
        assertEquals(0, full.keySet().iterator().next().iterations(), "full runs keep the annotated settings");
    }

    @Test
    void shortNamesDropThePackageAndTheSuffix()
    {
        assertEquals("AppendLatency.append", Suite.shortName("dev.forkline.bench.AppendLatencyBenchmark.append"));
    }
}
