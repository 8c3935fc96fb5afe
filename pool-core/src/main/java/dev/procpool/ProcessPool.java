package dev.procpool;

import dev.procpool.internal.Jobs;
import dev.procpool.internal.Launching;
import dev.procpool.objects.Transit;
import dev.procpool.internal.PoolConfig;
import dev.procpool.internal.Supervisor;
import dev.procpool.protocol.Wire;
import dev.procpool.worker.Initializer;
import dev.procpool.worker.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * A fixed set of worker JVMs that run {@link Task}s: Python's {@code multiprocessing.Pool} for Java. A task that
 * throws, leaks, calls {@code System.exit}, crashes or hangs costs one worker process, which is replaced; the
 * application goes on. Every worker process is reaped, and none outlives the JVM that started it.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.create(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 * }
 * }</pre>
 *
 * <p>Results and exceptions are delivered on the pool's own threads: callbacks attached to the returned futures run
 * there, so keep them short or use the {@code *Async} variants of {@link CompletableFuture}. All methods are safe to
 * call from several threads.
 *
 * <p>A "task", as {@code maxTasksPerChild} and {@link dev.procpool.worker.WorkerContext#tasksCompleted()} count it,
 * is one {@code apply} or one chunk of a map, as in Python.
 */
public final class ProcessPool implements AutoCloseable {
    private final Supervisor supervisor;
    private final Jobs jobs;

    private ProcessPool(Supervisor supervisor) {
        this.supervisor = supervisor;
        this.jobs = new Jobs(supervisor);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A pool of {@code workers} worker JVMs with default settings, started and ready. */
    public static ProcessPool create(int workers) {
        return builder().workers(workers).build();
    }

    /**
     * Runs the task on one input and waits for its result.
     *
     * @throws TaskFailedException with the failure as its cause
     * @throws RejectedExecutionException after shutdown, close or terminate
     */
    public <T, R> R apply(Task<T, R> task, T input) {
        return jobs.apply(Objects.requireNonNull(task, "task"), input);
    }

    /**
     * Runs the task on one input. The future completes with the result, or exceptionally with the failure itself:
     * the task's exception (its own class when this JVM can rebuild it, else {@link RemoteException}),
     * {@link WorkerCrashedException}, {@link SerializationException}; {@link java.util.concurrent.CancellationException}
     * after {@link #terminate()}. Cancelling the future before the task started keeps it from running.
     */
    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input) {
        return jobs.applyAsync(Objects.requireNonNull(task, "task"), input);
    }

    /**
     * As {@link #applyAsync(Task, Object)} with this call's own time limit instead of the pool's
     * {@link Builder#taskTimeout}: past it the future fails with {@link TaskTimeoutException} and the worker is
     * killed and replaced.
     */
    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input, Duration timeout) {
        return jobs.applyAsync(Objects.requireNonNull(task, "task"), input, toNanos(timeout));
    }

    /**
     * The task applied to every input: an unmodifiable list of the results in input order. Inputs are sent in
     * chunks of ceil(n / (4 x workers)), as Python does; an input that is not a Collection is copied to a list
     * first. Results of one boxed primitive type (Integer, Long, Double) are held as the primitives and boxed as
     * they are read, so compare them with {@code equals}, not {@code ==}.
     *
     * @throws TaskFailedException for the first failure reported; {@link TaskFailedException#index()} is its position
     */
    public <T, R> List<R> map(Task<T, R> task, Iterable<? extends T> inputs) {
        Collection<? extends T> all = asCollection(inputs);
        return map(task, all, defaultChunksize(all.size()));
    }

    /** As {@link #map(Task, Iterable)} with inputs sent {@code chunksize} at a time. */
    public <T, R> List<R> map(Task<T, R> task, Iterable<? extends T> inputs, int chunksize) {
        checkArguments(task, inputs, chunksize);
        return jobs.map(task, inputs, chunksize);
    }

    /**
     * As {@link #map(Task, Iterable, int)} without waiting. The inputs are read on the calling thread; an exception
     * the iterable throws comes out of this call unchanged. The future fails with the first failure reported;
     * cancelling it skips the chunks not yet started.
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(Task<T, R> task, Iterable<? extends T> inputs, int chunksize) {
        checkArguments(task, inputs, chunksize);
        return jobs.mapAsync(task, inputs, chunksize);
    }

    /**
     * Results in input order, lazily: inputs are read on the iterating thread and only a bounded number of chunks is
     * in flight, so an endless input works and memory does not grow with its length. {@code next()} throws
     * {@link TaskFailedException} for a failed item and the iteration can go on with the next; an exception from
     * the input iterable comes out of {@code next()} unchanged at its position and ends the iteration.
     */
    public <T, R> Iterator<R> imap(Task<T, R> task, Iterable<? extends T> inputs, int chunksize) {
        checkArguments(task, inputs, chunksize);
        return jobs.imap(task, inputs, chunksize, true);
    }

    /** As {@link #imap} with results in the order they complete. */
    public <T, R> Iterator<R> imapUnordered(Task<T, R> task, Iterable<? extends T> inputs, int chunksize) {
        checkArguments(task, inputs, chunksize);
        return jobs.imap(task, inputs, chunksize, false);
    }

    /** Accepts no new work; what is queued still runs, then the workers exit. Python's {@code close()}. */
    public void shutdown() {
        supervisor.shutdown();
    }

    /**
     * Waits until every worker has exited.
     *
     * @throws IllegalStateException if neither shutdown() nor terminate() was called
     */
    public void join() throws InterruptedException {
        if (supervisor.isRunning()) {
            throw new IllegalStateException("join() needs shutdown() or terminate() first");
        }
        supervisor.awaitTermination(Long.MAX_VALUE);
    }

    /** Waits until every worker has exited after shutdown() or terminate(); false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return supervisor.awaitTermination(timeout.toNanos());
    }

    /** Kills the workers and their descendants now; unfinished work ends with CancellationException. */
    public void terminate() {
        supervisor.terminate();
    }

    /** {@link #shutdown()}, then waits for the queued work and the workers' exit. Interrupted: terminates. */
    @Override
    public void close() {
        supervisor.shutdown();
        try {
            supervisor.awaitTermination(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            supervisor.terminate();
            Thread.currentThread().interrupt();
        }
    }

    /** The pids of the workers that are up and serving now. */
    public List<Long> workerPids() {
        return supervisor.workerPids();
    }

    public PoolStats stats() {
        return supervisor.stats();
    }

    @Override
    public String toString() {
        return supervisor + stats().toString();
    }

    private int defaultChunksize(int size) {
        int perRound = 4 * supervisor.workers();
        return Math.max(1, (size + perRound - 1) / perRound);
    }

    private static <T> Collection<? extends T> asCollection(Iterable<? extends T> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs instanceof Collection<? extends T> collection) {
            return collection;
        }
        List<T> copy = new ArrayList<>();
        inputs.forEach(copy::add);
        return copy;
    }

    private static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return timeout.toNanos();
    }

    private static void checkArguments(Task<?, ?> task, Iterable<?> inputs, int chunksize) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(inputs, "inputs");
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be >= 1, was " + chunksize);
        }
    }

    /** Settings of a pool; {@link #build()} starts it. */
    public static final class Builder {
        private int workers = Runtime.getRuntime().availableProcessors();
        private int maxTasksPerChild;
        private long maxMemoryPerChild;
        private long taskTimeoutNanos;
        private long heartbeatTimeoutNanos = Duration.ofSeconds(30).toNanos();
        private long exitGraceNanos = Duration.ofSeconds(2).toNanos();
        private int maxFrameBytes = Wire.DEFAULT_MAX_FRAME_BYTES;
        private Initializer initializer;
        private final List<String> jvmArgs = new ArrayList<>();
        private String classpath; // null: the default, see classpath()
        private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        private boolean classDataSharing = true;
        private Slurm slurm;

        private Builder() {
        }

        /** Number of worker processes, at least 1. Default: the number of available processors. */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("workers must be >= 1, was " + n);
            }
            workers = n;
            return this;
        }

        /**
         * A worker is replaced after this many tasks (an apply, or a chunk of a map), at least 1. The replacement
         * starts as soon as the last task is handed to the old worker. Default: unlimited.
         */
        public Builder maxTasksPerChild(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTasksPerChild must be >= 1, was " + n);
            }
            maxTasksPerChild = n;
            return this;
        }

        /**
         * A worker whose resident memory (RSS: heap, native and direct memory together, as the machine sees it)
         * is above this many bytes after a task retires; the task's result is still delivered and a replacement
         * takes the slot. Like Celery's {@code max_memory_per_child}. Default: unlimited.
         */
        public Builder maxMemoryPerChild(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMemoryPerChild must be >= 1 byte, was " + bytes);
            }
            maxMemoryPerChild = bytes;
            return this;
        }

        /**
         * Longest run time of one input. Past it the task fails with {@link TaskTimeoutException}, and its worker is
         * killed with its descendants and replaced. A map chunk of n inputs may take n times as long. Default: none.
         */
        public Builder taskTimeout(Duration timeout) {
            taskTimeoutNanos = toNanos(timeout);
            return this;
        }

        /**
         * Workers send a heartbeat four times per this period from a thread of their own, while idle and while
         * busy. A worker silent for longer (stopped with SIGSTOP, or a JVM that no longer runs threads) is killed
         * and replaced, and its task fails with {@link WorkerCrashedException}. A task that is merely slow or
         * deadlocked keeps its worker's heartbeat going: limit it with {@link #taskTimeout}. Default: 30 s.
         */
        public Builder heartbeatTimeout(Duration timeout) {
            heartbeatTimeoutNanos = toNanos(timeout);
            return this;
        }

        /**
         * How long a worker that is told to exit (retiring, or at the pool's end) may take to run its shutdown
         * hooks. Past it the worker halts itself, and the pool kills it a second later if it is still there: a
         * hook that never returns cannot keep {@link #close()}, recycling or a worker slot waiting. Default: 2 s.
         */
        public Builder exitGracePeriod(Duration grace) {
            exitGraceNanos = toNanos(grace);
            return this;
        }

        /**
         * Largest serialized message (one apply's input or result, or one map chunk's) in bytes; larger ones fail
         * with {@link SerializationException} instead of exhausting memory. Default: 1 GiB.
         */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFrameBytes must be >= 1024, was " + bytes);
            }
            maxFrameBytes = bytes;
            return this;
        }

        /** Runs in every worker process before its first task, replacements included. */
        public Builder initializer(Initializer init) {
            initializer = Objects.requireNonNull(init, "initializer");
            return this;
        }

        /**
         * Extra options for the worker JVMs (for example {@code -Xmx256m}); they come after procpool's defaults
         * ({@code -XX:+UseSerialGC}, JVM output and logging to stderr). The protocol runs on fds 3 and 4 and a
         * worker's stdout is its stderr, so logging options and {@code -XX:StartFlightRecording} may print where
         * they like (where {@code /bin/sh} or {@code /proc} is missing the protocol is on stdout, and output that
         * is not a frame then costs the worker: it is killed and its task fails with the bytes shown).
         */
        public Builder jvmArgs(String... args) {
            for (String arg : args) {
                jvmArgs.add(Objects.requireNonNull(arg, "jvm argument"));
            }
            return this;
        }

        /**
         * Where workers find the user's classes (tasks, initializers, inputs, results), entries separated by the
         * path separator. Default: this JVM's {@code java.class.path} plus the entries of the task's and the pool's
         * class loaders where they are URL class loaders. Either way a class a worker does not find there is asked
         * of this JVM, from the class loader of the task or initializer. A worker JVM boots from procpool's own jars,
         * followed by the user classpath when that is all jars (so that the class data sharing archive covers it).
         */
        public Builder classpath(String cp) {
            classpath = Objects.requireNonNull(cp, "classpath");
            return this;
        }

        /** The java launcher for the workers. Default: the one running this JVM. */
        public Builder javaExecutable(Path java) {
            javaExecutable = Objects.requireNonNull(java, "javaExecutable");
            return this;
        }

        /**
         * Whether workers share an AppCDS archive of the classes they load, recorded by the first worker when it
         * exits and kept in the temp directory, keyed by JDK, options and classpath. It makes worker start-up, and
         * so recycling, several times cheaper. Workers boot from procpool's own jars whatever the application's
         * classpath is (directories are packed into jars), so the archive always applies; a user classpath of jars
         * follows on the workers' classpath and is archived too. Default: on.
         */
        public Builder classDataSharing(boolean enabled) {
            classDataSharing = enabled;
            return this;
        }

        /** Runs the workers as job steps of a Slurm allocation instead of on this machine (see {@link Slurm}). */
        public Builder slurm(Slurm cluster) {
            slurm = Objects.requireNonNull(cluster, "slurm");
            return this;
        }

        /**
         * Starts every worker and waits until each is ready (its initializer has run). Results and exceptions are
         * loaded with the calling thread's context class loader.
         *
         * @throws WorkerStartException if a worker cannot start or its initializer throws; no worker is left running
         */
        public ProcessPool build() {
            Launching.refuseInDaemon("worker processes");
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = ProcessPool.class.getClassLoader();
            }
            Transit.Serialized init = Launching.code(loader, initializer, "initializer");
            Launching.Classpaths paths = Launching.classpaths(javaExecutable, jvmArgs, classpath, classDataSharing,
                    loader, initializer == null ? null : initializer.getClass().getClassLoader());
            return new ProcessPool(Supervisor.start(new PoolConfig(workers, maxTasksPerChild, maxMemoryPerChild,
                    taskTimeoutNanos, heartbeatTimeoutNanos, exitGraceNanos, maxFrameBytes, init.bytes(), init.handles(),
                    paths.command(), loader, paths.classes(), slurm == null ? null : slurm.settings())));
        }
    }
}
