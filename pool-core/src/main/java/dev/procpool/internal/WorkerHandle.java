package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import dev.procpool.objects.Transit;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteThrowable;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One worker of a pool: its process (from the launcher), its connection (reading), its outbox (writing) and its
 * scheduling state, wired to the supervisor. What happened to it is recorded here for the exit policy.
 */
final class WorkerHandle implements Launcher.Wiring, Connection.Listener, Outbox.Listener {
    private static final LazyLogger LOG = new LazyLogger(WorkerHandle.class);
    private static final long EXIT_AFTER_EOF_SECONDS = 5;

    final String name;
    final WorkerState state;
    /** Its identity among the family's processes, for the shared objects it uses. */
    final long token = java.util.concurrent.ThreadLocalRandom.current().nextLong();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Supervisor owner;
    private volatile Launcher.Child child;
    private volatile Outbox outbox;
    private volatile Connection connection;
    private volatile Throwable startFailure;
    private volatile Throwable streamProblem;
    private volatile Throwable killedFor; // why the pool killed it, when it did
    private volatile Chunk killedTarget; // the chunk it was killed for, null for any
    private volatile boolean overstayed; // killed because it did not exit within the grace period
    private volatile boolean saidGoodbye; // it began an orderly exit
    private volatile long helloPid = -1; // what the worker says; the only pid known of one on another machine

    WorkerHandle(Supervisor owner, int slot, String name) {
        this.owner = owner;
        this.name = name;
        this.state = new WorkerState(slot, this);
    }

    void launch(Launcher launcher) {
        child = launcher.launch(name, "worker " + state.slot, this);
    }

    long pid() {
        Launcher.Child c = child;
        long launched = c == null ? -1 : c.pid();
        return launched > 0 ? launched : helloPid;
    }

    Outbox outbox() {
        return outbox;
    }

    long lastHeard() {
        Connection c = connection;
        return c == null ? System.nanoTime() : c.lastHeard();
    }

    /**
     * Kills the worker for a reason that becomes the failure of {@code target}, if that is still the chunk it runs
     * when it dies (null: whatever it runs); otherwise the chunk it ran was innocent and runs again elsewhere.
     */
    void kill(Throwable reason, Chunk target) {
        if (killedFor == null) {
            killedTarget = target;
            killedFor = reason;
        }
        kill();
    }

    /** It was told to exit and did not within the grace period (a shutdown hook that never returns). */
    void killOverstayed() {
        overstayed = true;
        kill(new IllegalStateException("did not exit within the grace period"), null);
    }

    boolean overstayed() {
        return overstayed;
    }

    void kill() {
        Launcher.Child c = child;
        if (c != null) {
            c.kill();
        }
    }

    boolean killRequested() {
        Launcher.Child c = child;
        return c != null && c.killRequested();
    }

    ExitPolicy.Exit exit(int exitCode, boolean terminated) {
        WorkerState s = state;
        return new ExitPolicy.Exit(s.ready, terminated, s.retiring, s.retireAnnounced, s.endSent, exitCode,
                killedFor != null, killedTarget, overstayed, streamProblem != null);
    }

    Throwable killedFor() {
        return killedFor;
    }

    Throwable startFailure() {
        return startFailure;
    }

    String problemText() {
        Throwable problem = streamProblem;
        return problem == null ? "" : " (" + problem.getMessage() + ")";
    }

    String stderrTail() {
        Launcher.Child c = child;
        return c == null ? "(not started)" : c.stderrTail();
    }

    // ---- Launcher.Wiring ----

    @Override
    public void connected(Launcher.Child started, InputStream fromChild, OutputStream toChild) {
        child = started;
        PoolConfig config = owner.config;
        outbox = new Outbox(name, new FrameWriter(toChild), new Codec(config.classLoader(), config.maxFrameBytes()), this,
                token);
        connection = new Connection(this, outbox, config.classLoader(), config.maxFrameBytes());
        connection.start(name + "-stdout", fromChild);
    }

    @Override
    public void awaitDrained() {
        Connection c = connection;
        if (c != null) {
            c.awaitDrained();
        }
    }

    @Override
    public void exited(int exitCode, Throwable launchFailure) {
        if (launchFailure != null) {
            startFailure = new WorkerStartException("cannot launch worker " + state.slot + ": "
                    + launchFailure.getMessage(), launchFailure);
        }
        try {
            owner.workerGone(this, exitCode);
        } finally {
            Outbox out = outbox;
            if (out != null) {
                out.close();
            }
        }
    }

    // ---- Connection.Listener (the reader thread) ----

    @Override
    public Message.Init init(long pid) {
        helloPid = pid;
        Transit.given(token, owner.config.initializerHandles());
        return owner.config.initFor(state.slot, token);
    }

    @Override
    public void ready() {
        owner.workerReady(this);
    }

    @Override
    public void initFailed(RemoteThrowable failure) {
        Throwable cause = Throwables.rebuild(failure, owner.config.classLoader());
        startFailure = new WorkerStartException("the initializer threw in worker " + state.slot + " (pid " + pid()
                + "): " + cause, cause);
    }

    @Override
    public void result(long requestId, Message.Result result) {
        owner.resultArrived(this, requestId, result);
    }

    @Override
    public void revoked(long requestId) {
        owner.revoked(this, requestId);
    }

    @Override
    public void running(long requestId) {
        owner.tooLateToRevoke(this, requestId);
    }

    @Override
    public void call(long requestId, Message.Call call) {
        owner.calls().serve(call, requestId == 0 ? null : reply -> outbox.writeNow(reply, requestId));
    }

    /** What it sent makes no sense here: logged, and the worker told so (it is not killed for it). */
    void protocolError(long requestId, String what) {
        LOG.get().warn("{}: protocol error: {}", name, what);
        outbox.writeNow(new Message.ErrorText("the supervisor got " + what), requestId);
    }

    @Override
    public void goodbye() {
        saidGoodbye = true;
        outbox.endInput(); // it exits: its reader must not keep the JVM waiting (see the worker's ProtocolStreams)
    }

    /** Killed by a signal, halted, crashed: no orderly shutdown ran. */
    boolean diedAbnormally(int exitCode) {
        return !saidGoodbye || exitCode >= 128;
    }

    @Override
    public void error(long requestId, String text) {
        LOG.get().warn("{}: the worker reports a protocol error (request {}): {}", name, requestId, text);
    }

    @Override
    public void ended(Throwable problem) {
        streamProblem = problem;
        if (problem != null && !(problem instanceof EOFException)) {
            kill(); // its stream can no longer be trusted
        }
        Launcher.Child c = child;
        if (c != null && !c.awaitExit(EXIT_AFTER_EOF_SECONDS, TimeUnit.SECONDS)) {
            kill(); // it closed its output but lives on: it can no longer serve
        }
    }

    // ---- Outbox.Listener (a writing thread) ----

    @Override
    public void notSent(Chunk chunk, Throwable failure) {
        owner.notSent(this, chunk, failure);
    }

    @Override
    public String toString() {
        return name;
    }
}
