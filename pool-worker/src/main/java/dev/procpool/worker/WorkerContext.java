package dev.procpool.worker;

/** Facts about the worker process a task or initializer is running in. */
public final class WorkerContext {
    private static volatile WorkerContext current;

    private final int workerId;
    private volatile long tasksCompleted;

    private WorkerContext(int workerId) {
        this.workerId = workerId;
    }

    /**
     * The context of this worker process.
     *
     * @throws IllegalStateException when called outside a worker JVM (for example in the supervisor)
     */
    public static WorkerContext current() {
        WorkerContext context = current;
        if (context == null) {
            throw new IllegalStateException("WorkerContext.current() is only available inside a procpool worker");
        }
        return context;
    }

    /** The slot index, 0 .. workers-1. A replacement worker keeps the slot of the worker it replaces. */
    public int workerId() {
        return workerId;
    }

    /**
     * Tasks this worker process has completed so far (successfully or not). A task is one apply call or one chunk
     * of a map, the same unit that {@code maxTasksPerChild} counts.
     */
    public long tasksCompleted() {
        return tasksCompleted;
    }

    static WorkerContext install(int workerId) {
        WorkerContext context = new WorkerContext(workerId);
        current = context;
        return context;
    }

    void taskCompleted() {
        tasksCompleted++; // written by the worker's single task thread only
    }
}
