package dev.procpool.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/**
 * This JVM's connection to the JVM that started it, for any thread that must send a frame or call the parent: the
 * frame writer (each frame whole, flushed at once) and the calls waiting for their REPLY. Null in a root JVM.
 */
public final class Uplink {
    private static final byte[] NO_BYTES = new byte[0];
    private static volatile Uplink current;

    private final FrameWriter writer;
    private final PendingCalls calls = new PendingCalls();
    private final CodecPool codecs;

    public Uplink(FrameWriter writer, CodecPool codecs) {
        this.writer = writer;
        this.codecs = codecs;
    }

    /** The parent connection of this JVM, or null when no procpool JVM started it. */
    public static Uplink current() {
        return current;
    }

    public static void install(Uplink uplink) {
        current = uplink;
    }

    public PendingCalls calls() {
        return calls;
    }

    public CodecPool codecs() {
        return codecs;
    }

    /** The largest frame this connection carries, either way (the parent's limit for this child). */
    public int maxFrameBytes() {
        return codecs.maxFrameBytes();
    }

    /** Sends one message, flushed: every frame of a worker is news the parent must see now. */
    public void send(FrameType type, long requestId, Codec codec) throws IOException {
        writer.write(type, requestId, codec.buffer(), codec.length());
        writer.flush();
    }

    /** Sends a message without payload (a {@link Message.Signal}). */
    public void signal(Message.Signal signal, long requestId) throws IOException {
        writer.write(signal.type(), requestId, NO_BYTES, 0);
        writer.flush();
    }

    public void send(Message message, long requestId, Codec codec) throws IOException {
        codec.begin();
        message.write(codec);
        send(message.type(), requestId, codec);
    }

    /**
     * Calls a service of the parent and waits for its answer.
     *
     * @param timeoutNanos negative: no limit
     * @throws IllegalArgumentException when the argument cannot be serialized (nothing is sent)
     * @throws RemoteFailure when the service failed; its {@code remote()} says how
     * @throws TimeoutException when no answer came in time (the call is forgotten; a late answer gets an ERROR)
     */
    public Object call(int service, Object argument, long timeoutNanos)
            throws InterruptedException, TimeoutException {
        long id = start(service, argument);
        try {
            return valueOf(finish(id, timeoutNanos, true));
        } finally {
            calls.forget(id);
        }
    }

    /** Sends a CALL and returns its id, for {@link #finish}. */
    public long start(int service, Object argument) {
        Codec codec = codecs.borrow();
        long id = calls.open();
        try {
            codec.begin();
            codec.writeObject(argument); // fails here, before anything is sent, if it cannot travel
            send(new Message.Call(service, argument, null), id, codec);
            return id;
        } catch (WireException e) {
            calls.forget(id);
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            calls.forget(id);
            throw new UncheckedIOException("the parent JVM is gone", e);
        } finally {
            codecs.release(codec);
        }
    }

    /** Sends a CALL whose answer nobody waits for (request id 0: the parent does not reply). */
    public void tell(int service, Object argument) {
        Codec codec = codecs.borrow();
        try {
            codec.begin();
            new Message.Call(service, argument, null).write(codec);
            send(FrameType.CALL, 0, codec);
        } catch (IOException e) {
            // the parent is gone: there is nobody to tell
        } finally {
            codecs.release(codec);
        }
    }

    /**
     * Waits for the REPLY of call {@code id}; {@code interruptible} false waits through interrupts (and leaves the
     * thread's interrupt flag set). The call stays open after an interrupt or a timeout.
     */
    public Message.Reply finish(long id, long timeoutNanos, boolean interruptible)
            throws InterruptedException, TimeoutException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    Frame frame = calls.await(id, timeoutNanos);
                    Codec codec = codecs.borrow();
                    try {
                        return (Message.Reply) Message.read(frame, codec);
                    } finally {
                        codecs.release(codec);
                    }
                } catch (InterruptedException e) {
                    if (interruptible) {
                        throw e;
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Hands the REPLY of call {@code id} to {@code then} when it comes, on the reader's thread. */
    public void whenAnswered(long id, java.util.function.Consumer<Message.Reply> then) {
        calls.whenArrived(id, frame -> {
            Codec codec = codecs.borrow();
            try {
                then.accept((Message.Reply) Message.read(frame, codec));
            } finally {
                codecs.release(codec);
                calls.forget(id);
            }
        });
    }

    public void forget(long id) {
        calls.forget(id);
    }

    private static Object valueOf(Message.Reply reply) {
        if (reply.failure() != null) {
            throw new RemoteFailure(reply.failure());
        }
        return reply.value();
    }

    /** A parent's service answered a call with a failure. */
    public static final class RemoteFailure extends RuntimeException {
        private final transient RemoteThrowable remote;

        RemoteFailure(RemoteThrowable remote) {
            super(remote.toString(), null, false, false);
            this.remote = remote;
        }

        public RemoteThrowable remote() {
            return remote;
        }
    }
}
