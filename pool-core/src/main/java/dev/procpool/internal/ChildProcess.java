package dev.procpool.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local child JVM and its two threads, each ending with the process: {@code -process} launches it through
 * Commons Exec and waits for its exit (reaping it), {@code -stderr} forwards its stderr lines to SLF4J. When it
 * exits, every process left in its process group is killed, then the wiring hears of the exit.
 */
final class ChildProcess implements Launcher.Child {
    /** Child stderr is logged under this name, each line prefixed with the child's label and pid. */
    static final Logger STDERR_LOG = LoggerFactory.getLogger("dev.procpool.worker.stderr");
    private static final int TAIL_LINES = 20;
    private static final int TAIL_LINE_CHARS = 500;
    private static final long DRAIN_SECONDS = 5;

    private final String name;
    private final String label;
    private final WorkerCommand command;
    private final Launcher.Wiring wiring;
    private final ArrayDeque<String> tail = new ArrayDeque<>(); // guards itself
    private final CountDownLatch stderrDone = new CountDownLatch(1);
    private volatile Process process;
    private volatile long pid = -1;
    private volatile boolean killRequested;

    private ChildProcess(String name, String label, WorkerCommand command, Launcher.Wiring wiring) {
        this.name = name;
        this.label = label;
        this.command = command;
        this.wiring = wiring;
    }

    static ChildProcess start(String name, String label, WorkerCommand command, Launcher.Wiring wiring) {
        ChildProcess child = new ChildProcess(name, label, command, wiring);
        Thread thread = new Thread(child::run, name + "-process");
        thread.setDaemon(true);
        thread.start();
        return child;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean killRequested() {
        return killRequested;
    }

    @Override
    public void kill() {
        killRequested = true;
        Process p = process;
        if (p != null) {
            // through the handle: Process.destroy* would also close our ends of its pipes, and the frames it
            // wrote last would be lost (or, for SIGTERM, it would see the end of its input and halt at once)
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.toHandle().destroyForcibly();
        }
    }

    @Override
    public boolean awaitExit(long timeout, TimeUnit unit) {
        Process p = process;
        try {
            return p == null || p.waitFor(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void terminate() {
        Process p = process;
        if (p != null) {
            p.toHandle().destroy();
        }
    }

    private void run() {
        WorkerCommand.Launch launch = command.next();
        List<String> arguments = launch.arguments();
        CommandLine commandLine = new CommandLine(arguments.get(0));
        for (String argument : arguments.subList(1, arguments.size())) {
            commandLine.addArgument(argument, false);
        }
        DefaultExecutor executor = new LaunchingExecutor();
        executor.setStreamHandler(new Streams());
        executor.setExitValues(null); // every exit code is an outcome, not an error
        int exitCode = -1;
        Throwable launchFailure = null;
        try {
            exitCode = executor.execute(commandLine);
        } catch (IOException e) {
            launchFailure = e;
        }
        command.exited(launch, exitCode);
        if (command.ownProcessGroup() && pid > 0) {
            // what its tasks started, even if it died too abruptly to clean up, or its parent chain was broken
            ProcessGroups.killGroup(pid);
        }
        wiring.exited(exitCode, launchFailure);
    }

    /** Commons Exec hides the Process; the pool needs it to kill the child and its descendants. */
    private final class LaunchingExecutor extends DefaultExecutor {
        @SuppressWarnings("deprecation") // the builder's constructor is package-private; subclasses must use this
        LaunchingExecutor() {
            super();
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
            Process launched = super.launch(command, env, dir);
            process = launched;
            pid = launched.pid();
            if (killRequested) {
                kill();
            }
            return launched;
        }
    }

    private final class Streams implements ExecuteStreamHandler {
        private OutputStream toChild;
        private InputStream fromChild;
        private InputStream stderr;

        @Override
        public void setProcessInputStream(OutputStream os) {
            toChild = os;
        }

        @Override
        public void setProcessOutputStream(InputStream is) {
            fromChild = is;
        }

        @Override
        public void setProcessErrorStream(InputStream is) {
            stderr = is;
        }

        @Override
        public void start() {
            Thread thread = new Thread(() -> forwardStderr(stderr), name + "-stderr");
            thread.setDaemon(true);
            thread.start();
            wiring.connected(ChildProcess.this, fromChild, toChild);
        }

        /** Called after the process exited; frames still in the pipe must be read before its streams close. */
        @Override
        public void stop() {
            wiring.awaitDrained();
            try {
                stderrDone.await(DRAIN_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void forwardStderr(InputStream stderr) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                STDERR_LOG.info("[{} pid {}] {}", label, pid, line);
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line.length() > TAIL_LINE_CHARS ? line.substring(0, TAIL_LINE_CHARS) + "..." : line);
                }
            }
        } catch (IOException e) {
            // stream closed after exit
        } finally {
            stderrDone.countDown();
        }
    }

    @Override
    public String stderrTail() {
        synchronized (tail) {
            return tail.isEmpty() ? "(stderr was empty)" : "last stderr lines:\n  " + String.join("\n  ", tail);
        }
    }
}
