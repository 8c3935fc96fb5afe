package dev.procpool.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;

/**
 * Reads a job's inputs a chunk at a time, each chunk straight into an array of its final size when the input's size
 * is known (a Collection), so that big maps do not copy and regrow their inputs. An exception from the caller's
 * iterable ends the reading; what was read before it is still returned.
 */
final class InputReader {
    private static final int GUESS = 1024;

    private final Iterator<?> source;
    private final int chunksize;
    private long remaining; // -1: unknown
    private boolean done;
    private Throwable failure;

    InputReader(Iterable<?> inputs, int chunksize) {
        this.source = inputs.iterator();
        this.chunksize = chunksize;
        this.remaining = inputs instanceof Collection<?> collection ? collection.size() : -1;
    }

    /** The next chunk; empty once the input is exhausted or has thrown. */
    Object[] next() {
        if (done) {
            return new Object[0];
        }
        int capacity = remaining >= 0 ? (int) Math.min(chunksize, remaining) : Math.min(chunksize, GUESS);
        Object[] items = new Object[capacity];
        int count = 0;
        try {
            while (count < chunksize && source.hasNext()) {
                if (count == items.length) {
                    items = Arrays.copyOf(items, (int) Math.min(chunksize, 2L * items.length + 1));
                }
                Object item = source.next(); // an input the iterator failed to produce is never counted
                items[count++] = item;
            }
            done = count < chunksize;
        } catch (RuntimeException | Error e) {
            done = true;
            failure = e;
        }
        if (remaining >= 0) {
            remaining = Math.max(0, remaining - count);
        }
        return count == items.length ? items : Arrays.copyOf(items, count);
    }

    boolean done() {
        return done;
    }

    /** What the caller's iterable threw, or null. */
    Throwable failure() {
        return failure;
    }

    /** Rethrows the iterable's exception unchanged. */
    static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) failure;
    }
}
