package dev.procpool.worker;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Frame;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameType;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Wire;
import dev.procpool.protocol.WireException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The main class of a worker JVM. It speaks the protocol on fd 0 and fd 1 and runs tasks one at a time, in the order
 * they arrive, on the main thread or on the thread {@code procpool-worker} (per-worker state therefore belongs in
 * static fields, not ThreadLocals). Started by the supervisor, never by users.
 */
public final class WorkerMain {
    private static final byte[] NO_BYTES = new byte[0];

    private final FrameWriter writer;
    private final Codec codec;
    private final ReentrantLock readRole = new ReentrantLock(); // held by the thread reading stdin
    private final ArrayDeque<Frame> pending = new ArrayDeque<>(); // frames read and not yet run; guards itself
    private boolean running; // guarded by pending: a thread is running frames
    private final Map<Long, Function> functions = new HashMap<>();
    private WorkerContext context;
    private long maxMemoryBytes;
    private volatile long runningRequest = -1; // the RUN being executed, for REVOKE

    private WorkerMain(FrameWriter writer, Codec codec) {
        this.writer = writer;
        this.codec = codec;
    }

    public static void main(String[] args) throws IOException {
        // fd 1 belongs to the protocol: take it before anything can print, then send System.out to stderr.
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        // Child processes a task started do not outlive this worker, whichever way it exits (System.exit included).
        Runtime.getRuntime().addShutdownHook(new Thread(WorkerMain::killDescendants, "procpool-worker-reaper"));
        FrameWriter writer = new FrameWriter(protocolOut);
        FrameReader reader = new FrameReader(new FileInputStream(FileDescriptor.in), Wire.DEFAULT_MAX_FRAME_BYTES);
        Codec codec = new Codec(Thread.currentThread().getContextClassLoader(), Wire.DEFAULT_MAX_FRAME_BYTES);
        new WorkerMain(writer, codec).run(reader);
    }

    private void run(FrameReader reader) throws IOException {
        Output hello = codec.begin();
        hello.writeInt(Wire.PROTOCOL_VERSION);
        hello.writeLong(ProcessHandle.current().pid());
        send(FrameType.HELLO, 0);
        writer.flush();

        Frame init = reader.read();
        if (init == null || init.type() != FrameType.INIT) {
            System.err.println("procpool worker: expected INIT, got " + (init == null ? "end of input" : init.type()));
            System.exit(2);
        }
        initialize(init);
        serveOnTwoThreads(reader);
    }

    private void initialize(Frame init) throws IOException {
        Input in = codec.open(init);
        int workerId = in.readVarInt(true);
        long heartbeatMillis = in.readVarLong(true);
        maxMemoryBytes = in.readVarLong(true);
        int maxFrameBytes = in.readInt();
        byte[] initializerBytes = in.readBoolean() ? in.readBytes(in.readVarInt(true)) : null;
        codec.maxFrameBytes(maxFrameBytes);
        context = WorkerContext.install(workerId);
        startHeartbeat(heartbeatMillis);
        if (initializerBytes != null) {
            try {
                ((Initializer) codec.fromBytes(initializerBytes)).run();
            } catch (Throwable t) {
                Output out = codec.begin();
                RemoteThrowable.of(t).write(out);
                send(FrameType.INIT_FAILED, 0);
                writer.flush();
                System.exit(1);
            }
        }
        codec.begin();
        send(FrameType.READY, 0);
        writer.flush();
    }

    /** Tells the supervisor this JVM still runs threads, even while a task runs: a stopped JVM goes silent. */
    private void startHeartbeat(long intervalMillis) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(body -> {
            Thread thread = new Thread(body, "procpool-worker-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                writer.write(FrameType.HEARTBEAT, 0, NO_BYTES, 0);
                writer.flush();
            } catch (IOException e) {
                timer.shutdown(); // the supervisor is gone; the stdin reader ends this process
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Leader/follower on two threads, so that a task runs on the thread that read it (no hand-over on the way) while
     * stdin is still read during long tasks: the end of input then means the supervisor died, and REVOKE frames
     * are answered. Whichever thread reads a frame runs it unless the other is running frames, in which case the
     * frame waits in {@code pending}; frames always run one at a time, in order.
     */
    private void serveOnTwoThreads(FrameReader reader) {
        Thread second = new Thread(() -> serve(reader), "procpool-worker");
        second.setDaemon(true);
        second.start();
        serve(reader);
    }

    private void serve(FrameReader reader) {
        while (true) {
            boolean runHere = false;
            readRole.lock();
            try {
                Frame frame = reader.read();
                if (frame == null) {
                    endOfInput();
                } else if (frame.type() == FrameType.REVOKE) {
                    revoke(frame.requestId());
                } else {
                    synchronized (pending) { // before the other thread may read the next frame: order is kept
                        pending.addLast(frame);
                        runHere = !running;
                        running = true;
                    }
                }
            } catch (IOException e) {
                System.err.println("procpool worker: cannot read from the supervisor: " + e);
                endOfInput();
            } finally {
                readRole.unlock();
            }
            if (runHere) {
                runPending();
            }
        }
    }

    private void runPending() {
        while (true) {
            Frame frame;
            synchronized (pending) {
                frame = pending.pollFirst();
                if (frame == null) {
                    running = false;
                    return;
                }
            }
            try {
                boolean retiring = switch (frame.type()) {
                    case DEFINE -> define(frame);
                    case RUN -> runChunk(frame);
                    default -> throw new IOException("unexpected frame from the supervisor: " + frame.type());
                };
                if (frame.type() == FrameType.RUN) {
                    // Every result leaves before the next task starts: should that task crash or hang, the
                    // supervisor must already know which tasks are done, or it would blame and rerun them.
                    writer.flush();
                }
                if (retiring) {
                    System.exit(0);
                }
            } catch (IOException e) {
                System.err.println("procpool worker: cannot write to the supervisor: " + e);
                endOfInput();
            }
        }
    }

    private void endOfInput() {
        boolean busy;
        synchronized (pending) {
            busy = running;
        }
        if (busy) {
            // The supervisor closes stdin only when this worker is idle, so this is its death: stop now.
            killDescendants();
            Runtime.getRuntime().halt(0);
        }
        try {
            writer.flush();
        } catch (IOException e) {
            // nobody is listening any more
        }
        System.exit(0);
    }

    private static void killDescendants() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** Gives a RUN back unstarted, so that an idle worker can take it; too late once the task thread took it. */
    private void revoke(long requestId) {
        boolean removed;
        synchronized (pending) {
            removed = pending.removeIf(frame -> frame.type() == FrameType.RUN && frame.requestId() == requestId);
        }
        boolean started = !removed && runningRequest == requestId;
        if (removed || started) {
            try {
                writer.write(removed ? FrameType.REVOKED : FrameType.RUNNING, requestId, NO_BYTES, 0);
                writer.flush();
            } catch (IOException e) {
                endOfInput();
            }
        }
    }

    private boolean define(Frame frame) {
        Input in = codec.open(frame);
        long id = in.readLong();
        long forget = in.readLong();
        byte[] bytes = in.readBytes(in.readVarInt(true));
        functions.remove(forget);
        try {
            functions.put(id, new Function((Task<?, ?>) codec.fromBytes(bytes), null));
        } catch (WireException | ClassCastException e) {
            functions.put(id, new Function(null, "cannot deserialize the task: " + e.getMessage()));
        }
        return false;
    }

    /**
     * Runs the function over every input of the chunk and answers with one RESULT: the values (null where an item
     * failed), then the failures by index. A failing item does not stop the others.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean runChunk(Frame frame) throws IOException {
        runningRequest = frame.requestId();
        Input in = codec.open(frame);
        Function function = functions.get(in.readLong());
        Codec.Items inputs = codec.readItems();
        Object[] values = inputs.values();
        int count = values.length;
        String inputProblem = function == null ? "unknown task function (protocol error)" : function.problem;
        if (inputProblem == null && inputs.failedAt() >= 0) {
            inputProblem = "input " + inputs.failedAt() + " of the chunk: " + inputs.failure().getMessage();
        }
        Throwable[] failures = null;
        boolean retiring = false;
        for (int i = 0; i < count && inputProblem == null; i++) {
            try {
                values[i] = ((Task) function.task).apply(values[i]);
            } catch (Throwable t) {
                values[i] = null;
                failures = failures == null ? new Throwable[count] : failures;
                failures[i] = t;
                retiring |= t instanceof VirtualMachineError;
            }
        }

        Output out = codec.begin();
        out.writeByte(0); // flags, set below
        String[] notSerializable = inputProblem == null ? codec.writeItems(values) : codec.writeItems(new Object[count]);
        int failed = 0;
        for (int i = 0; i < count; i++) {
            failed += inputProblem != null || (failures != null && failures[i] != null)
                    || (notSerializable != null && notSerializable[i] != null) ? 1 : 0;
        }
        out.writeVarInt(failed, true);
        for (int i = 0; i < count; i++) {
            if (inputProblem != null) {
                writeNotSerializable(out, i, inputProblem);
            } else if (failures != null && failures[i] != null) {
                out.writeVarInt(i, true);
                out.writeByte(Wire.ITEM_TASK_FAILED);
                RemoteThrowable.of(failures[i]).write(out);
            } else if (notSerializable != null && notSerializable[i] != null) {
                writeNotSerializable(out, i, "result: " + notSerializable[i]);
            }
        }
        if (retiring || overMemoryLimit()) {
            codec.buffer()[0] = Wire.RESULT_WORKER_RETIRING;
            retiring = true;
        }
        context.taskCompleted();
        runningRequest = -1;
        send(FrameType.RESULT, frame.requestId());
        return retiring;
    }

    /**
     * Resident set size, not heap: it is what the machine pays for, and it also grows with native leaks, direct
     * buffers and a heap that expanded and never shrinks back. Falls back to used heap where /proc is missing.
     */
    private boolean overMemoryLimit() {
        if (maxMemoryBytes <= 0) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return kib * 1024 > maxMemoryBytes;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: judge by the heap
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory() > maxMemoryBytes;
    }

    private static void writeNotSerializable(Output out, int index, String message) {
        out.writeVarInt(index, true);
        out.writeByte(Wire.ITEM_NOT_SERIALIZABLE);
        out.writeString(message);
    }

    private void send(FrameType type, long requestId) throws IOException {
        writer.write(type, requestId, codec.buffer(), codec.length());
    }

    /** A task function received from the supervisor, or why it could not be rebuilt here. */
    private record Function(Task<?, ?> task, String problem) {
    }
}
