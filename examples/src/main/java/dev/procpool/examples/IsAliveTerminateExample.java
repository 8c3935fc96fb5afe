package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedQueue;

/**
 * Port of the f3 program in reference/locks-and-queues.zh.txt and of "销毁子进程 / 判断进程是否存活" in
 * reference/concurrency-2.zh.txt: is_alive(), then terminate(), which sends SIGTERM; the signal takes a moment, so
 * isAlive() right after terminate() may still say true. After join() the child is gone, exit code 128 + 15.
 */
public final class IsAliveTerminateExample {
    private IsAliveTerminateExample() {
    }

    public static void main(String[] args) throws Exception {
        SharedQueue<String> printed = Shared.queue();
        JvmProcess p = JvmProcess.start(() -> {
            Children.sleep(5000);
            System.out.println("child process 2");
            printed.put("child process 2");
        });
        System.out.println("alive after start: " + p.isAlive());
        p.terminate(); // asks the OS to end the process
        System.out.println("alive right after terminate: " + p.isAlive());
        Children.joinAll(p);
        System.out.println("alive after join: " + p.isAlive());
        System.out.println("exit code: " + p.exitCode().getAsInt());
        System.out.println("the child printed \"child process 2\": " + !printed.isEmpty());
    }
}
