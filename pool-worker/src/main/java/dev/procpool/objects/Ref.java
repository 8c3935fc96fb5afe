package dev.procpool.objects;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A shared object's identity (its id and kind) and the way to send it operations. Every handle user code holds
 * (a {@link Shareable}) has one; the handle travels as this reference wherever it is serialized.
 */
final class Ref {
    final long id;
    final int kind;
    /** The object's word in this JVM: null until asked, {@link #PIPE} when its operations go over the pipes. */
    private volatile Object view;
    private static final Object PIPE = new Object();

    Ref(long id, int kind) {
        this.id = id;
        this.kind = kind;
    }

    /** An operation that may wait: CANCELLED (the thread was interrupted) comes out as InterruptedException. */
    final Object await(int code, long timeoutNanos, Object... args) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Object answer = Channel.call(op(code, timeoutNanos, args));
        if (answer == Marker.CANCELLED) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while waiting on shared object " + id);
        }
        return answer;
    }

    /** An operation that does not wait; a failure is rethrown as the unchecked exception it is. */
    final Object now(int code, Object... args) {
        try {
            return Channel.call(op(code, 0, args));
        } catch (Channel.Failed failed) {
            throw unchecked(failed.getCause());
        }
    }

    /** A one-way operation: no answer, no wait. */
    final void tell(int code, Object... args) {
        Channel.tell(op(code, 0, args));
    }

    final Op op(int code, long timeoutNanos, Object... args) {
        long[] embedded = Op.NONE;
        for (Object arg : args) {
            if (arg instanceof Element element && element.embedded().length > 0) {
                embedded = concat(embedded, element.embedded());
            }
        }
        return new Op(id, code, args, timeoutNanos, Caller.current(), ThreadLocalRandom.current().nextLong(),
                embedded);
    }

    /** The object's word and parameters here, asked once; null: the pipe path. */
    final Fast.View view() {
        Object v = view;
        if (v == null) {
            Fast.View made = Fast.view(id);
            v = made == null ? PIPE : made;
            view = v;
        }
        return v == PIPE ? null : (Fast.View) v;
    }

    static long nanos(long timeout, TimeUnit unit) {
        return Math.max(0, unit.toNanos(timeout));
    }

    static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(t);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** An operation whose failure comes out as the unchecked exception it is, waiting or not. */
    Object call(int code, long timeoutNanos, Object... args) throws InterruptedException {
        try {
            return await(code, timeoutNanos, args);
        } catch (Channel.Failed failed) {
            throw unchecked(failed.getCause());
        }
    }

    @Override
    public String toString() {
        return "#" + id;
    }
}
