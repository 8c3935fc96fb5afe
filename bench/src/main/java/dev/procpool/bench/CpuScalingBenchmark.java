package dev.procpool.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * cpu_scaling.py's 400 sha256 tasks (2,000 hashes of 1 KiB each), map with chunksize 1: {@code serial} in this
 * thread, or on {@code procpool} / {@code threads} with 1 or 2 workers. Speedup = serial score / score.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CpuScalingBenchmark {
    static final int TASKS = 400;

    @Param({"serial", "procpool:1", "procpool:2", "threads:1", "threads:2"})
    public String setup;

    private Engine engine;

    @Setup(Level.Trial)
    public void start() {
        if (!"serial".equals(setup)) {
            String[] parts = setup.split(":");
            engine = Engine.open(parts[0], Integer.parseInt(parts[1]));
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Benchmark
    public List<Integer> sha256Tasks() {
        if (engine == null) {
            List<Integer> results = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                results.add(Tasks.sha256Task(i));
            }
            return results;
        }
        return engine.map(Tasks.SHA256, Range.of(TASKS), 1);
    }
}
