package dev.procpool.shared;

import java.time.Duration;

/** A {@link SharedQueue} that counts unfinished items (Python's {@code JoinableQueue}). */
public interface SharedJoinableQueue<E> extends SharedQueue<E> {
    /** One item taken earlier is done. More calls than items put: IllegalStateException. */
    void taskDone();

    /** Waits until every item put has had its {@link #taskDone()}. */
    void join() throws InterruptedException;

    /** As {@link #join()}; false if items are still unfinished after the timeout. */
    boolean join(Duration timeout) throws InterruptedException;
}
