package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedJoinableQueue;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedQueue;
import dev.procpool.worker.ProcessTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Port of section 2 of reference/signalling-and-process-control.zh.txt: Consumer processes (a class with fields)
 * take Task objects from a JoinableQueue, put their answers in a result queue, and stop at a poison pill, one per
 * consumer; the main process joins the task queue, then prints the results.
 */
public final class ConsumerTasksExample {
    private ConsumerTasksExample() {
    }

    /** Python's Task: __call__ does the work, __str__ describes it. The poison pill is Python's None. */
    record Task(int a, int b, boolean poisonPill) {
        static Task of(int a, int b) {
            return new Task(a, b, false);
        }

        static Task poison() {
            return new Task(0, 0, true);
        }

        String call() {
            Children.sleep(100); // pretend to take time to do the work
            return a + " * " + b + " = " + a * b;
        }

        @Override
        public String toString() {
            return a + " * " + b;
        }
    }

    static final class Consumer implements ProcessTarget {
        private final SharedJoinableQueue<Task> taskQueue;
        private final SharedQueue<String> resultQueue;
        private final SharedList<String> story;

        Consumer(SharedJoinableQueue<Task> taskQueue, SharedQueue<String> resultQueue, SharedList<String> story) {
            this.taskQueue = taskQueue;
            this.resultQueue = resultQueue;
            this.story = story;
        }

        @Override
        public void run() throws InterruptedException {
            while (true) {
                Task nextTask = taskQueue.take();
                if (nextTask.poisonPill()) { // poison pill means shutdown
                    Children.say(story, "Exiting"); // Children.say puts the process name first
                    taskQueue.taskDone();
                    break;
                }
                Children.say(story, nextTask.toString());
                String answer = nextTask.call();
                taskQueue.taskDone();
                resultQueue.put(answer);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        SharedJoinableQueue<Task> tasks = Shared.joinableQueue();
        SharedQueue<String> results = Shared.queue();
        SharedList<String> story = Shared.list();
        int numConsumers = Runtime.getRuntime().availableProcessors() * 2;
        System.out.println("Creating " + numConsumers + " consumers");
        List<JvmProcess> consumers = new ArrayList<>();
        for (int i = 1; i <= numConsumers; i++) {
            consumers.add(JvmProcess.builder().name("Consumer-" + i).start(new Consumer(tasks, results, story)));
        }
        int numJobs = 10;
        for (int i = 0; i < numJobs; i++) {
            tasks.put(Task.of(i, i));
        }
        for (int i = 0; i < numConsumers; i++) {
            tasks.put(Task.poison()); // a poison pill for each consumer
        }
        if (!tasks.join(Children.END)) { // wait for all of the tasks to finish
            throw new IllegalStateException("tasks not done within " + Children.END);
        }
        Children.print(story);
        while (numJobs > 0) {
            System.out.println("Result: " + results.poll(Children.END.toSeconds(), TimeUnit.SECONDS));
            numJobs--;
        }
        Children.joinAll(consumers);
    }
}
