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
        Codec codec = codecs.borrow();
        long id = calls.open();
        try {
            codec.begin();
            codec.writeObject(argument); // fails here, before anything is sent, if it cannot travel
            send(new Message.Call(service, argument, null), id, codec);
            Message.Reply reply = (Message.Reply) Message.read(calls.await(id, timeoutNanos), codec);
            if (reply.failure() != null) {
                throw new RemoteFailure(reply.failure());
            }
            return reply.value();
        } catch (WireException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the parent JVM is gone", e);
        } finally {
            calls.forget(id);
            codecs.release(codec);
        }
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
