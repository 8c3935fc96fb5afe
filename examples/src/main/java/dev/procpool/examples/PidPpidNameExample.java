package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedQueue;
import dev.procpool.worker.CurrentProcess;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Port of "进程的其他方法" in reference/locks-and-queues.zh.txt (p1 named 洪七, Hong Qi, and p2 with a default name,
 * pid and ppid), of the current_process().pid / os.getpid() / os.getppid() program in
 * reference/concurrency-2.zh.txt and of "join and pid" in reference/daemons-mutexes-ipc-producer-consumer.en.txt:
 * the pid of a joined child can still be read, but the OS may give that number to another process.
 */
public final class PidPpidNameExample {
    private PidPpidNameExample() {
    }

    /** What a child says about itself: CurrentProcess and, as Python's os.getpid(), ProcessHandle. */
    record Facts(String name, long pid, long parentPid, long osPid) {
        static Facts here() {
            return new Facts(CurrentProcess.name(), CurrentProcess.pid(), CurrentProcess.parentPid().orElse(-1),
                    ProcessHandle.current().pid());
        }
    }

    public static void main(String[] args) throws Exception {
        SharedQueue<Facts> facts = Shared.queue();
        JvmProcess p1 = JvmProcess.builder().name("Hong Qi").start(() -> {
            Facts f = Facts.here();
            System.out.println("child pid " + f.pid() + ", parent pid " + f.parentPid());
            facts.put(f);
        });
        JvmProcess p2 = JvmProcess.start(() -> facts.put(Facts.here()));
        System.out.println("p1 name: " + p1.name());
        System.out.println("p2 name: " + p2.name());
        System.out.println("child pid: " + p1.pid());
        System.out.println("parent pid: " + CurrentProcess.pid() + " (" + CurrentProcess.name() + ")");
        Children.joinAll(p1, p2);
        Map<String, Facts> byName = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Facts f = facts.poll(Children.END.toSeconds(), TimeUnit.SECONDS);
            byName.put(f.name(), f);
        }
        for (JvmProcess p : new JvmProcess[] {p1, p2}) {
            Facts f = byName.get(p.name());
            System.out.println(f.name() + " says: pid " + f.pid() + " (os " + f.osPid() + "), parent pid "
                    + f.parentPid());
        }
        System.out.println("p1 pid after join: " + p1.pid() + " (reaped: the OS may reuse the number)");
    }
}
