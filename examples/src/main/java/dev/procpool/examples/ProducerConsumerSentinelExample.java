package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedQueue;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Port of the producer/consumer "fully implemented" program in reference/daemons-mutexes-ipc-producer-consumer.en.txt
 * (and of the producer/consumer in reference/mutex-ipc-queue.zh.txt): three producers make three of their food
 * each, two consumers eat until they take the end signal. A producer must not put the signal (a consumer would stop
 * while food is still coming): the main process puts one per consumer once every producer has ended. Python's None
 * is {@link #NONE} here (a SharedQueue holds no nulls). The tutorial's 1-3 s delays are 0.1-0.3 s.
 */
public final class ProducerConsumerSentinelExample {
    /** The end signal, Python's None. */
    static final String NONE = "<no more food>";

    private ProducerConsumerSentinelExample() {
    }

    static void producer(String name, String food, SharedQueue<String> q, SharedList<String> story)
            throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            String res = food + " " + i;
            Children.sleep(ThreadLocalRandom.current().nextLong(100, 301));
            q.put(res);
            Children.say(story, name + " produced " + res);
        }
    }

    static void consumer(String name, SharedQueue<String> q, SharedList<String> story) throws InterruptedException {
        while (true) {
            String res = q.take();
            if (res.equals(NONE)) {
                break;
            }
            Children.sleep(ThreadLocalRandom.current().nextLong(100, 301));
            Children.say(story, name + " ate " + res);
        }
    }

    public static void main(String[] args) throws Exception {
        SharedQueue<String> q = Shared.queue();
        SharedList<String> story = Shared.list();
        List<JvmProcess> producers = List.of(
                JvmProcess.start(() -> producer("Egon", "bun", q, story)),
                JvmProcess.start(() -> producer("wxx", "dumpling", q, story)),
                JvmProcess.start(() -> producer("lxx", "wonton", q, story)));
        List<JvmProcess> consumers = List.of(
                JvmProcess.start(() -> consumer("Alex", q, story)),
                JvmProcess.start(() -> consumer("Peiqi", q, story)));
        Children.joinAll(producers);
        for (int i = 0; i < consumers.size(); i++) {
            q.put(NONE); // one end signal per consumer
        }
        Children.joinAll(consumers);
        Children.print(story);
        System.out.println("consumers' exit codes: " + consumers.stream().map(c -> c.exitCode().getAsInt()).toList());
        System.out.println("left in the queue: " + q.size());
    }
}
