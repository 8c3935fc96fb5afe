package dev.procpool.bench;

import dev.procpool.ProcessPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Idle worker resident memory: VmRSS (and Pss) from /proc of each worker of a 2-worker pool warmed by a map of 1,000
 * items. The numbers are the secondary results {@code rssKiB} and {@code pssKiB} (largest worker); the time score is
 * only how long reading /proc took.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IdleMemoryBenchmark {
    @Param({"", "-XX:TieredStopAtLevel=1", "-Xss256k -XX:CICompilerCount=2 -XX:TieredStopAtLevel=1"})
    public String workerJvmArgs;

    private ProcessPool pool;

    /** Secondary results: JMH sums EVENTS counters over an iteration, and a single-shot iteration is one call. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Memory {
        public long rssKiB;
        public long pssKiB;

        @Setup(Level.Iteration)
        public void clear() {
            rssKiB = 0;
            pssKiB = 0;
        }
    }

    @Setup(Level.Trial)
    public void start() {
        pool = Pools.builder(2).jvmArgs(Pools.split(workerJvmArgs).toArray(String[]::new)).build();
        pool.map(Tasks.SQUARE, Range.of(1000), 1);
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.close();
    }

    @Benchmark
    public void idleWorker(Memory memory) {
        for (long pid : pool.workerPids()) {
            memory.rssKiB = Math.max(memory.rssKiB, ProcMemory.rssKiB(pid));
            memory.pssKiB = Math.max(memory.pssKiB, ProcMemory.pssKiB(pid));
        }
    }
}
