package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedQueue;
import dev.procpool.worker.CurrentProcess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ports of the Queue programs: MyFancyClass through a queue (section 1 of
 * reference/signalling-and-process-control.zh.txt: any serializable object travels, get() waits while the queue is
 * empty), one child putting and another getting
 * (IPC in reference/concurrency-2.zh.txt, Queue(3) in reference/locks-and-queues.zh.txt), and the Queue API of
 * reference/mutex-ipc-queue.zh.txt and reference/daemons-mutexes-ipc-producer-consumer.en.txt: put_nowait on a full
 * queue raises queue.Full where offer() returns false, get(timeout) raises queue.Empty where poll(timeout) returns
 * null.
 */
public final class QueueOfObjectsExample {
    private QueueOfObjectsExample() {
    }

    /** Python's MyFancyClass: a record travels as a copy. */
    record MyFancyClass(String name) {
        String doSomething() {
            return "Doing something fancy in " + CurrentProcess.name() + " for " + name + "!";
        }
    }

    public static void main(String[] args) throws Exception {
        SharedQueue<MyFancyClass> queue = Shared.queue();
        SharedQueue<String> said = Shared.queue();
        JvmProcess p = JvmProcess.start(() -> {
            MyFancyClass obj = queue.take(); // waits while the queue is empty
            System.out.println(obj.doSomething());
            said.put(obj.doSomething());
        });
        queue.put(new MyFancyClass("Fancy Dan"));
        Children.joinAll(p);
        System.out.println(said.poll(Children.END.toSeconds(), TimeUnit.SECONDS));

        SharedQueue<String> q = Shared.queue(3);
        JvmProcess consumer = JvmProcess.start(() -> q.put("the child consumer put data into the queue"));
        JvmProcess procedure = JvmProcess.start(() -> said.put("the child procedure got from the queue: " + q.take()));
        Children.joinAll(consumer, procedure);
        System.out.println(said.poll(Children.END.toSeconds(), TimeUnit.SECONDS));

        SharedQueue<Object> fifo = Shared.queue(3); // first in, first out
        fifo.put("first");
        fifo.put(new HashMap<>(Map.of("k", "second")));
        fifo.put(new ArrayList<>(List.of("third")));
        System.out.println("size: " + fifo.size() + ", full: " + (fifo.remainingCapacity() == 0));
        System.out.println("put(4, block=True, timeout=0.3): " + fifo.offer(4, 300, TimeUnit.MILLISECONDS));
        System.out.println("put_nowait(4): " + fifo.offer(4));
        for (int i = 0; i < 3; i++) {
            System.out.println("get: " + fifo.poll(3, TimeUnit.SECONDS));
        }
        System.out.println("get(block=True, timeout=0.3): " + fifo.poll(300, TimeUnit.MILLISECONDS));
        System.out.println("get_nowait(): " + fifo.poll());
    }
}
