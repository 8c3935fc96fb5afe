package dev.procpool.objects;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers decided under a shared object's monitor and delivered after it is released: an answer may be a write to
 * a pipe, which must not happen while other processes wait for the monitor.
 */
final class Deliveries {
    private final List<Runnable> pending = new ArrayList<>();

    void done(Reply reply, Object value) {
        pending.add(() -> reply.done(value));
    }

    void failed(Reply reply, Throwable failure) {
        pending.add(() -> reply.failed(failure));
    }

    void deliver() {
        pending.forEach(Runnable::run);
    }
}
