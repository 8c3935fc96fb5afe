package dev.procpool.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * apply() round trip latency (SampleTime: JMH prints p0.50, p0.99, ...) and bursts of 20k applyAsync then get all
 * (throughput), x*x on 2 workers; {@code backend=threads} is the in-process ceiling.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ApplyBenchmark {
    static final int BURST = 20_000;

    @Param({"procpool", "threads"})
    public String backend;

    private Engine engine;
    private int next;
    private final List<CompletableFuture<Integer>> burst = new ArrayList<>(BURST);

    @Setup(Level.Trial)
    public void start() {
        engine = Engine.open(backend, 2);
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int apply() {
        return engine.apply(Tasks.SQUARE, next++ & 0xFFFF);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BURST)
    public long applyAsyncBurst() {
        burst.clear();
        for (int i = 0; i < BURST; i++) {
            burst.add(engine.applyAsync(Tasks.SQUARE, i));
        }
        long sum = 0;
        for (CompletableFuture<Integer> future : burst) {
            sum += future.join();
        }
        return sum;
    }
}
