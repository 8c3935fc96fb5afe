package dev.procpool.bench;

import dev.procpool.ProcessPool;
import java.util.Iterator;
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

/** imap and imapUnordered of x*x over 20k items, every result consumed; time per full iteration. */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImapBenchmark {
    static final int ITEMS = 20_000;

    @Param({"1", "64"})
    public int chunksize;

    private ProcessPool pool;

    @Setup(Level.Trial)
    public void start() {
        pool = Pools.create(2);
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.close();
    }

    @Benchmark
    public long imap() {
        return drain(pool.imap(Tasks.SQUARE, Range.of(ITEMS), chunksize));
    }

    @Benchmark
    public long imapUnordered() {
        return drain(pool.imapUnordered(Tasks.SQUARE, Range.of(ITEMS), chunksize));
    }

    private static long drain(Iterator<Integer> results) {
        long sum = 0;
        while (results.hasNext()) {
            sum += results.next();
        }
        return sum;
    }
}
