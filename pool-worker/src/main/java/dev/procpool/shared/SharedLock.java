package dev.procpool.shared;

import java.util.concurrent.locks.Lock;

/**
 * A lock shared by the JVMs of one family. Its owner is (process, thread): unlock by a non-owner, or lock() again by
 * the owner of a non-reentrant lock, throws IllegalMonitorStateException, never a silent deadlock. It is released
 * when its owner's process ends, whatever way.
 */
public interface SharedLock extends Lock {
    @Override
    SharedCondition newCondition();

    /** Python's {@code locked()}: whether any thread of any process holds it now. */
    boolean isLocked();

    boolean isHeldByCurrentThread();
}
