package dev.procpool.bench;

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
 * map(x*x) over 20k and 1M items with chunksize 1, 64 and the default (ceil(n / 8) on 2 workers), time per map call.
 * Items per second = items / score. chunksize 1 over 1M takes seconds per call: select with {@code -p} when in a hurry.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MapBenchmark {
    @Param({"procpool", "threads"})
    public String backend;

    @Param({"20000", "1000000"})
    public int items;

    @Param({"1", "64", "default"})
    public String chunksize;

    private Engine engine;
    private List<Integer> inputs;
    private int chunk;

    @Setup(Level.Trial)
    public void start() {
        engine = Engine.open(backend, 2);
        inputs = Range.of(items);
        chunk = "default".equals(chunksize) ? Pools.defaultChunksize(items, 2) : Integer.parseInt(chunksize);
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
    }

    @Benchmark
    public List<Integer> map() {
        return engine.map(Tasks.SQUARE, inputs, chunk);
    }
}
