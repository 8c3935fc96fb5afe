package dev.procpool.objects;

import dev.procpool.shared.SharedAtomicLong;

/** A shared long. */
final class AtomicLongHandle implements SharedAtomicLong, Shareable {
    private final Ref ref;

    AtomicLongHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_ATOMIC);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    @Override
    public long get() {
        return (Long) ref.now(Codes.GET);
    }

    @Override
    public void set(long value) {
        ref.now(Codes.SET_VALUE, value);
    }

    @Override
    public long incrementAndGet() {
        return addAndGet(1);
    }

    @Override
    public long decrementAndGet() {
        return addAndGet(-1);
    }

    @Override
    public long getAndIncrement() {
        return getAndAdd(1);
    }

    @Override
    public long addAndGet(long delta) {
        return (Long) ref.now(Codes.ADD_AND_GET, delta);
    }

    @Override
    public long getAndAdd(long delta) {
        return (Long) ref.now(Codes.GET_AND_ADD, delta);
    }

    @Override
    public boolean compareAndSet(long expect, long update) {
        return (Boolean) ref.now(Codes.COMPARE_AND_SET, expect, update);
    }

    @Override
    public String toString() {
        return "SharedAtomicLong" + ref + "=" + get();
    }
}
