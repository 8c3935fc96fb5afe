package dev.procpool.objects;

import dev.procpool.shared.SharedEvent;
import java.time.Duration;

/** A shared event. */
final class EventHandle implements SharedEvent, Shareable {
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
        ref.now(Codes.SET);
    }

    @Override
    public void clear() {
        ref.now(Codes.CLEAR_FLAG);
    }

    @Override
    public boolean isSet() {
        return (Boolean) ref.now(Codes.IS_SET);
    }

    @Override
    public void await() throws InterruptedException {
        ref.call(Codes.WAIT_SET, -1);
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return (Boolean) ref.call(Codes.WAIT_SET, Math.max(0, timeout.toNanos()));
    }

    @Override
    public String toString() {
        return "SharedEvent" + ref;
    }
}
