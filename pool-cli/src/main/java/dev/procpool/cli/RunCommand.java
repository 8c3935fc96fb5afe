package dev.procpool.cli;

import dev.procpool.ProcessPool;
import dev.procpool.WorkerStartException;
import dev.procpool.examples.ExampleData;
import dev.procpool.examples.PrimeCountTask;
import dev.procpool.worker.Task;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Runs a task on every line of the input in a pool of worker JVMs and writes one output line per item.",
            "",
            "CLASS implements dev.procpool.worker.Task<String, R> and has a public no-argument constructor. Each "
                    + "input line (read as UTF-8, without its line break) is one input; String.valueOf of the result "
                    + "is its output line. The class is loaded from --classpath, which the workers get too.",
            "",
            "Without --task, procpool runs the demo job: dev.procpool.examples.PrimeCountTask (\"from to\" -> the "
                    + "number of primes in that range) on the bundled examples/data/ranges.txt (400 lines).",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every item succeeded",
            "1:some items failed (see --errors)",
            "2:usage or start error: a bad option, the task class not found or not a Task, a missing input file, "
                    + "workers that cannot start (one line on stderr)",
            "3:--timeout passed before the input was done; the output so far is written"},
        footerHeading = "%n",
        footer = {
            "Output: one line per input line, in input order. The line of a failed item is left empty, so output "
                    + "line N always belongs to input line N. With --unordered, lines come as items complete and a "
                    + "failed item writes no line. A null result is an empty line; a result that contains line "
                    + "breaks spans several lines.",
            "",
            "Failed items never stop the run. A task that throws or passes --task-timeout, a worker that dies "
                    + "(System.exit, Runtime.halt, a JVM crash, a kill) or a result that cannot be serialized fails "
                    + "that item, and a dead worker is replaced. Each failure is one JSON line in --errors and is "
                    + "counted in the summary, e.g.",
            "  {\"line\":4,\"exception\":\"java.lang.NumberFormatException\",",
            "   \"message\":\"For input string: \\\"ten\\\"\"}",
            "With --chunksize N > 1, a worker that dies fails the whole chunk it was running.",
            "",
            "Progress goes to stderr: a bar when stderr is a terminal, else a line every 5 s; at the end one summary "
                    + "line: items, failed, seconds, items/s, workers started/recycled/crashed/killed. What a task "
                    + "prints (System.out or System.err in a worker) appears on stderr as \"INFO [worker N pid P] "
                    + "...\".",
            "",
            "Memory: the input is streamed; only a few chunks per worker are in flight at any time, so an input of "
                    + "any size runs in the same memory.",
            "",
            "Examples (procpool = java -jar pool-cli/target/procpool.jar, run from the",
            "repository root):",
            "  procpool run",
            "  procpool run --task dev.procpool.examples.Sha256Task \\",
            "      --input examples/data/lines.txt --output hashes.txt",
            "  procpool run --task dev.procpool.examples.PrimeCountTask \\",
            "      --input examples/data/ranges-bad.txt --errors errors.jsonl",
            "  procpool run --task com.example.MyTask --classpath 'my-task.jar:lib/*' \\",
            "      --workers 8 --max-tasks-per-child 1000 --jvm-arg=-Xmx512m \\",
            "      --input big.txt --output out.txt --timeout 2h"})
final class RunCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_ITEMS_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_TIMEOUT = 3;
    private static final String STD = "-";

    @Option(names = "--task", paramLabel = "CLASS",
            description = "Task class to run. Default: the demo, dev.procpool.examples.PrimeCountTask.")
    private String taskClass;

    @Option(names = {"--classpath", "-cp"}, paramLabel = "PATH",
            description = "Jars and directories with the task and what it needs, separated by '${sys:path.separator}';"
                    + " 'dir/*' means every jar in dir.")
    private String classpath;

    @Option(names = {"-w", "--workers"}, paramLabel = "N",
            description = "Worker JVMs. Default: the number of processors (${DEFAULT-VALUE}).")
    private int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-tasks-per-child", paramLabel = "N",
            description = "Replace a worker after it ran N tasks (chunks), to bound leaks. Default: never.")
    private Integer maxTasksPerChild;

    @Option(names = "--chunksize", paramLabel = "N", defaultValue = "1",
            description = "Lines sent to a worker at a time; larger is much faster for tasks of microseconds. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int chunksize;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Deadline for the whole run, counted from when the workers are ready (500ms, 90s, 10m, "
                    + "2h): when it passes, the workers are killed, the output so far is kept, and procpool exits "
                    + "with code 3.")
    private Duration timeout;

    @Option(names = "--task-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest time for one item (one chunk may take chunksize times as long): past it the item "
                    + "fails with TaskTimeoutException, its worker is killed and replaced, and the run goes on.")
    private Duration taskTimeout;

    @Option(names = "--jvm-arg", paramLabel = "ARG",
            description = "Option for the worker JVMs, repeatable: --jvm-arg=-Xmx512m --jvm-arg=-Dkey=value.")
    private List<String> jvmArgs = new ArrayList<>();

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "Input lines, UTF-8; '-' is stdin. Default: stdin, or the demo's data without --task.")
    private String input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = STD,
            description = "Where results go; '-' is stdout. Default: stdout.")
    private String output;

    @Option(names = "--unordered",
            description = "Write results as they complete instead of in input order (no waiting for slow items).")
    private boolean unordered;

    @Option(names = "--errors", paramLabel = "FILE", defaultValue = STD,
            description = "Where failed items are reported, one JSON line each; '-' is stderr. Default: stderr.")
    private String errors;

    @Option(names = "--no-progress", description = "No progress bar or progress lines; the summary line stays.")
    private boolean noProgress;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (UsageException e) {
            System.err.println("procpool: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private int run() throws Exception {
        requireAtLeastOne("--workers", workers);
        requireAtLeastOne("--chunksize", chunksize);
        if (maxTasksPerChild != null) {
            requireAtLeastOne("--max-tasks-per-child", maxTasksPerChild);
        }
        boolean demo = taskClass == null;
        try (TaskLoader loader = TaskLoader.of(classpath)) {
            Task<String, ?> task = loader.newTask(demo ? PrimeCountTask.class.getName() : taskClass);
            if (demo) {
                System.err.println("procpool: no --task: running the demo task " + PrimeCountTask.class.getName()
                        + (input == null ? " on the bundled examples/data/" + ExampleData.RANGES : "")
                        + " (each output line: the number of primes in one range); see 'procpool run --help'");
            }
            boolean progressBar = !noProgress && stderrIsTerminal();
            try (LineReader lines = openLines(demo);
                 Writer out = writer(STD.equals(output) ? new FileOutputStream(FileDescriptor.out) : create(output));
                 Writer errorsOut = STD.equals(errors) ? unclosable(System.err) : writer(create(errors))) {
                // on a terminal, clear the progress bar's line before an error line is written over it
                ErrorLog errorLog = new ErrorLog(errorsOut, progressBar && STD.equals(errors) ? "\r\033[K" : "");
                return process(loader, task, lines, out, errorLog, progressBar);
            }
        }
    }

    private int process(TaskLoader loader, Task<String, ?> task, LineReader lines, Writer out, ErrorLog errorLog,
                        boolean progressBar) throws Exception {
        ProcessPool pool = startPool(loader);
        Batch batch = new Batch(pool, lines);
        boolean timedOut = false;
        boolean completed = false;
        Snapshot last;
        try (pool) {
            Deadline deadline = Deadline.after(timeout, pool::terminate);
            Progress progress = noProgress ? null
                    : progressBar ? Progress.onTerminal(batch::snapshot) : Progress.asLines(batch::snapshot);
            try {
                batch.run(task, chunksize, !unordered, out, errorLog);
                completed = true;
            } catch (CancellationException | RejectedExecutionException e) {
                if (deadline == null || !deadline.passed()) {
                    throw new UsageException("the pool stopped: " + e.getMessage());
                }
                timedOut = true;
            } catch (UncheckedIOException e) {
                throw new UsageException("cannot read the input: " + e.getCause().getMessage());
            } catch (IOException e) {
                throw new UsageException("cannot write: " + e.getMessage());
            } finally {
                if (!completed) {
                    pool.terminate(); // else close() would wait for the work in flight
                }
                if (deadline != null) {
                    deadline.cancel();
                }
                if (progress != null) {
                    progress.stop();
                }
            }
            last = batch.snapshot(); // before close(), which adds the time the workers take to exit
        }
        out.flush();
        if (timedOut) {
            System.err.println("procpool: --timeout " + Snapshot.format(timeout) + " passed; stopped");
        }
        System.err.println(last.summary());
        return timedOut ? EXIT_TIMEOUT : batch.failed() > 0 ? EXIT_ITEMS_FAILED : EXIT_OK;
    }

    /** Starts the workers with the task's class loader, through which the pool rebuilds results and exceptions. */
    private ProcessPool startPool(TaskLoader loader) throws UsageException {
        ProcessPool.Builder builder = ProcessPool.builder()
                .workers(workers)
                .classpath(loader.workerClasspath())
                .jvmArgs(jvmArgs.toArray(String[]::new));
        if (maxTasksPerChild != null) {
            builder.maxTasksPerChild(maxTasksPerChild);
        }
        if (taskTimeout != null) {
            builder.taskTimeout(taskTimeout);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader.classLoader());
        try {
            return builder.build();
        } catch (WorkerStartException e) {
            throw new UsageException("workers cannot start: " + e.getMessage());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private LineReader openLines(boolean demo) throws UsageException, IOException {
        if (input == null && demo) {
            URL data = ExampleData.resource(ExampleData.RANGES);
            if (data == null) {
                throw new UsageException("the demo data " + ExampleData.RANGES + " is not on the classpath");
            }
            URLConnection connection = data.openConnection();
            return new LineReader(connection.getInputStream(), connection.getContentLengthLong());
        }
        if (input == null || STD.equals(input)) {
            if (System.console() != null) {
                System.err.println("procpool: reading lines from the terminal; end with Ctrl-D");
            }
            return new LineReader(System.in, -1);
        }
        Path path = Path.of(input);
        if (!Files.exists(path)) {
            throw new UsageException("input file not found: " + input);
        }
        if (Files.isDirectory(path)) {
            throw new UsageException("input is a directory: " + input);
        }
        try {
            // a named pipe (--input <(zcat big.gz)) has no size: no ETA then
            return new LineReader(Files.newInputStream(path), Files.isRegularFile(path) ? Files.size(path) : -1);
        } catch (IOException e) {
            throw new UsageException("cannot read input file " + input + ": " + describe(e));
        }
    }

    private static OutputStream create(String file) throws UsageException {
        try {
            return Files.newOutputStream(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("cannot create " + file + ": " + describe(e));
        }
    }

    /** stderr for the error log: flushed, never closed, as messages follow. */
    private static Writer unclosable(OutputStream stream) {
        return new FilterWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return e instanceof AccessDeniedException ? "permission denied" : e.toString();
    }

    private static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    private static void requireAtLeastOne(String option, int value) throws UsageException {
        if (value < 1) {
            throw new UsageException(option + " must be at least 1, was " + value);
        }
    }

    /**
     * System.console() is null as soon as stdout is redirected, yet the bar goes to stderr, which is often still
     * the terminal then. Linux names fd 2's target in /proc; elsewhere fall back to System.console().
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
