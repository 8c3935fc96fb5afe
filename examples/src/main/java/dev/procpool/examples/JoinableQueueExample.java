package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedJoinableQueue;
import dev.procpool.shared.SharedList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Port of the "ultimate edition" producer/consumer in reference/daemons-mutexes-ipc-producer-consumer.en.txt (the
 * same program as in reference/mutex-ipc-queue.zh.txt and reference/locks-and-queues.zh.txt): consumers call
 * taskDone() for each item, the main process joins the producers, then the queue, and needs no end signal: its
 * consumers are daemons. Python's daemons die when the main program's code ends; procpool's die when their parent
 * JVM exits, and this JVM may go on after main() (a test calls it), so main() terminates them itself. The
 * tutorial's 1-3 s delays are 0.1-0.3 s.
 */
public final class JoinableQueueExample {
    private JoinableQueueExample() {
    }

    static void producer(String name, String food, SharedJoinableQueue<String> q, SharedList<String> story)
            throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            String res = food + " " + i;
            Children.sleep(ThreadLocalRandom.current().nextLong(100, 301));
            q.put(res);
            Children.say(story, name + " produced " + res);
        }
    }

    static void consumer(String name, SharedJoinableQueue<String> q, SharedList<String> story)
            throws InterruptedException {
        while (true) {
            String res = q.take();
            Children.sleep(ThreadLocalRandom.current().nextLong(100, 301));
            Children.say(story, name + " ate " + res);
            q.taskDone(); // one signal: this item has been dealt with
        }
    }

    public static void main(String[] args) throws Exception {
        SharedJoinableQueue<String> q = Shared.joinableQueue();
        SharedList<String> story = Shared.list();
        List<JvmProcess> producers = List.of(
                JvmProcess.start(() -> producer("Egon", "bun", q, story)),
                JvmProcess.start(() -> producer("Bajie", "swill", q, story)),
                JvmProcess.start(() -> producer("Monkey", "banana", q, story)));
        List<JvmProcess> consumers = List.of(
                JvmProcess.builder().daemon(true).start(() -> consumer("Zhou", q, story)),
                JvmProcess.builder().daemon(true).start(() -> consumer("Wu", q, story)));
        Children.joinAll(producers);
        if (!q.join(Children.END)) { // until every item put has had its taskDone()
            throw new IllegalStateException("the queue was not emptied within " + Children.END);
        }
        long eaten = story.stream().filter(line -> line.contains(" ate ")).count();
        Children.print(story);
        System.out.println("eaten when join() returned: " + eaten);
        System.out.println("daemon consumers still waiting for food: "
                + consumers.stream().allMatch(JvmProcess::isAlive));
        consumers.forEach(JvmProcess::terminate); // what the end of Python's main code does to its daemons
        Children.joinAll(consumers);
        System.out.println("end");
    }
}
