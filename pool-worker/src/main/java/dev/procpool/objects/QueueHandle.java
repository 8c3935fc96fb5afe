package dev.procpool.objects;

import dev.procpool.shared.SharedJoinableQueue;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** A shared queue (joinable or not); contains/remove compare serialized copies. */
final class QueueHandle<E> extends AbstractQueue<E> implements SharedJoinableQueue<E>, Shareable {
    private final Ref handle;

    QueueHandle(long id) {
        this.handle = new Ref(id, Codes.KIND_QUEUE);
    }

    @Override
    public Ref ref() {
        return handle;
    }

    @Override
    public void put(E e) throws InterruptedException {
        await(Codes.PUT, -1, Copies.of(e));
    }

    @Override
    public boolean offer(E e) {
        return (Boolean) handle.now(Codes.OFFER, Copies.of(e));
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        return (Boolean) await(Codes.OFFER, Ref.nanos(timeout, unit), Copies.of(e));
    }

    @Override
    public E take() throws InterruptedException {
        return Copies.value(received(await(Codes.TAKE, -1, Copies.maxBytes())));
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return Copies.value(received(await(Codes.POLL, Ref.nanos(timeout, unit), Copies.maxBytes())));
    }

    @Override
    public E poll() {
        return Copies.value(received(handle.now(Codes.POLL, Copies.maxBytes())));
    }

    @Override
    public E peek() {
        return Copies.value(handle.now(Codes.PEEK));
    }

    @Override
    public int size() {
        return (Integer) handle.now(Codes.SIZE);
    }

    @Override
    public int remainingCapacity() {
        return (Integer) handle.now(Codes.REMAINING);
    }

    @Override
    public void clear() {
        handle.now(Codes.CLEAR);
    }

    @Override
    public boolean remove(Object o) {
        return (Boolean) handle.now(Codes.REMOVE_EQUAL, (Object) Copies.of(o).bytes());
    }

    @Override
    public boolean contains(Object o) {
        byte[] wanted = Copies.of(o).bytes();
        for (Object element : snapshot()) {
            if (((Element) element).sameBytes(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Over a snapshot taken now; its remove() is not supported. */
    @Override
    public Iterator<E> iterator() {
        List<E> copies = new ArrayList<>();
        for (Object element : snapshot()) {
            copies.add(Copies.value(element));
        }
        return java.util.Collections.unmodifiableList(copies).iterator();
    }

    private List<?> snapshot() {
        return (List<?>) handle.now(Codes.SNAPSHOT);
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c);
        if (c == this) {
            throw new IllegalArgumentException("drainTo itself");
        }
        List<?> drained = (List<?>) received(handle.now(Codes.DRAIN, maxElements, Copies.maxBytes()));
        for (Object element : drained) {
            c.add(Copies.value(element));
        }
        return drained.size();
    }

    @Override
    public void taskDone() {
        handle.now(Codes.TASK_DONE);
    }

    @Override
    public void join() throws InterruptedException {
        await(Codes.JOIN, -1);
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return (Boolean) await(Codes.JOIN, Math.max(0, timeout.toNanos()));
    }

    /**
     * In a child: tells the root that what a take, poll or drain answered arrived, before it is returned (until
     * then the root would put it back at the head should this JVM die).
     */
    private Object received(Object answer) {
        if (!Self.isRoot() && answer != null && !(answer instanceof List<?> none && none.isEmpty())) {
            handle.tell(Codes.RECEIVED);
        }
        return answer;
    }

    private Object await(int code, long timeoutNanos, Object... args) throws InterruptedException {
        return handle.call(code, timeoutNanos, args);
    }

    @Override
    public String toString() {
        return "SharedQueue#" + handle.id;
    }
}
