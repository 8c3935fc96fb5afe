package dev.procpool.internal;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.SerializationException;
import dev.procpool.WorkerStartException;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Frame;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameType;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Wire;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker JVM and the four supervisor threads that serve it, each ending with the process:
 * {@code -process} launches it through Commons Exec and waits for its exit, {@code -stdout} reads its frames,
 * {@code -stderr} forwards its stderr lines to SLF4J, {@code -stdin} (once it is ready) writes chunks to it.
 * Fields marked "lock" are guarded by the supervisor's lock.
 */
final class WorkerProcess {
    /** Worker stderr is logged under this name, each line prefixed with the worker's slot and pid. */
    static final Logger STDERR_LOG = LoggerFactory.getLogger("dev.procpool.worker.stderr");
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
    private static final int MAX_PIPELINE = 32;
    private static final long FAST_TASK_NANOS = 200_000;
    private static final int KNOWN_FUNCTIONS = 256;
    private static final int STDERR_TAIL_LINES = 20;
    private static final int STDERR_TAIL_LINE_CHARS = 500;
    private static final long STREAM_DRAIN_SECONDS = 5;
    private static final byte[] NO_BYTES = new byte[0];

    private final Supervisor owner;
    final int slot;
    final String name;

    final ArrayDeque<Chunk> inFlight = new ArrayDeque<>(); // lock
    final ArrayDeque<Chunk> toRevoke = new ArrayDeque<>(); // lock: REVOKE frames the stdin thread must send
    final Condition wake; // lock: signalled when this worker may take work or must stop
    int dispatched; // lock
    long ticketsIssued; // lock: see Supervisor.Work
    boolean ready; // lock
    boolean retiring; // lock: takes no more work, exits when its in-flight work is done
    boolean retireAnnounced; // lock: the worker itself said it exits after its last result
    boolean endOfInputSent; // lock: it was told to exit
    boolean gone; // lock

    final CompletableFuture<Void> readyFuture = new CompletableFuture<>();
    private volatile Process process;
    private volatile boolean killRequested;
    private volatile long pid = -1;
    private volatile Throwable startFailure;
    private volatile Throwable streamProblem;
    private volatile Throwable killedFor; // why the pool killed it, when it did
    private volatile Chunk killedTarget; // the chunk it was killed for, null for any
    private volatile long lastHeard = System.nanoTime(); // any frame counts as a sign of life
    private volatile long taskNanos = Long.MAX_VALUE; // moving average of chunk service time
    private long lastResultAt;

    private OutputStream stdin;
    private InputStream stdout;
    private InputStream stderr;
    private FrameWriter writer;
    private final Codec readCodec;
    private final Codec writeCodec;
    private final CountDownLatch stdoutDone = new CountDownLatch(1);
    private final CountDownLatch stderrDone = new CountDownLatch(1);
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final Map<Long, Boolean> knownFunctions = new LinkedHashMap<>(16, 0.75f, true); // sendLock
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Condition nextTicket = sendLock.newCondition();
    private long ticketsWritten; // sendLock

    WorkerProcess(Supervisor owner, int slot, String name, Condition wake) {
        this.owner = owner;
        this.slot = slot;
        this.name = name;
        this.wake = wake;
        this.readCodec = new Codec(owner.config.classLoader(), owner.config.maxFrameBytes());
        this.writeCodec = new Codec(owner.config.classLoader(), owner.config.maxFrameBytes());
    }

    long pid() {
        return pid;
    }

    /** Starts the process; everything after happens on this worker's threads. */
    void launch() {
        daemon(this::runProcess, "process").start();
    }

    private Thread daemon(Runnable body, String role) {
        Thread thread = new Thread(body, name + "-" + role);
        thread.setDaemon(true);
        return thread;
    }

    private void runProcess() {
        WorkerCommand.Launch launch = owner.config.command().next();
        List<String> command = launch.arguments();
        CommandLine commandLine = new CommandLine(command.get(0));
        for (String argument : command.subList(1, command.size())) {
            commandLine.addArgument(argument, false);
        }
        DefaultExecutor executor = new LaunchingExecutor();
        executor.setStreamHandler(new Streams());
        executor.setExitValues(null); // every exit code is an outcome, not an error
        int exitCode = -1;
        try {
            exitCode = executor.execute(commandLine);
        } catch (IOException e) {
            startFailure = new WorkerStartException("cannot launch worker " + slot + " with " + command
                    + ": " + e.getMessage(), e);
        }
        owner.config.command().exited(launch, exitCode);
        if (owner.config.command().ownProcessGroup() && pid > 0) {
            // what its tasks started, even if it died too abruptly to clean up, or its parent chain was broken
            ProcessGroups.killGroup(pid);
        }
        owner.workerGone(this, exitCode);
    }

    /** Commons Exec hides the Process; the pool needs it to kill the worker and its descendants. */
    private final class LaunchingExecutor extends DefaultExecutor {
        @SuppressWarnings("deprecation") // the builder's constructor is package-private; subclasses must use this
        LaunchingExecutor() {
            super();
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
            Process launched = super.launch(command, env, dir);
            process = launched;
            pid = launched.pid();
            if (killRequested) {
                kill();
            }
            return launched;
        }
    }

    private final class Streams implements ExecuteStreamHandler {
        @Override
        public void setProcessInputStream(OutputStream os) {
            stdin = os;
        }

        @Override
        public void setProcessOutputStream(InputStream is) {
            stdout = is;
        }

        @Override
        public void setProcessErrorStream(InputStream is) {
            stderr = is;
        }

        @Override
        public void start() {
            writer = new FrameWriter(stdin);
            daemon(WorkerProcess.this::readFrames, "stdout").start();
            daemon(WorkerProcess.this::forwardStderr, "stderr").start();
        }

        /** Called after the process exited; frames still in the pipe must be read before its streams close. */
        @Override
        public void stop() {
            try {
                if (!stdoutDone.await(STREAM_DRAIN_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("{}: stdout still open {} s after exit (a descendant holds it?)", name,
                            STREAM_DRAIN_SECONDS);
                }
                stderrDone.await(STREAM_DRAIN_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Kills the worker for a reason that becomes the failure of {@code target}, if that is still the chunk it runs
     * when it dies (null: whatever it runs); otherwise the chunk it ran was innocent and is run again elsewhere.
     */
    void kill(Throwable reason, Chunk target) {
        if (killedFor == null) {
            killedTarget = target;
            killedFor = reason;
        }
        kill();
    }

    /** Kills the worker and its descendants (a task's child processes must not outlive it). */
    void kill() {
        killRequested = true;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    // ---- stdout: handshake, then results ----

    private void readFrames() {
        FrameReader reader = new FrameReader(stdout, owner.config.maxFrameBytes(), true);
        try {
            if (handshake(reader)) {
                for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                    lastHeard = System.nanoTime();
                    switch (frame.type()) {
                        case RESULT -> onResult(frame);
                        case REVOKED -> owner.revoked(this, frame.requestId());
                        case RUNNING -> owner.tooLateToRevoke(this, frame.requestId());
                        case HEARTBEAT -> { }
                        default -> throw new IOException("unexpected " + frame.type() + " frame from the worker");
                    }
                }
            }
        } catch (EOFException e) {
            streamProblem = e; // the process died mid-frame
        } catch (IOException | RuntimeException e) {
            streamProblem = e;
            kill(); // its stream can no longer be trusted
        } finally {
            stdoutDone.countDown();
        }
        awaitExitOrKill();
    }

    /** True when the worker is ready for tasks. */
    private boolean handshake(FrameReader reader) throws IOException {
        Frame hello = reader.read();
        if (hello == null) {
            return false;
        }
        if (hello.type() != FrameType.HELLO) {
            throw new IOException("expected HELLO from the worker, got " + hello.type());
        }
        Input in = readCodec.open(hello);
        int version = in.readInt();
        if (version != Wire.PROTOCOL_VERSION) {
            throw new IOException("worker speaks protocol " + version + ", supervisor " + Wire.PROTOCOL_VERSION
                    + ": mixed procpool versions on the classpath?");
        }
        byte[] initializer = owner.config.initializer();
        Output out = readCodec.begin();
        out.writeVarInt(slot, true);
        out.writeVarLong(Math.max(1, TimeUnit.NANOSECONDS.toMillis(owner.config.heartbeatTimeoutNanos()) / 4), true);
        out.writeVarLong(owner.config.maxMemoryPerChild(), true);
        out.writeInt(owner.config.maxFrameBytes());
        out.writeBoolean(initializer != null);
        if (initializer != null) {
            out.writeVarInt(initializer.length, true);
            out.writeBytes(initializer);
        }
        writer.write(FrameType.INIT, 0, readCodec.buffer(), readCodec.length());
        writer.flush();

        Frame answer = reader.read();
        if (answer == null) {
            return false;
        }
        if (answer.type() == FrameType.INIT_FAILED) {
            Throwable cause = Throwables.rebuild(RemoteThrowable.read(readCodec.open(answer)),
                    owner.config.classLoader());
            startFailure = new WorkerStartException("the initializer threw in worker " + slot + " (pid " + pid
                    + "): " + cause, cause);
            return false;
        }
        lastHeard = System.nanoTime();
        if (answer.type() != FrameType.READY) {
            throw new IOException("expected READY from the worker, got " + answer.type());
        }
        owner.workerReady(this);
        daemon(this::feed, "stdin").start();
        return true;
    }

    private void onResult(Frame frame) {
        Chunk chunk = owner.resultArrived(this, frame.requestId());
        long now = System.nanoTime();
        long serviceNanos = now - Math.max(chunk.dispatchedAt, lastResultAt);
        lastResultAt = now;
        taskNanos = taskNanos == Long.MAX_VALUE ? serviceNanos : (taskNanos * 7 + serviceNanos) / 8;

        Input in = readCodec.open(frame);
        byte flags = in.readByte();
        Codec.Items results = readCodec.readItems();
        Object[] values = results.values();
        int count = values.length;
        Throwable[] failures = null;
        if (results.failedAt() >= 0) {
            // the rest of this payload cannot be trusted after a failed read
            failures = new Throwable[count];
            for (int i = results.failedAt(); i < count; i++) {
                failures[i] = new SerializationException("result of input " + (chunk.firstIndex + i) + ": "
                        + results.failure().getMessage(), results.failure());
            }
        } else {
            for (int n = in.readVarInt(true); n > 0; n--) {
                int i = in.readVarInt(true);
                byte kind = in.readByte();
                failures = failures == null ? new Throwable[count] : failures;
                failures[i] = kind == Wire.ITEM_TASK_FAILED
                        ? Throwables.rebuild(RemoteThrowable.read(in), owner.config.classLoader())
                        : new SerializationException(in.readString(), null);
            }
        }
        if ((flags & Wire.RESULT_WORKER_RETIRING) != 0) {
            owner.retireAnnounced(this);
        }
        owner.deliver(chunk, values, failures);
    }

    private void awaitExitOrKill() {
        Process p = process;
        try {
            if (p != null && !p.waitFor(STREAM_DRAIN_SECONDS, TimeUnit.SECONDS)) {
                kill(); // it closed its stdout but lives on: it can no longer serve
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- stdin: chunks to the worker ----

    private void feed() {
        try {
            Supervisor.Work work = owner.takeWork(this);
            while (work != null && !work.end()) {
                write(work);
                work = owner.takeWork(this);
            }
            if (work != null) {
                write(work); // end of stdin: the worker exits cleanly
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes work in ticket order; called by this worker's stdin thread and by submitting threads. */
    void write(Supervisor.Work work) {
        sendLock.lock();
        try {
            while (ticketsWritten != work.ticket()) {
                nextTicket.awaitUninterruptibly();
            }
            try {
                for (Chunk chunk : work.revoke()) {
                    writer.write(FrameType.REVOKE, chunk.requestId, NO_BYTES, 0);
                }
                for (Chunk chunk : work.run()) {
                    send(chunk);
                }
                if (work.end()) {
                    writer.close();
                } else {
                    writer.flush();
                }
            } catch (IOException e) {
                // the worker died; the stdout reader and the process thread report it
            } finally {
                ticketsWritten++;
                nextTicket.signalAll();
            }
        } finally {
            sendLock.unlock();
        }
    }

    private void send(Chunk chunk) throws IOException {
        Output out = writeCodec.begin();
        out.writeLong(chunk.function.id());
        String[] problems = writeCodec.writeItems(chunk.inputs);
        if (problems != null) {
            for (int i = 0; i < problems.length; i++) {
                if (problems[i] != null) {
                    owner.notSent(this, chunk, new SerializationException("input " + (chunk.firstIndex + i) + ": "
                            + problems[i], null));
                    return;
                }
            }
        }
        byte[] payload = writeCodec.buffer();
        int length = writeCodec.length();
        define(chunk.function);
        writer.write(FrameType.RUN, chunk.requestId, payload, length);
    }

    /** Sends the function the first time this worker needs it, evicting the least recently used one past a bound. */
    private void define(FunctionRef function) throws IOException {
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
        byte[] bytes = function.bytes();
        byte[] define = new byte[8 + 8 + 5 + bytes.length];
        Output out = new Output(define);
        out.writeLong(function.id());
        out.writeLong(forget);
        out.writeVarInt(bytes.length, true);
        out.writeBytes(bytes);
        writer.write(FrameType.DEFINE, 0, define, out.position());
    }

    /**
     * How many more chunks this worker may hold (lock). One at a time while tasks are slow or of unknown length, so
     * that work spreads evenly; a pipeline when they are fast, so that the pipe round trip does not dominate.
     */
    int room() {
        if (!ready || retiring || gone) {
            return 0;
        }
        if (taskNanos >= FAST_TASK_NANOS) {
            return inFlight.isEmpty() ? 1 : 0;
        }
        return MAX_PIPELINE - inFlight.size();
    }

    // ---- stderr ----

    private void forwardStderr() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                STDERR_LOG.info("[worker {} pid {}] {}", slot, pid, line);
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_TAIL_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line.length() > STDERR_TAIL_LINE_CHARS
                            ? line.substring(0, STDERR_TAIL_LINE_CHARS) + "..." : line);
                }
            }
        } catch (IOException e) {
            // stream closed after exit
        } finally {
            stderrDone.countDown();
        }
    }

    /** The last lines the worker wrote to stderr, for failure messages. */
    String stderrTail() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "(stderr was empty)" : "last stderr lines:\n  " + String.join("\n  ", stderrTail);
        }
    }

    Throwable startFailure() {
        return startFailure;
    }

    Throwable streamProblem() {
        return streamProblem;
    }

    boolean killRequested() {
        return killRequested;
    }

    Throwable killedFor() {
        return killedFor;
    }

    Chunk killedTarget() {
        return killedTarget;
    }

    long lastHeard() {
        return lastHeard;
    }
}
