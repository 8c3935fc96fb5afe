package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedList;

/**
 * Port of "创建进程的两种方式" (a process from a function) in reference/concurrency-2.zh.txt: start() is asynchronous,
 * a function call is synchronous, so the main process eats first while the child eats too.
 */
public final class ProcessFromFunctionExample {
    private ProcessFromFunctionExample() {
    }

    static void course(String name, SharedList<String> story) {
        Children.say(story, name + " is having a meal");
        Children.sleep(900); // 9 s in the tutorial
        Children.say(story, name + " is full!!!");
    }

    public static void main(String[] args) throws Exception {
        SharedList<String> story = Shared.list();
        JvmProcess p = JvmProcess.start(() -> course("summer", story)); // start a process (asynchronous)
        course("hahaha", story); // a function call is synchronous
        Children.say(story, "I am the main process");
        Children.joinAll(p);
        Children.print(story);
        System.out.println(p.name() + " exit code: " + p.exitCode().getAsInt());
    }
}
