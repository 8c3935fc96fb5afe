package dev.procpool.objects;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared objects of a family, in its root JVM: creates them, hands each operation to its object, times out
 * parked operations on its one timer thread, and tells every object when a process of the family ended. What keeps
 * an object alive is {@link Lifetimes}' business.
 */
public final class Host {
    public static final Host INSTANCE = new Host();

    private final Map<Long, Hosted> objects = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Lifetimes lifetimes = new Lifetimes(this);
    private volatile ScheduledThreadPoolExecutor timer;
    /** Process slots for the words of fast objects; the root's own is taken first. */
    private final Slots slots = new Slots();
    private final int rootSlot = slots.fast(Self.token());
    /**
     * Guarded by this: the mapped file (made on the first fast object) and its free cells. Lock order: at most
     * under Lifetimes' monitor (free), never under a shared object's; nothing is locked under it.
     */
    private Shm shm;
    private boolean shmTried;
    private final java.util.BitSet usedCells = new java.util.BitSet(Shm.MAX_CELLS);
    private final java.util.BitSet everUsed = new java.util.BitSet(Shm.MAX_CELLS);

    private Host() {
    }

    Slots slots() {
        return slots;
    }

    int rootSlot() {
        return rootSlot;
    }

    synchronized Shm shm() {
        if (!shmTried) {
            shmTried = true;
            shm = Shm.create();
        }
        return shm;
    }

    /** A word for a new fast object: a cell of the mapped file if one is free, else one of this JVM only. */
    Cell cell() {
        Shm file = shm();
        synchronized (this) {
            int free = usedCells.nextClearBit(0);
            if (file == null || free >= Shm.MAX_CELLS) {
                return new Cell(-1, Word.local(), null, false);
            }
            usedCells.set(free);
            boolean reused = everUsed.get(free);
            everUsed.set(free);
            Word word = file.cell(free);
            word.set(0);
            return new Cell(free, word, file, reused);
        }
    }

    /**
     * Where a fast object's word is: its cell (-1: none, the pipe path for children), the word, the file, and
     * whether an object that is gone had the cell before (its words in the file may not be zero).
     */
    record Cell(int index, Word word, Shm shm, boolean reused) {
    }

    /** Object {@code id} for this (root) JVM's own handles, or null when it is not a fast object. */
    Fast.View viewOf(long id) {
        return objects.get(id) instanceof HostedOnWord fast
                ? new Fast.View(fast.cell().word(), fast.cell().shm(), rootSlot, fast.params()) : null;
    }

    Lifetimes lifetimes() {
        return lifetimes;
    }

    /** Objects alive now (for tests of their freeing). */
    public int size() {
        return objects.size();
    }

    /** Serves an operation from this JVM or a child: answered through {@code reply}, now or later. */
    public void serve(Op op, Reply reply) {
        if (op.object() == 0) {
            serveHost(op, reply);
            return;
        }
        Hosted object = objects.get(op.object());
        if (object == null) {
            reply.failed(new IllegalStateException("shared object " + op.object() + " no longer exists (freed, or"
                    + " from another family of processes)"));
            return;
        }
        if (op.code() == Codes.CANCEL) {
            object.end((Long) op.args()[0], Marker.CANCELLED);
            reply.done(null);
            return;
        }
        object.serve(op, reply);
    }

    private void serveHost(Op op, Reply reply) {
        switch (op.code()) {
            case Codes.CREATE -> {
                long id = create(op.args());
                lifetimes.granted(op.caller().process(), id);
                reply.done(id);
            }
            case Codes.RELEASE -> {
                lifetimes.released(op.caller().process(), (long[]) op.args()[0], (int[]) op.args()[1]);
                reply.done(null);
            }
            case Codes.GRANT -> {
                lifetimes.granted((Long) op.args()[0], (Long) op.args()[1]);
                reply.done(null);
            }
            case Codes.ALIVE -> reply.done(objects.size());
            case Codes.ATTACH -> {
                Shm file = shm();
                int slot = file == null ? 0 : slots.fast(op.caller().process());
                reply.done(slot == 0 ? null : new Object[] {file.path.toString(), Shm.hostId(), slot});
            }
            case Codes.DETACH -> {
                slots.gone(op.caller().process()); // it holds nothing yet; a pipe-range slot comes when needed
                reply.done(null);
            }
            case Codes.CELL -> reply.done(cellOf((Long) op.args()[0]));
            case Codes.GONE -> {
                processGone((Long) op.args()[0], (Boolean) op.args()[1]);
                reply.done(null);
            }
            default -> reply.failed(new IllegalArgumentException("no host operation " + op.code()));
        }
    }

    /** For a child that maps the file: the object's cell and parameters, or null (not fast, or no cell). */
    private long[] cellOf(long id) {
        if (!(objects.get(id) instanceof HostedOnWord fast) || fast.cell().index() < 0) {
            return null;
        }
        long[] params = fast.params();
        long[] answer = new long[params.length + 1];
        answer[0] = fast.cell().index();
        System.arraycopy(params, 0, answer, 1, params.length);
        return answer;
    }

    /** A new object in this (root) JVM; its id. */
    long create(Object[] args) {
        long id = ids.incrementAndGet();
        int kind = (Integer) args[0];
        Hosted object = switch (kind) {
            case Codes.KIND_QUEUE -> new HostedQueue(id, this, (Integer) args[1], (Boolean) args[2]);
            case Codes.KIND_LOCK -> new HostedLock(id, this, (Boolean) args[1], cell());
            case Codes.KIND_SEMAPHORE -> new HostedSemaphore(id, this, (Integer) args[1], (Boolean) args[2],
                    cell());
            case Codes.KIND_EVENT -> new HostedEvent(id, this, cell());
            case Codes.KIND_BARRIER -> new HostedBarrier(id, this, (Integer) args[1]);
            case Codes.KIND_ATOMIC -> new HostedAtomicLong(id, this, (Long) args[1], cell());
            case Codes.KIND_MAP, Codes.KIND_NAMESPACE -> new HostedMap(id, this);
            case Codes.KIND_LIST -> new HostedList(id, this);
            default -> throw new IllegalArgumentException("no shared object kind " + kind);
        };
        objects.put(id, object);
        lifetimes.created(id);
        return id;
    }

    void free(long id) {
        Hosted gone = objects.remove(id);
        if (gone instanceof HostedOnWord fast && fast.cell().index() >= 0) {
            synchronized (this) { // no handle of it is left anywhere: its cell may serve another object
                usedCells.clear(fast.cell().index());
            }
        }
    }

    /** A process of the family ended: its waits end, its locks are released, its permits may come back. */
    public void processGone(long process, boolean abnormal) {
        objects.values().forEach(object -> object.processGone(process, abnormal));
        lifetimes.processGone(process);
        slots.gone(process); // no word carries its slot any more
    }

    ScheduledFuture<?> schedule(Runnable action, long nanos) {
        ScheduledThreadPoolExecutor t = timer;
        if (t == null) {
            synchronized (this) {
                if (timer == null) {
                    timer = new ScheduledThreadPoolExecutor(1, body -> {
                        Thread thread = new Thread(body, "procpool-shared-timer");
                        thread.setDaemon(true); // ends with the JVM; it only times out waits
                        return thread;
                    });
                    timer.setRemoveOnCancelPolicy(true);
                }
                t = timer;
            }
        }
        return t.schedule(action, nanos, TimeUnit.NANOSECONDS);
    }
}
