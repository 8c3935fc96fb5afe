package dev.procpool.objects;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One 8-byte aligned long of a direct buffer (the mapped file, or a buffer of the root's own for an object that
 * got no cell), read and changed atomically: the same instructions whether one process or several use it.
 */
final class Word {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final int offset;

    Word(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
    }

    /** A word of this JVM only: for objects when there is no mapped file or no free cell. */
    static Word local() {
        return new Word(ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder()), 0);
    }

    long get() {
        return (long) LONG.getVolatile(buffer, offset);
    }

    void set(long value) {
        LONG.setVolatile(buffer, offset, value);
    }

    /** A store that becomes visible no later than this thread's next CAS or volatile write does. */
    void setRelease(long value) {
        LONG.setRelease(buffer, offset, value);
    }

    boolean cas(long expect, long update) {
        return LONG.compareAndSet(buffer, offset, expect, update);
    }

    long getAndSet(long value) {
        return (long) LONG.getAndSet(buffer, offset, value);
    }

    long getAndAdd(long delta) {
        return (long) LONG.getAndAdd(buffer, offset, delta);
    }

    long getAndOr(long bits) {
        return (long) LONG.getAndBitwiseOr(buffer, offset, bits);
    }

    long getAndAnd(long bits) {
        return (long) LONG.getAndBitwiseAnd(buffer, offset, bits);
    }
}
