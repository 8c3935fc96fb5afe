package dev.procpool.internal.slurm;

import dev.procpool.internal.Launcher;
import dev.procpool.internal.StderrLines;
import java.io.File;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One worker as a Slurm job step, and its two threads, each ending with the step: {@code -process} opens the
 * rendezvous, starts srun, waits for the worker to connect back with its token, hands the connection to the wiring,
 * then waits for srun's exit (reaping it); {@code -stderr} forwards what srun relays (the worker's stdout and stderr,
 * and srun's own messages) to SLF4J. srun only starts and stops the worker: the protocol runs over the connection.
 */
final class SlurmStep implements Launcher.Child {
    private static final long DRAIN_SECONDS = 5;
    private static final long KILL_GRACE_SECONDS = 5;

    private final SlurmLauncher launcher;
    private final String node;
    private final String name;
    private final String label;
    private final Launcher.Wiring wiring;
    private final StderrLines output;
    private volatile Process srun;
    private volatile String step; // "job.step" once the worker said it
    private volatile boolean killRequested;
    private volatile ConnectBack rendezvous;
    private final CompletableFuture<Void> killed = new CompletableFuture<>();

    private SlurmStep(SlurmLauncher launcher, String node, String name, String label, Launcher.Wiring wiring) {
        this.launcher = launcher;
        this.node = node;
        this.name = name;
        this.label = label + " on " + node;
        this.output = new StderrLines(() -> this.label);
        this.wiring = wiring;
    }

    static SlurmStep start(SlurmLauncher launcher, String node, String name, String label, Launcher.Wiring wiring) {
        SlurmStep child = new SlurmStep(launcher, node, name, label, wiring);
        Thread thread = new Thread(child::run, name + "-process");
        thread.setDaemon(true);
        thread.start();
        return child;
    }

    /** The worker's pid is on another machine: the pool learns it from the worker's HELLO. */
    @Override
    public long pid() {
        return -1;
    }

    @Override
    public boolean killRequested() {
        return killRequested;
    }

    /**
     * With the step known, scancel sends SIGKILL to the worker through the controller, and srun exits once the step
     * has ended: when the pool sees the exit, the step is gone. A step not known yet (the worker has not connected)
     * is stopped through srun, which cancels it on SIGTERM. Either way srun is killed if it is still there after
     * {@link #KILL_GRACE_SECONDS} (a node that no longer answers).
     */
    @Override
    public void kill() {
        killRequested = true;
        String known = step;
        if (known != null) {
            SlurmCommands.fireAndForget("scancel", "--signal=KILL", known);
        }
        ConnectBack waiting = rendezvous;
        if (waiting != null) {
            waiting.close();
        }
        Process p = srun;
        if (p != null && known == null) {
            p.destroy();
        }
        killed.complete(null);
    }

    /** SIGTERM to the worker through the controller: its shutdown hooks run. */
    @Override
    public void terminate() {
        String known = step;
        if (known != null) {
            SlurmCommands.fireAndForget("scancel", "--signal=TERM", known);
        } else {
            kill();
        }
    }

    @Override
    public boolean awaitExit(long timeout, TimeUnit unit) {
        Process p = srun;
        try {
            return p == null || p.waitFor(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        int exitCode = -1;
        Throwable launchFailure = null;
        boolean connected = false;
        Socket socket = null;
        try (ConnectBack waiting = ConnectBack.open()) {
            rendezvous = waiting;
            Process p = startSrun(waiting);
            p.onExit().thenRun(waiting::close); // srun ended: its worker will never connect, stop waiting
            ConnectBack.Accepted accepted = killRequested ? null
                    : waiting.await(System.nanoTime() + launcher.connectTimeoutNanos());
            if (accepted != null) {
                socket = accepted.socket();
                step = "-".equals(accepted.step()) ? null : accepted.step();
                connected = true;
                wiring.connected(this, socket.getInputStream(), new HalfClosingOutput(socket));
            } else if (p.isAlive() && !killRequested) {
                output.note("procpool: the worker did not connect back within "
                        + TimeUnit.NANOSECONDS.toSeconds(launcher.connectTimeoutNanos()) + " s; its step was killed");
                kill();
            }
            exitCode = awaitExit(p);
        } catch (IOException e) {
            launchFailure = e;
            exitCode = stopAfterFailure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; end as if it had exited
        } finally {
            if (connected) {
                wiring.awaitDrained();
            }
            closeQuietly(socket); // a dead node sends no end of stream: this ends the reader
            awaitStderr();
            launcher.ended(node, connected);
        }
        wiring.exited(exitCode, launchFailure);
    }

    /** The rendezvous failed after srun started: its step must not outlive the report of this worker's end. */
    private int stopAfterFailure() {
        Process p = srun;
        if (p == null) {
            return -1;
        }
        kill();
        try {
            return awaitExit(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** srun's exit; once the pool asked for a kill, at most {@link #KILL_GRACE_SECONDS} later. */
    private int awaitExit(Process p) throws InterruptedException {
        CompletableFuture.anyOf(p.onExit(), killed).join(); // one of them comes: the step ends, or the pool kills it
        if (!p.waitFor(KILL_GRACE_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return p.waitFor();
    }

    private Process startSrun(ConnectBack waiting) throws IOException {
        List<String> command = launcher.srunCommand(node, waiting.port());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        SlurmCommands.stripJobEnvironment(builder.environment());
        builder.environment().put(SlurmLauncher.TOKEN_VARIABLE, waiting.token()); // srun exports it to the step
        Process p = builder.start();
        srun = p;
        Thread thread = new Thread(() -> output.forward(p.getInputStream()), name + "-stderr");
        thread.setDaemon(true);
        thread.start();
        if (killRequested) {
            kill();
        }
        return p;
    }

    private void awaitStderr() {
        try {
            if (srun != null) {
                output.awaitEnd(DRAIN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String stderrTail() {
        return output.tail() + "\n  (job step on node " + node + (step == null ? "" : ", step " + step) + ")";
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** The socket's output, whose close ends the child's input only: the child's last frames can still arrive. */
    private static final class HalfClosingOutput extends FilterOutputStream {
        private final Socket socket;

        HalfClosingOutput(Socket socket) throws IOException {
            super(socket.getOutputStream());
            this.socket = socket;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
            socket.shutdownOutput();
        }
    }
}
