package dev.procpool.objects;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * What keeps each shared object alive in the root: its handle in the root (weakly: once the root's own code drops
 * it, only others count), the children it was given to (each has a count: handles sent to it, minus those it
 * reported dropped; a child that dies drops all), and the stored copies (queue elements, map values) that contain
 * its handle. When none is left the object is freed.
 */
final class Lifetimes {
    private static final class Life {
        final Map<Long, Long> givenTo = new HashMap<>();
        long storedIn;
        WeakReference<Object> rootHandle;

        boolean alive() {
            return !givenTo.isEmpty() || storedIn > 0 || (rootHandle != null && rootHandle.get() != null);
        }
    }

    private static final class RootRef extends WeakReference<Object> {
        final long id;

        RootRef(long id, Object handle, ReferenceQueue<Object> queue) {
            super(handle, queue);
            this.id = id;
        }
    }

    private final Host host;
    private final Map<Long, Life> lives = new HashMap<>(); // guarded by this
    private final ReferenceQueue<Object> dropped = new ReferenceQueue<>();
    private Thread reaper; // guarded by this: started with the first root handle

    Lifetimes(Host host) {
        this.host = host;
    }

    synchronized void created(long id) {
        lives.put(id, new Life());
    }

    /** The root's handle of {@code id} (held weakly); false when the object is gone. */
    synchronized boolean rootHandle(long id, Object handle) {
        Life life = lives.get(id);
        if (life == null) {
            return false;
        }
        life.rootHandle = new RootRef(id, handle, dropped);
        if (reaper == null) {
            reaper = new Thread(this::reap, "procpool-shared-reaper");
            reaper.setDaemon(true); // ends with the JVM: it only frees objects nobody can reach
            reaper.start();
        }
        return true;
    }

    synchronized Object rootHandle(long id) {
        Life life = lives.get(id);
        return life == null || life.rootHandle == null ? null : life.rootHandle.get();
    }

    synchronized boolean exists(long id) {
        return lives.containsKey(id);
    }

    /** A handle of {@code id} went to {@code process} (a reply, a task's input, a process's target). */
    synchronized void granted(long process, long id) {
        if (process == Self.token()) {
            return; // the root keeps its own through its handle
        }
        Life life = lives.get(id);
        if (life != null) {
            life.givenTo.merge(process, 1L, Long::sum);
        }
    }

    synchronized void shown(long[] ids, long process) {
        for (long id : ids) {
            granted(process, id);
        }
    }

    /** A stored copy left its container for {@code process}: it now holds those objects instead of the copy. */
    synchronized void moved(long[] ids, long process) {
        if (process == Self.token()) {
            return; // the root's caller lets go of the copy once its handles exist (LocalChannel)
        }
        for (long id : ids) {
            granted(process, id);
        }
        unpin(ids);
    }

    synchronized void pin(long[] ids) {
        for (long id : ids) {
            Life life = lives.get(id);
            if (life != null) {
                life.storedIn++;
            }
        }
    }

    synchronized void unpin(long[] ids) {
        for (long id : ids) {
            Life life = lives.get(id);
            if (life != null) {
                life.storedIn--;
                check(id, life);
            }
        }
    }

    /** A child dropped handles it had received: {@code counts[i]} of {@code ids[i]}. */
    synchronized void released(long process, long[] ids, int[] counts) {
        for (int i = 0; i < ids.length; i++) {
            Life life = lives.get(ids[i]);
            long dropped = counts[i];
            if (life != null) {
                life.givenTo.computeIfPresent(process, (p, n) -> n > dropped ? n - dropped : null);
                check(ids[i], life);
            }
        }
    }

    synchronized void processGone(long process) {
        for (var it = lives.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getValue().givenTo.remove(process) != null && !entry.getValue().alive()) {
                it.remove();
                host.free(entry.getKey());
            }
        }
    }

    synchronized int size() {
        return lives.size();
    }

    private void check(long id, Life life) {
        if (!life.alive()) {
            lives.remove(id);
            host.free(id);
        }
    }

    private void reap() {
        while (true) {
            try {
                Reference<?> ref = dropped.remove();
                synchronized (this) {
                    long id = ((RootRef) ref).id;
                    Life life = lives.get(id);
                    if (life != null && life.rootHandle == ref) {
                        life.rootHandle = null;
                        check(id, life);
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
