package dev.procpool.internal;

import dev.procpool.SerializationException;
import dev.procpool.objects.Transit;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Message;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything written to one worker. The scheduler's messages are queued in decision order (under the supervisor's
 * lock, without I/O) and written by whichever thread calls {@link #flush()} next: a submitting thread, the worker's
 * reader, a canceller. Whoever holds the write lock writes what others queued meanwhile, so nothing waits for a
 * ticket and nothing queued is left behind.
 *
 * <p>Lock order: {@code writeLock} before the supervisor's lock (a failed send reports back under it); the
 * supervisor's lock is never held while taking {@code writeLock}. The queue's monitor is taken last, under either,
 * and nothing is taken under it.
 */
final class Outbox {
    /** END asks the child to exit; CLOSE ends its input once it said GOODBYE (its blocked read then returns). */
    enum Kind { RUN, REVOKE, END, CLOSE }

    record Item(Kind kind, Chunk chunk) {
    }

    /** Told when a chunk could not be written because its inputs do not serialize. */
    interface Listener {
        void notSent(Chunk chunk, Throwable failure);
    }

    private static final int KNOWN_FUNCTIONS = 256;

    /** Queued under the supervisor's lock, taken under writeLock; guarded by its own monitor. */
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final FrameWriter writer;
    private final Codec codec; // writeLock
    private final Listener listener;
    private final Map<Long, Boolean> knownFunctions = new LinkedHashMap<>(16, 0.75f, true); // writeLock
    private long lastDefined = -1; // writeLock: the function of the last RUN, known to the worker
    private boolean broken; // writeLock: the worker no longer reads
    /** The child's identity: shared-object handles written to it count as given to it (boxed once, not per flush). */
    private final Long childToken;
    private final WriterThread writerThread;

    Outbox(String name, FrameWriter writer, Codec codec, Listener listener, long childToken) {
        this.writerThread = new WriterThread(name + "-writer", this::flush);
        this.childToken = childToken;
        this.writer = writer;
        this.codec = codec;
        this.listener = listener;
    }

    /** Queues a message; no I/O. */
    void add(Item item) {
        synchronized (queue) {
            queue.addLast(item);
        }
    }

    private boolean nothingQueued() {
        synchronized (queue) {
            return queue.isEmpty();
        }
    }

    private Item nextQueued() {
        synchronized (queue) {
            return queue.pollFirst();
        }
    }

    /** Writes what is queued, unless another thread is writing (it then writes this too). */
    void flush() {
        while (!nothingQueued()) {
            if (!writeLock.tryLock()) {
                return; // the holder looks at the queue again after it unlocks
            }
            try {
                writeQueued();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Has what is queued written by this outbox's own thread: the caller goes on (to its next chunk, say). */
    void flushOnItsThread() {
        writerThread.request();
    }

    /** The child said GOODBYE: its input ends after what is queued, so that its blocked read returns. */
    void endInput() {
        add(new Item(Kind.CLOSE, null));
        flush();
    }

    /** The worker is gone: the outbox's thread, if it has one, ends. */
    void close() {
        writerThread.close();
    }

    /** Writes one message now, outside the queue's order (handshake, replies to calls, errors). */
    void writeNow(Message message, long requestId) {
        writeLock.lock();
        try {
            if (!broken) {
                codec.begin();
                message.write(codec);
                writer.write(message.type(), requestId, codec.buffer(), codec.length());
                flushWriter();
            }
        } catch (IOException e) {
            broken = true; // the worker died: its reader and process thread report it
        } finally {
            writeLock.unlock();
        }
    }

    /** Under writeLock: everything queued, then one flush of the pipe. */
    private void writeQueued() {
        codec.destination(childToken); // handles in the inputs count as given to this child
        try {
            for (Item item = nextQueued(); item != null; item = nextQueued()) {
                write(item);
            }
        } finally {
            codec.destination(null);
        }
        flushWriter();
    }

    private void write(Item item) {
        if (broken) {
            return;
        }
        try {
            switch (item.kind()) {
                case RUN -> send(item.chunk());
                case REVOKE -> writer.write(Message.Signal.REVOKE.type(), item.chunk().requestId, codec.buffer(), 0);
                case END -> writer.write(Message.Signal.END.type(), 0, codec.buffer(), 0);
                case CLOSE -> {
                    broken = true; // nothing more for a child that is ending
                    writer.close();
                }
            }
        } catch (IOException e) {
            broken = true;
        }
    }

    private void flushWriter() {
        try {
            writer.flush();
        } catch (IOException e) {
            broken = true;
        }
    }

    private void send(Chunk chunk) throws IOException {
        define(chunk.function); // first, harmless if the inputs then fail: the worker keeps it for the next chunk
        Message.Run run = Message.Run.of(chunk.function.id(), chunk.inputs);
        codec.begin();
        String problem;
        try {
            problem = firstProblem(chunk, run.writeReporting(codec));
        } catch (RuntimeException e) { // the inputs together exceed the frame limit, say
            problem = "inputs " + chunk.firstIndex + ".." + (chunk.firstIndex + chunk.size() - 1) + ": " + e;
        }
        if (problem != null) {
            listener.notSent(chunk, new SerializationException(problem, null));
            return;
        }
        chunk.dispatchedAt = System.nanoTime();
        writer.write(run.type(), chunk.requestId, codec.buffer(), codec.length());
    }

    private static String firstProblem(Chunk chunk, String[] problems) {
        for (int i = 0; problems != null && i < problems.length; i++) {
            if (problems[i] != null) {
                return chunk.inputName(i) + ": " + problems[i];
            }
        }
        return null;
    }

    /** Sends the function the first time this worker needs it, evicting the least recently used one past a bound. */
    private void define(FunctionRef function) throws IOException {
        if (function.id() == lastDefined) {
            return; // most chunks follow one of the same function: no lookup, no boxing
        }
        lastDefined = function.id();
        if (knownFunctions.get(function.id()) != null) {
            return;
        }
        long forget = -1;
        if (knownFunctions.size() >= KNOWN_FUNCTIONS) {
            Long eldest = knownFunctions.keySet().iterator().next();
            knownFunctions.remove(eldest);
            forget = eldest;
        }
        knownFunctions.put(function.id(), Boolean.TRUE);
        Transit.given(childToken, function.handles());
        Message.Define define = new Message.Define(function.id(), forget, function.bytes());
        codec.begin();
        define.write(codec);
        writer.write(define.type(), 0, codec.buffer(), codec.length());
    }
}
