package dev.procpool;

/**
 * A worker could not start: the JVM failed to launch or exited before it was ready (the message has its stderr),
 * or the initializer threw ({@link #getCause()} is that exception).
 */
public final class WorkerStartException extends RuntimeException {
    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
