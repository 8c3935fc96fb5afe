package dev.procpool.bench;

import dev.procpool.ProcessPool;
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
 * Pool start to first result: build a 2-worker pool (it waits until both workers are ready) and get one apply()
 * result; the pool is closed in the per-invocation tear-down, outside the timing. Here the pool's creation is what
 * is measured, so it happens in the benchmark method, not in a trial set-up.
 *
 * <p>{@code classDataSharing} is the pool's AppCDS setting (on by default: the first worker records an archive that
 * later workers map; the trial set-up runs one pool so that the archive exists before timing); {@code workerJvmArgs}
 * are extra worker options.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 15)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StartupBenchmark {
    @Param({"true", "false"})
    public boolean classDataSharing;

    @Param({"", "-XX:TieredStopAtLevel=1"})
    public String workerJvmArgs;

    private ProcessPool pool;

    private ProcessPool.Builder builder() {
        return Pools.builder(2).classDataSharing(classDataSharing)
                .jvmArgs(Pools.split(workerJvmArgs).toArray(String[]::new));
    }

    @Setup(Level.Trial)
    public void recordArchive() {
        try (ProcessPool first = builder().build()) {
            first.map(Tasks.SQUARE, Range.of(100), 1);
        }
    }

    @Benchmark
    public int startToFirstResult() {
        pool = builder().build();
        return pool.apply(Tasks.SQUARE, 7);
    }

    @TearDown(Level.Invocation)
    public void closePool() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
