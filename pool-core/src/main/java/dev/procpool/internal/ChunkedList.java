package dev.procpool.internal;

import dev.procpool.protocol.Values;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A read-only list over a map's per-chunk results: no copy into one big array (which, at a million entries,
 * is a humongous object that G1 scans expensively while young results are stored into it).
 */
final class ChunkedList<E> extends AbstractList<E> implements RandomAccess {
    private final Values[] chunks;
    private final int chunksize;
    private final int size;

    ChunkedList(Values[] chunks, int chunksize, int size) {
        this.chunks = chunks;
        this.chunksize = chunksize;
        this.size = size;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        return (E) chunks[index / chunksize].get(index % chunksize);
    }

    @Override
    public int size() {
        return size;
    }
}
