package dev.procpool.worker;

import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Message.ItemFailure;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Values;
import dev.procpool.protocol.WireException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs chunks: keeps the task functions the supervisor defined, applies one to each input of a RUN, and makes the
 * RESULT. A failing item never stops the others. Used by one thread at a time (whichever runs frames).
 */
final class ChunkRunner {
    private final Map<Long, Function> functions = new HashMap<>();
    private long lastId = -1; // the function of the last RUN: most chunks follow one of the same function
    private Function last;
    private final WorkerContext context;
    private final long maxMemoryBytes;

    ChunkRunner(WorkerContext context, long maxMemoryBytes) {
        this.context = context;
        this.maxMemoryBytes = maxMemoryBytes;
    }

    void define(Message.Define define, Codec codec) {
        lastId = -1;
        functions.remove(define.forget());
        try {
            functions.put(define.id(), new Function((Task<?, ?>) codec.fromBytes(define.function()), null));
        } catch (WireException | ClassCastException e) {
            functions.put(define.id(), new Function(null, "cannot deserialize the task: " + e.getMessage()));
            System.err.println("procpool worker: cannot deserialize a task; its tasks fail with:");
            e.printStackTrace(); // the whole chain, for a failure the message alone may not explain
        }
    }

    /** The RESULT of a RUN; {@code retiring} when this JVM may be damaged or is over its memory limit. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Message.Result run(Message.Run run, Codec codec) {
        Values inputs = run.inputs().values();
        Object[] values = new Object[inputs.size()];
        ItemFailure[] failures = null; // made only when an item fails
        Function function = run.functionId() == lastId ? last : functions.get(run.functionId());
        lastId = function == null ? -1 : run.functionId();
        last = function;
        String chunkProblem = function == null ? "unknown task function (protocol error)" : function.problem;
        boolean damaged = codec.sawError();
        for (int i = 0; i < values.length; i++) {
            String problem = chunkProblem != null ? chunkProblem : run.inputs().problem(i);
            if (problem != null) {
                failures = failures == null ? new ItemFailure[values.length] : failures;
                failures[i] = new ItemFailure(null, chunkProblem != null ? problem : "input " + i
                        + " of the chunk: " + problem);
                continue;
            }
            try {
                values[i] = ((Task) function.task).apply(inputs.get(i));
            } catch (Throwable t) {
                failures = failures == null ? new ItemFailure[values.length] : failures;
                failures[i] = new ItemFailure(RemoteThrowable.of(t), null);
                damaged |= t instanceof VirtualMachineError || t instanceof LinkageError;
            }
        }
        context.taskCompleted();
        return new Message.Result(Values.of(values), failures, damaged || overMemoryLimit());
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

    /** A task function received from the supervisor, or why it could not be rebuilt here. */
    private record Function(Task<?, ?> task, String problem) {
    }
}
