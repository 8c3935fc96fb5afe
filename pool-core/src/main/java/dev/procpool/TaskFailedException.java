package dev.procpool;

/**
 * Thrown by the blocking calls ({@code apply}, {@code map}, an {@code imap} iterator's {@code next}) when a task
 * failed. {@link #getCause()} is the failure itself: the task's own exception rebuilt here, a
 * {@link RemoteException}, a {@link WorkerCrashedException}, a {@link SerializationException} or a
 * {@link WorkerStartException}.
 */
public final class TaskFailedException extends RuntimeException {
    private final long index;

    public TaskFailedException(long index, Throwable cause) {
        super((index < 0 ? "task failed: " : "task for input " + index + " failed: ") + cause, cause);
        this.index = index;
    }

    /** Position of the failing input in the input sequence, or -1 for {@code apply}. */
    public long index() {
        return index;
    }
}
