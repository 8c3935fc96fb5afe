package dev.procpool.objects;

import dev.procpool.protocol.Services;
import dev.procpool.protocol.Uplink;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * The handles of this JVM, one per object. In a child it counts how many times each handle arrived (the root
 * counted as many sends) and, once user code dropped the handle, tells the root so from its own thread, which
 * waits for dropped handles and for nothing else.
 */
final class Handles {
    private static final class Entry extends WeakReference<Shareable> {
        final long id;
        int received;

        Entry(Shareable handle, ReferenceQueue<Shareable> queue) {
            super(handle, queue);
            this.id = handle.ref().id;
        }
    }

    private static final Map<Long, Entry> CHILD = new HashMap<>(); // guarded by itself
    private static final ReferenceQueue<Shareable> DROPPED = new ReferenceQueue<>();
    private static Thread releaser; // guarded by CHILD

    private Handles() {
    }

    /** The handle for {@code id} in this JVM; a handle arriving from elsewhere counts as received. */
    static Shareable of(int kind, long id, boolean arrived) {
        if (Self.isRoot()) {
            synchronized (Host.INSTANCE.lifetimes()) {
                Object known = Host.INSTANCE.lifetimes().rootHandle(id);
                if (known != null) {
                    return (Shareable) known;
                }
                Shareable made = make(kind, id);
                Host.INSTANCE.lifetimes().rootHandle(id, made); // false: freed already; its calls will say so
                return made;
            }
        }
        synchronized (CHILD) {
            Entry entry = CHILD.get(id);
            Shareable handle = entry == null ? null : entry.get();
            if (handle == null) {
                handle = make(kind, id);
                entry = new Entry(handle, DROPPED);
                CHILD.put(id, entry);
                startReleaser();
            }
            if (arrived) {
                entry.received++;
            }
            return handle;
        }
    }

    private static void startReleaser() {
        if (releaser == null) {
            releaser = new Thread(Handles::release, "procpool-shared-release");
            releaser.setDaemon(true); // ends with the JVM, whose death the root sees anyway
            releaser.start();
        }
    }

    private static void release() {
        while (true) {
            try {
                Reference<? extends Shareable> ref = DROPPED.remove();
                long id;
                int received;
                synchronized (CHILD) {
                    Entry entry = (Entry) ref;
                    id = entry.id;
                    received = entry.received;
                    CHILD.remove(id, entry);
                }
                if (received > 0) {
                    Op release = new Op(0, Codes.RELEASE, new Object[] {new long[] {id}, new int[] {received}}, 0,
                            Caller.current(), 0, Op.NONE);
                    Uplink.current().tell(Services.OBJECTS, release);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the parent is gone: nothing is held there any more
            }
        }
    }

    private static Shareable make(int kind, long id) {
        return switch (kind) {
            case Codes.KIND_QUEUE -> new QueueHandle<>(id);
            case Codes.KIND_LOCK -> new LockHandle(id);
            case Codes.KIND_SEMAPHORE -> new SemaphoreHandle(id);
            case Codes.KIND_EVENT -> new EventHandle(id);
            case Codes.KIND_BARRIER -> new BarrierHandle(id);
            case Codes.KIND_ATOMIC -> new AtomicLongHandle(id);
            case Codes.KIND_MAP -> new MapHandle<>(id);
            case Codes.KIND_LIST -> new ListHandle<>(id);
            case Codes.KIND_NAMESPACE -> new NamespaceHandle(id);
            default -> throw new IllegalArgumentException("no shared object kind " + kind);
        };
    }
}
