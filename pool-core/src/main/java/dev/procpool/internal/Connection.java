package dev.procpool.internal;

import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Frame;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameType;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.PendingCalls;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Wire;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's end of one child's protocol, reading side: the handshake, then every frame decoded and routed by
 * type and request id on the {@code -stdout} thread, which never blocks on anything but the pipe. Replies to the
 * supervisor's own calls go to their waiting callers; everything else to the {@link Listener}.
 */
final class Connection {
    private static final long DRAIN_SECONDS = 5;

    /** What the child says, in the order it says it; called on the reader thread. */
    interface Listener {
        Message.Init init(long pid);

        void ready();

        void initFailed(RemoteThrowable failure);

        void result(long requestId, Message.Result result);

        void revoked(long requestId);

        void running(long requestId);

        void call(long requestId, Message.Call call);

        void error(long requestId, String text);

        /** The child began an orderly exit: a death without this was abnormal. */
        void goodbye();

        /** The stream ended: cleanly (null), inside a frame ({@link EOFException}) or corrupt. */
        void ended(Throwable problem);
    }

    private final Listener listener;
    private final Outbox out;
    private final Codec codec;
    private final int maxFrameBytes;
    private final PendingCalls calls = new PendingCalls();
    private final CountDownLatch drained = new CountDownLatch(1);
    private volatile long lastHeard = System.nanoTime(); // any frame counts as a sign of life

    Connection(Listener listener, Outbox out, ClassLoader loader, int maxFrameBytes) {
        this.listener = listener;
        this.out = out;
        this.codec = new Codec(loader, maxFrameBytes, true);
        this.maxFrameBytes = maxFrameBytes;
    }

    long lastHeard() {
        return lastHeard;
    }

    PendingCalls calls() {
        return calls;
    }

    void start(String threadName, InputStream fromChild) {
        Thread thread = new Thread(() -> read(fromChild), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits (bounded) until every frame the child wrote has been read. */
    void awaitDrained() {
        try {
            drained.await(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read(InputStream fromChild) {
        FrameReader reader = new FrameReader(fromChild, maxFrameBytes, true);
        Throwable problem = null;
        try {
            if (handshake(reader)) {
                while (readOne(reader)) {
                    // the work is in readOne: a method called per frame is compiled after a few hundred frames,
                    // the body of a loop that runs once per thread only after tens of thousands
                }
            }
        } catch (IOException | RuntimeException e) {
            problem = e;
        } finally {
            calls.close("the child process is gone");
            drained.countDown();
        }
        listener.ended(problem);
    }

    /** Reads and routes the next frame; false at the end of the stream. */
    private boolean readOne(FrameReader reader) throws IOException {
        Frame frame = reader.read();
        if (frame == null) {
            return false;
        }
        lastHeard = System.nanoTime();
        route(frame);
        return true;
    }

    /** HELLO (version checked), INIT, then READY or INIT_FAILED; false when the child is not ready. */
    private boolean handshake(FrameReader reader) throws IOException {
        Frame frame = reader.read();
        if (frame == null) {
            return false;
        }
        if (!(Message.read(expect(frame, FrameType.HELLO), codec) instanceof Message.Hello hello)) {
            throw new IOException("expected HELLO from the child, got " + frame.type());
        }
        if (hello.protocolVersion() != Wire.PROTOCOL_VERSION) {
            throw new IOException("the child speaks protocol " + hello.protocolVersion() + ", this JVM "
                    + Wire.PROTOCOL_VERSION + ": mixed procpool versions on the classpath?");
        }
        out.writeNow(listener.init(hello.pid()), 0);
        Frame answer = reader.read();
        // While its initializer runs, a child beats and may call (for the initializer's classes, say)
        while (answer != null && (answer.type() == FrameType.CALL || answer.type() == FrameType.HEARTBEAT
                || answer.type() == FrameType.ERROR)) {
            lastHeard = System.nanoTime();
            route(answer);
            answer = reader.read();
        }
        if (answer == null) {
            return false;
        }
        lastHeard = System.nanoTime();
        if (answer.type() == FrameType.INIT_FAILED) {
            listener.initFailed(((Message.InitFailed) Message.read(answer, codec)).failure());
            return false;
        }
        expect(answer, FrameType.READY);
        listener.ready();
        return true;
    }

    private static Frame expect(Frame frame, FrameType type) throws IOException {
        if (frame.type() != type) {
            throw new IOException("expected " + type + " from the child, got " + frame.type());
        }
        return frame;
    }

    private void route(Frame frame) throws IOException {
        long id = frame.requestId();
        switch (frame.type()) {
            case RESULT -> listener.result(id, (Message.Result) Message.read(frame, codec));
            case REVOKED -> listener.revoked(id);
            case RUNNING -> listener.running(id);
            case HEARTBEAT -> { }
            case GOODBYE -> listener.goodbye();
            case CALL -> listener.call(id, (Message.Call) Message.read(frame, codec));
            case REPLY -> {
                // the reader reuses its buffer: the waiting caller gets a copy it owns
                Frame copy = new Frame(frame.type(), id, java.util.Arrays.copyOf(frame.payload(), frame.length()));
                if (!calls.arrived(copy)) {
                    out.writeNow(new Message.ErrorText("a REPLY for call " + id + ", which is not waiting"), id);
                }
            }
            case ERROR -> listener.error(id, ((Message.ErrorText) Message.read(frame, codec)).text());
            default -> throw new IOException("unexpected " + frame.type() + " frame from the child");
        }
    }
}
