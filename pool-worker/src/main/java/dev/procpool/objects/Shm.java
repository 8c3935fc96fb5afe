package dev.procpool.objects;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The family's memory-mapped file, which the root creates and every process on its host maps: the words of the
 * fast objects (one 64-byte cell each, so that two objects never share a cache line), one semaphore journal per
 * process slot, and the permits each process slot holds of each semaphore cell. Layout:
 * <pre>
 * [0, 4096)                      header (unused but the magic word)
 * [CELLS, +MAX_CELLS*64)         cells: word 0 of cell c is the object's word
 * [JOURNALS, +MAX_FAST_SLOTS*64) journal word of process slot s (see {@link SemaphoreWord})
 * [HELD, +MAX_FAST_SLOTS*MAX_CELLS*8) permits held by slot s of semaphore cell c (see {@link SemaphoreWord})
 * </pre>
 * The file is sparse (tmpfs allocates pages on first write). It is deleted when the root exits normally; a root
 * killed by SIGKILL leaves it behind in /dev/shm (named procpool-PID-*.shm).
 */
final class Shm {
    static final int MAX_CELLS = 4096;
    /** Process slots 1..MAX_FAST_SLOTS-1 may map the file; slots above are for callers on the pipe path. */
    static final int MAX_FAST_SLOTS = 256;
    private static final long MAGIC = 0x70726F63706F6F6CL; // "procpool"
    private static final int CELLS = 4096;
    private static final int JOURNALS = CELLS + MAX_CELLS * 64;
    private static final int HELD = JOURNALS + MAX_FAST_SLOTS * 64;
    private static final int SIZE = HELD + MAX_FAST_SLOTS * MAX_CELLS * 8;

    final Path path;
    final ByteBuffer buffer;

    private Shm(Path path, ByteBuffer buffer) {
        this.path = path;
        this.buffer = buffer;
    }

    /** Whether this JVM may use the mapped file at all (-Dprocpool.shm=false: the pipe path, for tests). */
    static boolean enabled() {
        return !"false".equals(System.getProperty("procpool.shm"));
    }

    /** In the root: a new file, or null when none can be made (the pipe path then serves every child). */
    static Shm create() {
        if (!enabled()) {
            return null;
        }
        File dir = new File("/dev/shm");
        if (!dir.isDirectory() || !dir.canWrite()) {
            dir = new File(System.getProperty("java.io.tmpdir"));
        }
        try {
            Path path = dir.toPath().resolve("procpool-" + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".shm");
            Files.createFile(path);
            path.toFile().deleteOnExit(); // the JVM's own shutdown hook for files: runs on exit, SIGTERM, SIGINT
            Shm shm = new Shm(path, map(path));
            shm.buffer.putLong(0, MAGIC);
            return shm;
        } catch (IOException | RuntimeException e) {
            System.getLogger("dev.procpool.shared").log(System.Logger.Level.INFO,
                    "no shared-memory file (" + e + "): shared objects use the pipes");
            return null;
        }
    }

    /** In a child: the root's file, or null when it cannot be mapped here (another host, no access). */
    static Shm attach(String path, String hostId) {
        if (!enabled() || !hostId.equals(hostId())) {
            return null;
        }
        try {
            Shm shm = new Shm(Path.of(path), map(Path.of(path)));
            return shm.buffer.getLong(0) == MAGIC ? shm : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ByteBuffer map(Path path) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(SIZE);
            MappedByteBuffer mapped = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            return mapped.order(ByteOrder.nativeOrder()); // the mapping outlives the channel
        }
    }

    /** Same kernel boot and host name: the same machine, where the file in /dev/shm is the same file. */
    static String hostId() {
        String boot;
        try {
            boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            boot = "?";
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        return boot + "/" + host;
    }

    Word cell(int cell) {
        return new Word(buffer, CELLS + cell * 64);
    }

    Word journal(int slot) {
        return new Word(buffer, JOURNALS + slot * 64);
    }

    Word held(int slot, int cell) {
        return new Word(buffer, HELD + (slot * MAX_CELLS + cell) * 8);
    }
}
