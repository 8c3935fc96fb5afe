package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Port of "僵尸进程与孤儿进程" in reference/locks-and-queues.zh.txt and reference/concurrency-2.zh.txt. In Python a
 * child that ended stays a zombie (state Z in ps) until its parent joins it, and a child whose parent died lives on
 * as an orphan under init. procpool leaves neither: every child is reaped as soon as it ends, joined or not, and a
 * child never outlives a parent that was killed. /proc says what the kernel sees.
 */
public final class ZombieOrphanExample {
    private ZombieOrphanExample() {
    }

    /** The state letter in /proc/pid/stat (R, S, Z...), or "gone" when the kernel no longer knows the pid. */
    static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "gone";
        }
    }

    /** Waits until the process has ended (for a child of this JVM: ended and reaped). */
    static void ended(long pid) throws InterruptedException, ExecutionException, TimeoutException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(Children.END.toSeconds(), TimeUnit.SECONDS);
        }
    }

    static long zombieChildren() {
        return ProcessHandle.current().children().filter(h -> state(h.pid()).equals("Z")).count();
    }

    public static void main(String[] args) throws Exception {
        // the tutorial's test.py: a child that prints its pid and ends while the parent goes on
        JvmProcess joined = JvmProcess.start(() -> System.out.println("child " + ProcessHandle.current().pid()));
        Children.joinAll(joined); // join reaps the child, as in Python
        System.out.println("joined child " + joined.pid() + " in /proc: " + state(joined.pid()));
        JvmProcess notJoined = JvmProcess.start(() -> System.out.println("child " + ProcessHandle.current().pid()));
        ended(notJoined.pid()); // no join(): procpool reaps it anyway
        System.out.println("child never joined, after it ended, in /proc: " + state(notJoined.pid()));
        System.out.println("zombie children of this JVM: " + zombieChildren());

        // an orphan: the father dies (killed, no chance to clean up) while its child runs
        SharedQueue<Long> childPid = Shared.queue();
        JvmProcess father = JvmProcess.builder().name("father").start(() -> {
            JvmProcess child = JvmProcess.builder().name("child").start(() -> Children.sleep(600_000));
            childPid.put(child.pid());
            child.join();
        });
        long child = childPid.poll(Children.END.toSeconds(), TimeUnit.SECONDS);
        System.out.println("father " + father.pid() + " started child " + child + ", in /proc: " + state(child));
        father.kill();
        Children.joinAll(father);
        System.out.println("father died, exit code " + father.exitCode().getAsInt());
        ended(child);
        System.out.println("its child in /proc after the father died: " + state(child));
        System.out.println("zombie children of this JVM: " + zombieChildren());
    }
}
