package dev.procpool.objects;

import dev.procpool.shared.SharedEvent;
import java.time.Duration;

/** A shared event: its flag read and set in its word when this JVM maps it ({@link HostedEvent} says how). */
final class EventHandle implements SharedEvent, Shareable {
    /** Reads of the flag before a waiter parks in the root: a set() a microsecond away costs no round trip. */
    private static final int SPIN = 100;
    private final Ref ref;

    EventHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_EVENT);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    @Override
    public void set() {
        Fast.View fast = ref.view();
        if (fast == null) {
            ref.now(Codes.SET);
            return;
        }
        Word word = fast.word();
        while (true) {
            long w = word.get();
            if ((w & HostedEvent.WAITERS) != 0) {
                ref.now(Codes.SET); // someone waits: the root sets the flag and answers them
                return;
            }
            if ((w & HostedEvent.SET) != 0 || word.cas(w, w | HostedEvent.SET)) {
                return;
            }
        }
    }

    @Override
    public void clear() {
        Fast.View fast = ref.view();
        if (fast == null) {
            ref.now(Codes.CLEAR_FLAG);
        } else {
            fast.word().getAndAnd(~HostedEvent.SET);
        }
    }

    @Override
    public boolean isSet() {
        Fast.View fast = ref.view();
        return fast == null ? (Boolean) ref.now(Codes.IS_SET) : (fast.word().get() & HostedEvent.SET) != 0;
    }

    private boolean spunSet() {
        Fast.View fast = ref.view();
        if (fast == null) {
            return false;
        }
        for (int i = 0; i < SPIN; i++) {
            if ((fast.word().get() & HostedEvent.SET) != 0) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Override
    public void await() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!spunSet()) {
            ref.call(Codes.WAIT_SET, -1);
        }
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return spunSet() || (Boolean) ref.call(Codes.WAIT_SET, Math.max(0, timeout.toNanos()));
    }

    @Override
    public String toString() {
        return "SharedEvent" + ref;
    }
}
