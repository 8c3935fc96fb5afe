package dev.procpool.shared;

import java.util.concurrent.locks.Condition;

/** A condition of a {@link SharedLock}; await/signal without holding the lock: IllegalMonitorStateException. */
public interface SharedCondition extends Condition {
}
