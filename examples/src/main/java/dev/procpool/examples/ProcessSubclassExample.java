package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedList;
import dev.procpool.worker.ProcessTarget;

/**
 * Port of the MyProcess programs in reference/concurrency-2.zh.txt (a process from a class, then join): Python
 * subclasses Process and overrides run(); here the class implements {@link ProcessTarget} and its fields travel
 * with it. Without join() the main process prints first; with join() it prints after the child ended.
 */
public final class ProcessSubclassExample {
    private ProcessSubclassExample() {
    }

    /** Python's {@code class MyProcess(Process)}: state in fields, the work in run(). */
    static final class MyProcess implements ProcessTarget {
        private final String name;
        private final SharedList<String> story;

        MyProcess(String name, SharedList<String> story) {
            this.name = name;
            this.story = story;
        }

        @Override
        public void run() {
            Children.say(story, name + ", be happy today too");
            Children.sleep(400); // 4 s in the tutorial
            Children.say(story, "hello!");
        }
    }

    public static void main(String[] args) throws Exception {
        SharedList<String> story = Shared.list();
        JvmProcess obj = JvmProcess.builder().name("summer").start(new MyProcess("summer", story));
        Children.say(story, "the main process prints first");
        Children.joinAll(obj);

        JvmProcess joined = JvmProcess.builder().name("summer").start(new MyProcess("summer", story));
        Children.joinAll(joined); // where join() stands decides who prints first
        Children.say(story, "the main process prints after");
        Children.print(story);
    }
}
