package dev.procpool.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * Payload cost: apply(identity) of one byte[] of 1 KiB, 64 KiB or 1 MiB (round trip, both directions), and
 * payload.py's map(identity, 200 x 1 MiB, chunksize 1): MB/s = 209.7 / (ms per op) * 1000.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
public class PayloadBenchmark {
    static final int MAP_ITEMS = 200;
    static final int MIB = 1024 * 1024;

    @Param({"procpool", "threads"})
    public String backend;

    @Param({"1024", "65536", "1048576"})
    public int bytes;

    private Engine engine;
    private byte[] payload;
    private List<byte[]> mapItems;

    @Setup(Level.Trial)
    public void start() {
        engine = Engine.open(backend, 2);
        SplittableRandom random = new SplittableRandom(1);
        payload = new byte[bytes];
        random.nextBytes(payload);
        mapItems = new ArrayList<>();
        for (int i = 0; i < MAP_ITEMS; i++) {
            byte[] item = new byte[MIB];
            random.nextBytes(item);
            mapItems.add(item);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] roundTrip() {
        return engine.apply(Tasks.IDENTITY, payload);
    }

    /** Independent of {@code bytes}: run it with {@code -p bytes=1048576} to avoid three identical runs. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<byte[]> map200x1MiB() {
        return engine.map(Tasks.IDENTITY, mapItems, 1);
    }
}
