package dev.procpool.objects;

/**
 * One operation on a shared object, as it travels to the root: which object, which operation, its arguments,
 * how long it may wait (negative: forever; 0: not at all), who asks, a unique id (for cancel and timeouts), and the
 * handles embedded in element bytes among the arguments (the root keeps those objects alive while it stores them).
 */
public record Op(long object, int code, Object[] args, long timeoutNanos, Caller caller, long id, long[] embedded) {
    static final long[] NONE = new long[0];
}
