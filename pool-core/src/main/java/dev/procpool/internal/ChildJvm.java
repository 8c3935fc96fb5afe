package dev.procpool.internal;

import dev.procpool.internal.classpath.ClassSources;
import dev.procpool.objects.Transit;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Wire;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One single child JVM running one target (the engine behind {@link dev.procpool.JvmProcess}): launched like a pool
 * worker, with the same protocol, stderr forwarding, process group and reaping. A non-daemon child holds a
 * non-daemon thread until it ends, so that this JVM does not exit before it (like a non-daemon thread).
 */
public final class ChildJvm implements Launcher.Wiring, Connection.Listener, Outbox.Listener {
    /** Time a child's shutdown hooks get when it is told to end, before it halts itself. */
    private static final long EXIT_GRACE_MILLIS = 2_000;

    private final String name;
    private final boolean daemon;
    private final byte[] target;
    private final long[] targetHandles;
    private final ClassLoader loader;
    private final CallServer calls;
    private final String userClasspath;
    private final CompletableFuture<Long> launched = new CompletableFuture<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile Launcher.Child child;
    private volatile Outbox outbox;
    private volatile Connection connection;
    private volatile int exitCode = -1;
    private volatile Throwable failure;
    private volatile boolean stopped; // terminate() or kill(): no failure to report
    private volatile boolean saidGoodbye; // it began an orderly exit
    /** Its identity among the family's processes, for the shared objects it uses. */
    private final long token = java.util.concurrent.ThreadLocalRandom.current().nextLong();

    private ChildJvm(String name, boolean daemon, byte[] target, long[] targetHandles, ClassLoader loader,
                     ClassSources classes) {
        this.calls = new CallServer(classes);
        this.userClasspath = classes.userClasspath();
        this.targetHandles = targetHandles;
        this.name = name;
        this.daemon = daemon;
        this.target = target;
        this.loader = loader;
    }

    /**
     * Launches the child and returns once its process exists (its pid is known). Its user classes come from
     * {@code classes}, as a pool worker's do.
     */
    public static ChildJvm start(String name, boolean daemon, byte[] target, long[] targetHandles,
                                 WorkerCommand command, ClassLoader loader, ClassSources classes) {
        ChildJvm jvm = new ChildJvm(name, daemon, target, targetHandles, loader, classes);
        Family.joined(jvm);
        if (!daemon) {
            Thread keeper = new Thread(jvm::awaitExitUninterruptibly, name + "-keeper");
            keeper.setDaemon(false); // this JVM waits for a non-daemon child, as for a non-daemon thread
            keeper.start();
        }
        jvm.child = new LocalLauncher(command).launch(name, name, jvm);
        try {
            jvm.launched.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
        return jvm;
    }

    public String name() {
        return name;
    }

    public boolean daemon() {
        return daemon;
    }

    public long pid() {
        Launcher.Child c = child;
        return c == null ? -1 : c.pid();
    }

    public boolean alive() {
        return exited.getCount() > 0;
    }

    /** The exit code, or -1 while it runs. */
    public int exitCode() {
        return alive() ? -1 : exitCode;
    }

    public Throwable failure() {
        return stopped ? null : failure;
    }

    public boolean awaitExit(long nanos) throws InterruptedException {
        return exited.await(nanos, TimeUnit.NANOSECONDS);
    }

    private void awaitExitUninterruptibly() {
        boolean interrupted = false;
        while (exited.getCount() > 0) {
            try {
                exited.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: its shutdown hooks run and end its descendants. */
    public void terminate() {
        stopped = true;
        Launcher.Child c = child;
        if (c != null) {
            c.terminate();
        }
    }

    /** SIGKILL, and its descendants with it. */
    public void kill() {
        stopped = true;
        Launcher.Child c = child;
        if (c != null) {
            c.kill();
        }
    }

    // ---- Launcher.Wiring ----

    @Override
    public void connected(Launcher.Child started, InputStream fromChild, OutputStream toChild) {
        child = started;
        outbox = new Outbox(name, new FrameWriter(toChild), new Codec(loader, Wire.DEFAULT_MAX_FRAME_BYTES), this,
                token);
        connection = new Connection(this, outbox, loader, Wire.DEFAULT_MAX_FRAME_BYTES);
        connection.start(name + "-stdout", fromChild);
        launched.complete(started.pid());
    }

    @Override
    public void awaitDrained() {
        Connection c = connection;
        if (c != null) {
            c.awaitDrained();
        }
    }

    @Override
    public void exited(int code, Throwable launchFailure) {
        exitCode = code;
        if (launchFailure != null) {
            launched.completeExceptionally(launchFailure);
        }
        Family.left(this);
        try {
            dev.procpool.objects.Family.childEnded(token, !saidGoodbye || code >= 128);
        } finally {
            exited.countDown(); // whatever the shared objects make of its end, join() returns
        }
    }

    // ---- Connection.Listener ----

    @Override
    public Message.Init init(long pid) {
        Transit.given(token, targetHandles);
        return new Message.Init(Message.Init.PROCESS, 0, name, token, daemon, ProcessHandle.current().pid(), 0,
                EXIT_GRACE_MILLIS, 0, Wire.DEFAULT_MAX_FRAME_BYTES, userClasspath, target);
    }

    @Override
    public void ready() {
    }

    @Override
    public void initFailed(RemoteThrowable failure) {
    }

    @Override
    public void result(long requestId, Message.Result result) {
        Message.ItemFailure thrown = result.failures() != null && result.failures().length == 1
                ? result.failures()[0] : null;
        if (thrown != null && thrown.thrown() != null) {
            failure = Throwables.rebuild(thrown.thrown(), loader);
        }
    }

    @Override
    public void revoked(long requestId) {
    }

    @Override
    public void running(long requestId) {
    }

    @Override
    public void call(long requestId, Message.Call call) {
        calls.serve(call, requestId == 0 ? null : reply -> outbox.writeNow(reply, requestId));
    }

    @Override
    public void goodbye() {
        saidGoodbye = true;
        outbox.endInput(); // it exits: its reader must not keep the JVM waiting (see the worker's ProtocolStreams)
    }

    @Override
    public void error(long requestId, String text) {
    }

    @Override
    public void ended(Throwable problem) {
    }

    // ---- Outbox.Listener ----

    @Override
    public void notSent(Chunk chunk, Throwable failure) {
    }

    @Override
    public String toString() {
        return name;
    }
}
