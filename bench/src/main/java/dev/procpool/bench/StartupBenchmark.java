package dev.procpool.bench;

import dev.procpool.ProcessPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Pool start to first result: build a 2-worker pool (it waits until both workers are ready) and get one apply()
 * result; the pool is closed in the per-invocation tear-down, outside the timing. Here the pool's creation is what
 * is measured, so it happens in the benchmark method, not in a trial set-up.
 *
 * <p>{@code workerJvmArgs} are extra worker options; {@code appcds} is replaced by an AppCDS archive made in the
 * trial set-up (a worker run with -XX:ArchiveClassesAtExit), as {@code -XX:SharedArchiveFile=...}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 15)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StartupBenchmark {
    @Param({"", "-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=1 appcds"})
    public String workerJvmArgs;

    private List<String> args;
    private Path archiveDir;
    private ProcessPool pool;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        args = new ArrayList<>(Pools.split(workerJvmArgs));
        if (args.remove("appcds")) {
            archiveDir = Files.createTempDirectory("procpool-appcds");
            args.add("-XX:SharedArchiveFile=" + AppCds.create(archiveDir.resolve("worker.jsa")));
        }
    }

    @TearDown(Level.Trial)
    public void cleanUp() throws IOException {
        if (archiveDir != null) {
            try (var files = Files.list(archiveDir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(archiveDir);
        }
    }

    @Benchmark
    public int startToFirstResult() {
        pool = Pools.builder(2).jvmArgs(args.toArray(String[]::new)).build();
        return pool.apply(Tasks.SQUARE, 7);
    }

    @TearDown(Level.Invocation)
    public void closePool() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /** Makes a dynamic AppCDS archive of the classes a worker loads to run a map. */
    static final class AppCds {
        private AppCds() {
        }

        static Path create(Path archive) {
            try (ProcessPool pool = Pools.builder(1).jvmArgs("-XX:ArchiveClassesAtExit=" + archive).build()) {
                pool.map(Tasks.SQUARE, Range.of(100), 1);
                pool.apply(Tasks.GETPID, 0);
            }
            if (!Files.isRegularFile(archive)) {
                throw new UncheckedIOException(new IOException("no AppCDS archive written at " + archive));
            }
            return archive;
        }
    }
}
