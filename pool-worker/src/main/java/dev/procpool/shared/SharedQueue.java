package dev.procpool.shared;

import java.util.concurrent.BlockingQueue;

/**
 * A FIFO queue shared by the JVMs of one family (Python's {@code multiprocessing.Queue}): {@code put}/{@code take}
 * block, {@code offer}/{@code poll} with a timeout return false/null. It holds copies: an element is serialized when
 * it is put and each take returns a fresh copy; one that cannot be serialized fails that put with
 * IllegalArgumentException naming its class. Null elements: NullPointerException. Iteration is over a snapshot.
 */
public interface SharedQueue<E> extends BlockingQueue<E> {
}
