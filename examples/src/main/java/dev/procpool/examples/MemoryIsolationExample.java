package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Port of "进程间数据默认隔离" in reference/concurrency-2.zh.txt (money = 9999) and of the num = 100 program in
 * reference/locks-and-queues.zh.txt: the child changes its own copy of a static field; the main process keeps its
 * value. To exchange data, use a queue (here the child reports what it saw through one).
 */
public final class MemoryIsolationExample {
    static int money = 9999;

    private MemoryIsolationExample() {
    }

    public static void main(String[] args) throws Exception {
        SharedQueue<Integer> seen = Shared.queue();
        JvmProcess p = JvmProcess.start(() -> {
            money = 6666;
            System.out.println("child process " + money);
            seen.put(money);
        });
        Children.joinAll(p);
        System.out.println("child process: " + seen.poll(Children.END.toSeconds(), TimeUnit.SECONDS));
        System.out.println("main process: " + money);
    }
}
