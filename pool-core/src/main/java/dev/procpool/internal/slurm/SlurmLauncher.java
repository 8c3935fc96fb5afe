package dev.procpool.internal.slurm;

import dev.procpool.internal.Launcher;
import dev.procpool.internal.WorkerCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts each worker as a job step of one allocation ({@code srun --jobid J --exact -u -N1 -n1 -c1 -w node}), spread
 * over its nodes; the worker connects back to this JVM over TCP with a one-time token and speaks the protocol
 * there. At the pool's end the pool's steps (or its own allocation) are cancelled.
 */
public final class SlurmLauncher implements Launcher {
    /** Where a connect-back worker finds its token (the worker's ProtocolStreams reads the same name). */
    static final String TOKEN_VARIABLE = "PROCPOOL_CONNECT_TOKEN";
    /** A step may wait for a free CPU of the allocation (a replacement for a retiring worker) before it starts. */
    private static final long MIN_CONNECT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final WorkerCommand command;
    private final Allocation allocation;
    private final Placement placement;
    private final List<String> srunArgs;
    private final String stepName;
    private final String host;
    private final long connectTimeoutNanos;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SlurmLauncher(WorkerCommand command, Allocation allocation, SlurmSettings settings, String stepName,
                          String host, long heartbeatTimeoutNanos) {
        this.command = command;
        this.allocation = allocation;
        this.placement = new Placement(allocation.nodes);
        this.srunArgs = settings.srunArgs();
        this.stepName = stepName;
        this.host = host;
        this.connectTimeoutNanos = Math.max(MIN_CONNECT_NANOS, heartbeatTimeoutNanos);
    }

    /** Finds (or requests) the allocation; throws if there is none to be had. */
    public static SlurmLauncher open(SlurmSettings settings, WorkerCommand command, long heartbeatTimeoutNanos)
            throws IOException {
        String host = settings.supervisorHost() != null ? settings.supervisorHost()
                : InetAddress.getLocalHost().getHostName();
        // unique on the cluster: the watchdog finds the pool's job or steps by this name
        String name = "procpool-" + InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid()
                + "-" + POOLS.incrementAndGet();
        Allocation allocation = Allocation.open(settings, name);
        return new SlurmLauncher(command, allocation, settings, name, host, heartbeatTimeoutNanos);
    }

    /** The Slurm job the workers run in. */
    public String jobId() {
        return allocation.jobId;
    }

    @Override
    public Child launch(String name, String stderrLabel, Wiring wiring) {
        return SlurmStep.start(this, placement.take(), name, stderrLabel, wiring);
    }

    /** srun must be unbuffered (-u): its line buffering would hold the worker's output lines. */
    List<String> srunCommand(String node, int port) {
        List<String> srun = new ArrayList<>(List.of("srun", "--jobid=" + allocation.jobId, "--exact", "-u", "-N1",
                "-n1", "-c1", "--nodelist=" + node, "--job-name=" + stepName, "--input=none", "--kill-on-bad-exit=1"));
        srun.addAll(srunArgs);
        srun.addAll(command.remote("connect", hostPort(port)));
        return srun;
    }

    private String hostPort(int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    long connectTimeoutNanos() {
        return connectTimeoutNanos;
    }

    void ended(String node, boolean connected) {
        placement.ended(node, connected);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            allocation.release();
        }
    }

    @Override
    public String toString() {
        return "Slurm job " + allocation.jobId + " on " + allocation.nodes;
    }
}
