package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedLock;
import java.util.concurrent.TimeUnit;

/**
 * Port of section 4 (Lock) of reference/signalling-and-process-control.zh.txt: two processes write one line each
 * while holding the lock. Python's {@code with lock:} and acquire()/try/finally release() are both lock() then
 * unlock() in a finally here; tryLock(timeout) is Python's acquire(timeout=...).
 */
public final class LockExample {
    private LockExample() {
    }

    static void workerWith(SharedLock lock, SharedList<String> story) {
        lock.lock();
        try {
            Children.say(story, "Lock acquired via lock()");
        } finally {
            lock.unlock();
        }
    }

    static void workerNoWith(SharedLock lock, SharedList<String> story) throws InterruptedException {
        if (!lock.tryLock(Children.END.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("no lock within " + Children.END);
        }
        try {
            Children.say(story, "Lock acquired via tryLock(timeout)");
        } finally {
            lock.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        SharedLock lock = Shared.lock();
        SharedList<String> story = Shared.list();
        JvmProcess w = JvmProcess.start(() -> workerWith(lock, story));
        JvmProcess nw = JvmProcess.start(() -> workerNoWith(lock, story));
        Children.joinAll(w, nw);
        Children.print(story);
        System.out.println("locked at the end: " + lock.isLocked());
    }
}
