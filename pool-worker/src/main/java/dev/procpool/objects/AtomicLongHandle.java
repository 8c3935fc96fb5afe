package dev.procpool.objects;

import dev.procpool.shared.SharedAtomicLong;

/** A shared long: atomic instructions on its word when this JVM maps it, else calls to the root. */
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
        Fast.View fast = ref.view();
        return fast == null ? (Long) ref.now(Codes.GET) : fast.word().get();
    }

    @Override
    public void set(long value) {
        Fast.View fast = ref.view();
        if (fast == null) {
            ref.now(Codes.SET_VALUE, value);
        } else {
            fast.word().set(value);
        }
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
        Fast.View fast = ref.view();
        return fast == null ? (Long) ref.now(Codes.ADD_AND_GET, delta) : fast.word().getAndAdd(delta) + delta;
    }

    @Override
    public long getAndAdd(long delta) {
        Fast.View fast = ref.view();
        return fast == null ? (Long) ref.now(Codes.GET_AND_ADD, delta) : fast.word().getAndAdd(delta);
    }

    @Override
    public boolean compareAndSet(long expect, long update) {
        Fast.View fast = ref.view();
        return fast == null ? (Boolean) ref.now(Codes.COMPARE_AND_SET, expect, update)
                : fast.word().cas(expect, update);
    }

    @Override
    public String toString() {
        return "SharedAtomicLong" + ref + "=" + get();
    }
}
