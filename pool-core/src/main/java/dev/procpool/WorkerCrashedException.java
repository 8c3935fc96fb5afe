package dev.procpool;

/** The worker process died while it ran the task: killed, {@code System.exit}, a JVM crash. */
public final class WorkerCrashedException extends RuntimeException {
    private final long pid;
    private final int exitCode;

    public WorkerCrashedException(String message, long pid, int exitCode) {
        super(message);
        this.pid = pid;
        this.exitCode = exitCode;
    }

    public long pid() {
        return pid;
    }

    /** The process's exit code; 128 + n when it was killed by signal n. */
    public int exitCode() {
        return exitCode;
    }
}
