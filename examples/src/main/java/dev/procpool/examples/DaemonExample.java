package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedQueue;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Port of "守护进程" in reference/concurrency-2.zh.txt (a daemon that sleeps 3 s never prints "over": it ends with
 * the main program) and of the daemon rules in reference/locks-and-queues.zh.txt (a daemon may not have children).
 * In procpool a daemon child is terminated when its parent JVM exits. This main JVM goes on after main() (a test
 * may call it), so the tutorial's main program runs in a child JVM, "main program", which starts the daemon.
 * Unlike Python, which terminates its daemons as soon as the main code ends, a procpool daemon lives until its
 * parent JVM exits, and that JVM first waits for its non-daemon children: in the f1/f2 program of
 * locks-and-queues.zh.txt the daemon f1 (3 s) would print, since f2 (5 s) keeps the JVM up.
 */
public final class DaemonExample {
    private DaemonExample() {
    }

    static void task(String name, SharedList<String> story, SharedEvent alive) {
        Children.say(story, "child " + name + " alive");
        alive.set();
        Children.sleep(3000);
        Children.say(story, "child " + name + " over");
    }

    public static void main(String[] args) throws Exception {
        SharedList<String> story = Shared.list();
        SharedEvent alive = Shared.event();
        SharedQueue<Long> daemonPid = Shared.queue();
        JvmProcess mainProgram = JvmProcess.builder().name("main program").start(() -> {
            JvmProcess p = JvmProcess.builder().name("summer").daemon(true).start(() -> task("summer", story, alive));
            daemonPid.put(p.pid());
            if (!alive.await(Children.END)) {
                throw new IllegalStateException("the daemon did not start");
            }
            Children.say(story, "main process! (daemon " + p.isDaemon() + ")");
        }); // its code ends here: its JVM exits and takes the daemon with it
        Children.joinAll(mainProgram);
        long pid = daemonPid.poll(Children.END.toSeconds(), TimeUnit.SECONDS);
        Optional<ProcessHandle> daemon = ProcessHandle.of(pid);
        if (daemon.isPresent()) {
            daemon.get().onExit().get(Children.END.toSeconds(), TimeUnit.SECONDS);
        }
        Children.print(story);
        System.out.println("daemon alive after the main program ended: "
                + ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        JvmProcess parent = JvmProcess.builder().daemon(true).start(() -> JvmProcess.start(() -> { }));
        Children.joinAll(parent);
        System.out.println("a daemon that starts a child: exit code " + parent.exitCode().getAsInt() + ", "
                + parent.failure().map(t -> t.getClass().getSimpleName()).orElse("no failure"));
    }
}
