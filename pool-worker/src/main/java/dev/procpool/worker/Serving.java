package dev.procpool.worker;

import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Frame;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameType;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Uplink;
import dev.procpool.protocol.Values;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A worker's two serving threads, leader/follower: whichever holds the read role reads the next frame and routes it
 * by type. RUN, DEFINE and END run in arrival order, one at a time, on the thread that read them unless the other is
 * running frames (then they wait in {@code pending}): a task then costs no hand-over between threads, and the other
 * thread reads on while a task runs, so REVOKE and END are answered, a REPLY reaches the task that waits for it, and
 * the end of input (the parent died) is seen at once. Tasks therefore run on either thread: per-worker state
 * belongs in static fields, not ThreadLocals.
 *
 * <p>Lock order: {@code readRole}, then {@code pending}; the frame writer's monitor is taken last, under neither
 * when a task runs.
 */
final class Serving {
    private final FrameReader reader;
    private final Uplink uplink;
    private final ChunkRunner runner;
    private final ClassLoader loader;
    private final int maxFrameBytes;
    private final ReentrantLock readRole = new ReentrantLock();
    private final ArrayDeque<Frame> pending = new ArrayDeque<>(); // frames read and not yet run; guards itself
    private boolean running; // guarded by pending: a thread is running frames
    private volatile long runningRequest = -1; // the RUN being executed, for REVOKE
    /**
     * Used by whichever thread runs frames, one at a time (the {@code running} flag, set and cleared under
     * {@code pending}, hands it over): one Kryo for the tasks instead of one per thread, which a worker start pays
     * for in class initialisation and interpreted code.
     */
    private Codec runnerCodec;
    private Codec readerCodec; // guarded by readRole; made only if a frame needs decoding while reading

    Serving(FrameReader reader, Uplink uplink, ChunkRunner runner, ClassLoader loader, int maxFrameBytes) {
        this.reader = reader;
        this.uplink = uplink;
        this.runner = runner;
        this.loader = loader;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Serves on two {@link ServingThread}s until the JVM exits; the calling thread runs {@code meanwhile}, then
     * waits (it is not one of them: an interrupt of a thread that reads must not reach the input). {@code first}
     * (the initializer and READY) runs on one while the other already reads, before any frame that arrives meanwhile.
     */
    void serveOnTwoThreads(Codec codec, Runnable first, Runnable meanwhile) throws InterruptedException {
        runnerCodec = codec;
        synchronized (pending) {
            running = true; // frames read while {@code first} runs wait in pending
        }
        ServingThread one = new ServingThread(() -> {
            first.run();
            runPending();
            serve();
        }, "procpool-worker-1");
        ServingThread two = new ServingThread(this::serve, "procpool-worker-2");
        one.setDaemon(true); // both end with the JVM: exit is decided by END, a retirement or the end of input
        two.setDaemon(true);
        two.start();
        one.start();
        meanwhile.run();
        one.join(); // keeps the JVM up; returns once this JVM is ending
    }

    /**
     * The loop of a serving thread. Its work is in two methods called per frame: such a method is compiled after a
     * few hundred frames (the body of a loop that runs once per thread only after tens of thousands), and as two the
     * JIT compiles the reading and the running once each, instead of the running again inside the reading, which a
     * fresh worker pays for in its first seconds.
     */
    private void serve() {
        for (Next next = readOne(); next != Next.STOP; next = readOne()) {
            if (next == Next.RUN) {
                runPending();
            }
        }
    }

    /** What a serving thread does after reading a frame: read the next, run what is pending, or stop. */
    private enum Next { READ, RUN, STOP }

    /** Reads one frame with the read role: whether this thread must now run the pending frames, or stop. */
    private Next readOne() {
        readRole.lock();
        try {
            Frame frame = read();
            if (frame == null && ExitControl.exiting()) {
                return Next.STOP; // this JVM is ending and the parent ended its input: not the parent's death
            }
            if (frame == null) {
                parentGone();
            }
            return route(frame) ? Next.RUN : Next.READ;
        } catch (IOException e) {
            if (ExitControl.exiting()) {
                return Next.STOP; // this JVM is ending and the parent ended its input: not the parent's death
            }
            System.err.println("procpool worker: cannot read from the supervisor: " + e);
            parentGone();
            return Next.STOP;
        } finally {
            readRole.unlock();
        }
    }

    /**
     * The next frame. Neither an interrupt status a task left set nor an interrupt meant for a task that has ended
     * may reach the next task (see ServingThread).
     */
    private Frame read() throws IOException {
        ServingThread self = (ServingThread) Thread.currentThread();
        self.startReading();
        try {
            return reader.read();
        } finally {
            self.stopReading();
        }
    }

    /** The reader's codec, made when first needed: most workers never need it. Under readRole. */
    private Codec readerCodec() {
        if (readerCodec == null) {
            readerCodec = new Codec(loader, maxFrameBytes);
        }
        return readerCodec;
    }

    /** True when this thread must now run the pending frames. Under readRole. */
    private boolean route(Frame frame) throws IOException {
        switch (frame.type()) {
            case RUN, DEFINE, END -> {
                synchronized (pending) { // before the other thread may read the next frame: order is kept
                    pending.addLast(frame);
                    boolean runHere = !running;
                    running = true;
                    return runHere;
                }
            }
            case REVOKE -> revoke(frame.requestId());
            case REPLY -> {
                if (!uplink.calls().arrived(frame)) {
                    error(frame, "a REPLY for call " + frame.requestId() + ", which is not waiting");
                }
            }
            case CALL -> uplink.send(new Message.Reply(null, RemoteThrowable.of(new UnsupportedOperationException(
                    "a pool worker serves no calls"))), frame.requestId(), readerCodec());
            case ERROR -> System.err.println("procpool worker: the supervisor reports an error: "
                    + ((Message.ErrorText) Message.read(frame, readerCodec())).text());
            default -> error(frame, "an unexpected " + frame.type() + " frame");
        }
        return false;
    }

    private void error(Frame frame, String what) throws IOException {
        uplink.send(new Message.ErrorText("worker " + ProcessHandle.current().pid() + " got " + what),
                frame.requestId(), readerCodec());
    }

    private void runPending() {
        Codec codec = runnerCodec;
        while (true) {
            Frame frame;
            synchronized (pending) {
                frame = pending.pollFirst();
                if (frame == null) {
                    running = false;
                    return;
                }
            }
            switch (frame.type()) {
                case DEFINE -> runner.define((Message.Define) Message.read(frame, codec), codec);
                case RUN -> runChunk(frame, codec);
                default -> ExitControl.exit(0); // END
            }
        }
    }

    /**
     * Runs a chunk and sends its RESULT before the next task starts: should that task crash or hang, the supervisor
     * must already know which tasks are done, or it would blame and rerun them. A worker whose JVM may be damaged
     * retires after answering; one that cannot answer at all exits, so that its chunk fails as a crash.
     */
    private void runChunk(Frame frame, Codec codec) {
        runningRequest = frame.requestId();
        Message.Result result;
        try {
            result = runner.run((Message.Run) Message.read(frame, codec), codec);
        } catch (Throwable t) {
            cannotAnswer(t);
            return;
        }
        runningRequest = -1;
        boolean retiring;
        try {
            uplink.send(result, frame.requestId(), codec);
            retiring = result.retiring() || codec.sawError();
        } catch (IOException e) {
            parentGone();
            return;
        } catch (Throwable t) { // the results together exceed the frame limit, say
            retiring = sendInstead(result, frame.requestId(), t, codec);
        }
        if (retiring) {
            ExitControl.exit(0);
        }
    }

    /** Every item of the chunk fails with why its results could not be sent; true (retire) if it was an Error. */
    private boolean sendInstead(Message.Result failed, long requestId, Throwable why, Codec codec) {
        int n = failed.values().size();
        Message.ItemFailure[] failures = new Message.ItemFailure[n];
        String text = "result: cannot serialize the chunk's results: " + why;
        for (int i = 0; i < n; i++) {
            failures[i] = new Message.ItemFailure(null, text);
        }
        try {
            uplink.send(new Message.Result(Values.of(new Object[n]), failures, why instanceof Error), requestId, codec);
        } catch (Throwable t) {
            cannotAnswer(t);
        }
        return why instanceof Error;
    }

    private static void cannotAnswer(Throwable t) {
        System.err.println("procpool worker: cannot answer a task, exiting: " + t);
        ExitControl.halt(70);
    }

    /** Gives a RUN back unstarted, so that another worker can take it; too late once a thread took it. */
    private void revoke(long requestId) throws IOException {
        boolean removed;
        synchronized (pending) {
            removed = pending.removeIf(f -> f.type() == FrameType.RUN && f.requestId() == requestId);
        }
        boolean started = !removed && runningRequest == requestId;
        if (removed || started) {
            uplink.signal(removed ? Message.Signal.REVOKED : Message.Signal.RUNNING, requestId);
        }
    }

    /** The end of input without END: the supervisor died. Stop at once if a task runs, else exit in order. */
    private void parentGone() {
        uplink.calls().close("the parent JVM is gone");
        boolean busy;
        synchronized (pending) {
            busy = running;
        }
        if (busy) {
            ExitControl.halt(0);
        }
        ExitControl.exit(0);
    }
}
