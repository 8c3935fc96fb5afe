package dev.procpool.objects;

/**
 * This JVM's access to the mapped file: the file and its own slot. Asked once, by the first handle of a fast
 * object that is used: in the root it is the host's own file; a child asks the root (ATTACH) and maps it, or learns
 * that it cannot (another host, no file, no slot left, -Dprocpool.shm=false) and uses the pipes from then on.
 */
final class Fast {
    private static final Fast NONE = new Fast(null, 0);
    private static volatile Fast current; // null until asked; NONE: the pipe path

    final Shm shm;
    final int slot;

    private Fast(Shm shm, int slot) {
        this.shm = shm;
        this.slot = slot;
    }

    /** This JVM's mapping, or null when it uses the pipe path. */
    static Fast get() {
        Fast f = current;
        if (f == null) {
            synchronized (Fast.class) {
                f = current;
                if (f == null) {
                    f = connect();
                    current = f;
                }
            }
        }
        return f == NONE ? null : f;
    }

    private static Fast connect() {
        if (Self.isRoot()) {
            return new Fast(Host.INSTANCE.shm(), Host.INSTANCE.rootSlot());
        }
        if (!Shm.enabled()) {
            return NONE;
        }
        Object[] answer = (Object[]) Channel.call(new Op(0, Codes.ATTACH, new Object[0], 0, Caller.current(), 0,
                Op.NONE));
        if (answer == null) {
            return NONE;
        }
        Shm shm = Shm.attach((String) answer[0], (String) answer[1]);
        if (shm == null) {
            Channel.call(new Op(0, Codes.DETACH, new Object[0], 0, Caller.current(), 0, Op.NONE));
            return NONE;
        }
        return new Fast(shm, (Integer) answer[2]);
    }

    /** A fast object as this JVM sees it: its word, this JVM's slot, and the object's parameters. */
    record View(Word word, Shm shm, int slot, long[] params) {
    }

    /** Object {@code id} here, or null when its operations go over the pipes. */
    static View view(long id) {
        if (Self.isRoot()) {
            return Host.INSTANCE.viewOf(id); // the hosted object's own word, mapped or not
        }
        Fast f = get();
        if (f == null) {
            return null;
        }
        long[] cell = (long[]) Channel.call(new Op(0, Codes.CELL, new Object[] {id}, 0, Caller.current(), 0,
                Op.NONE));
        if (cell == null) {
            return null;
        }
        return new View(f.shm.cell((int) cell[0]), f.shm, f.slot, java.util.Arrays.copyOfRange(cell, 1, cell.length));
    }
}
