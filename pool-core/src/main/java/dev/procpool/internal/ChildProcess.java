package dev.procpool.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;

/**
 * One local child JVM and its two threads, each ending with the process: {@code -process} launches it through
 * Commons Exec and waits for its exit (reaping it), {@code -stderr} forwards its stderr lines to SLF4J. When it
 * exits, every process left in its process group is killed, then the wiring hears of the exit.
 */
final class ChildProcess implements Launcher.Child {
    private static final long DRAIN_SECONDS = 5;

    private final String name;
    private final String label;
    private final WorkerCommand command;
    private final Launcher.Wiring wiring;
    private final StderrLines stderr;
    private volatile Process process;
    private volatile long pid = -1;
    private volatile boolean killRequested;

    private ChildProcess(String name, String label, WorkerCommand command, Launcher.Wiring wiring) {
        this.name = name;
        this.label = label;
        this.stderr = new StderrLines(() -> this.label + " pid " + this.pid);
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
            Thread thread = new Thread(() -> ChildProcess.this.stderr.forward(stderr), name + "-stderr");
            thread.setDaemon(true);
            thread.start();
            wiring.connected(ChildProcess.this, fromChild, toChild);
        }

        /** Called after the process exited; frames still in the pipe must be read before its streams close. */
        @Override
        public void stop() {
            wiring.awaitDrained();
            try {
                ChildProcess.this.stderr.awaitEnd(DRAIN_SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String stderrTail() {
        return stderr.tail();
    }
}
