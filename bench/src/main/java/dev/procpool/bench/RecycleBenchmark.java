package dev.procpool.bench;

import dev.procpool.ProcessPool;
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
 * Worker recycling: map(getpid) over 1,000 inputs with chunksize 1 (1,000 tasks) on 2 workers with maxTasksPerChild
 * 1, 10, 100 or unlimited. Tasks per second = 1000 / (seconds per op). {@code workerJvmArgs} adds worker options,
 * e.g. {@code -p workerJvmArgs="-XX:TieredStopAtLevel=1"}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecycleBenchmark {
    static final int TASKS = 1000;

    @Param({"1", "10", "100", "unlimited"})
    public String maxTasksPerChild;

    @Param({""})
    public String workerJvmArgs;

    private ProcessPool pool;

    @Setup(Level.Trial)
    public void start() {
        ProcessPool.Builder builder = Pools.builder(2).jvmArgs(Pools.split(workerJvmArgs).toArray(String[]::new));
        if (!"unlimited".equals(maxTasksPerChild)) {
            builder.maxTasksPerChild(Integer.parseInt(maxTasksPerChild));
        }
        pool = builder.build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.close();
    }

    @Benchmark
    public List<Long> map1000() {
        return pool.map(Tasks.GETPID, Range.of(TASKS), 1);
    }
}
