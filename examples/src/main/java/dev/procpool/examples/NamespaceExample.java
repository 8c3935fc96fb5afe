package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Port of section 8 (Namespace) of reference/signalling-and-process-control.zh.txt: a value set by one process is
 * seen by another after an event; a mutable value is a copy, so appending to it in a child changes nothing shared
 * (Python: "DOES NOT UPDATE GLOBAL VALUE!") until it is set again. The producer starts once the consumer has looked
 * (the tutorial counts on its start order).
 */
public final class NamespaceExample {
    private NamespaceExample() {
    }

    static void consumer(SharedNamespace ns, SharedEvent event, SharedEvent looked, SharedList<String> story)
            throws InterruptedException {
        try {
            Children.say(story, "Before event: " + ns.get("value"));
        } catch (NoSuchElementException err) {
            Children.say(story, "Before event, error: " + err.getMessage());
        }
        looked.set();
        event.await(Children.END);
        Children.say(story, "After event: " + ns.get("value"));
    }

    static void listConsumer(SharedNamespace ns, SharedEvent event, SharedEvent looked, SharedList<String> story)
            throws InterruptedException {
        Children.say(story, "Before event: " + ns.get("my_list"));
        looked.set();
        event.await(Children.END);
        Children.say(story, "After event : " + ns.get("my_list"));
    }

    /** Starts the consumer, then, once it has looked, the producer; joins both. */
    static void run(JvmProcess consumer, SharedEvent looked, Runnable startProducer) throws InterruptedException {
        if (!looked.await(Children.END)) {
            throw new IllegalStateException("the consumer did not start");
        }
        startProducer.run();
        Children.joinAll(consumer);
    }

    public static void main(String[] args) throws Exception {
        SharedList<String> story = Shared.list();
        SharedNamespace namespace = Shared.namespace();
        SharedEvent event = Shared.event();
        SharedEvent looked = Shared.event();
        List<JvmProcess> producers = new ArrayList<>();
        JvmProcess c = JvmProcess.start(() -> consumer(namespace, event, looked, story));
        run(c, looked, () -> producers.add(JvmProcess.start(() -> {
            namespace.set("value", "This is the value");
            event.set();
        })));

        SharedNamespace ns = Shared.namespace();
        ns.set("my_list", new ArrayList<String>());
        SharedEvent event2 = Shared.event();
        SharedEvent looked2 = Shared.event();
        JvmProcess c2 = JvmProcess.start(() -> listConsumer(ns, event2, looked2, story));
        run(c2, looked2, () -> producers.add(JvmProcess.start(() -> {
            List<String> myList = ns.get("my_list");
            myList.add("This is the value"); // DOES NOT UPDATE THE SHARED VALUE: a copy
            event2.set();
        })));
        Children.joinAll(producers);

        JvmProcess setter = JvmProcess.start(() -> {
            List<String> myList = ns.get("my_list");
            myList.add("This is the value");
            ns.set("my_list", myList); // set again: now it is shared
        });
        Children.joinAll(setter);
        Children.print(story);
        System.out.println("After set again: " + ns.get("my_list"));
        System.out.println(ns);
    }
}
