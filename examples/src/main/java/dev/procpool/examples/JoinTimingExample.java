package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedList;
import java.util.List;

/**
 * Port of the join-and-timing program in reference/concurrency-2.zh.txt: three processes eat for 1, 2 and 3
 * seconds at the same time, so joining all three takes about 3 seconds (plus the JVMs' start), not 6.
 */
public final class JoinTimingExample {
    private JoinTimingExample() {
    }

    static void course(String name, int n, SharedList<String> story) {
        Children.say(story, name + " is having a meal");
        Children.sleep(n * 1000L);
        Children.say(story, name + " is full!!!");
    }

    public static void main(String[] args) throws Exception {
        SharedList<String> story = Shared.list();
        long start = System.nanoTime();
        JvmProcess p1 = JvmProcess.start(() -> course("summer", 1, story));
        JvmProcess p2 = JvmProcess.start(() -> course("sun", 2, story));
        JvmProcess p3 = JvmProcess.start(() -> course("sum", 3, story));
        Children.joinAll(p1, p2, p3);
        double total = (System.nanoTime() - start) / 1e9;
        List<String> told = List.copyOf(story);
        Children.print(story);
        long full = told.stream().filter(line -> line.endsWith(" is full!!!")).count();
        System.out.println("full when the joins returned: " + full);
        System.out.printf("total time: %.1f s%n", total);
        System.out.println("main process");
    }
}
