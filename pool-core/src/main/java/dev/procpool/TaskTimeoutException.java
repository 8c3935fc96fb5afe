package dev.procpool;

import java.time.Duration;

/** The task ran longer than its timeout; its worker (and the worker's descendants) was killed and replaced. */
public final class TaskTimeoutException extends RuntimeException {
    private final Duration timeout;

    public TaskTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
