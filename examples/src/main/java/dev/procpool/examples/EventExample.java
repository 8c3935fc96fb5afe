package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedQueue;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Port of section 3 (Event) of reference/signalling-and-process-control.zh.txt: "block" waits for the event,
 * "nonblock" waits at most 2 s and then goes on (a timed-out wait is no error: check isSet()); the main process
 * sets the event after 3 s. The main process starts its 3 s once both children are waiting (the tutorial counts on
 * its processes starting fast; JVMs take longer).
 */
public final class EventExample {
    private EventExample() {
    }

    static void waitForEvent(SharedEvent e, SharedList<String> story, SharedQueue<String> started)
            throws InterruptedException {
        Children.say(story, "wait_for_event: starting");
        started.put("block");
        e.await(Children.END);
        Children.say(story, "wait_for_event: e.is_set()-> " + e.isSet());
    }

    static void waitForEventTimeout(SharedEvent e, Duration t, SharedList<String> story, SharedQueue<String> started)
            throws InterruptedException {
        Children.say(story, "wait_for_event_timeout: starting");
        started.put("nonblock");
        e.await(t);
        Children.say(story, "wait_for_event_timeout: e.is_set()-> " + e.isSet());
    }

    public static void main(String[] args) throws Exception {
        SharedEvent e = Shared.event();
        SharedList<String> story = Shared.list();
        SharedQueue<String> started = Shared.queue();
        JvmProcess w1 = JvmProcess.builder().name("block").start(() -> waitForEvent(e, story, started));
        JvmProcess w2 = JvmProcess.builder().name("nonblock")
                .start(() -> waitForEventTimeout(e, Duration.ofSeconds(2), story, started));
        Children.say(story, "main: waiting before calling Event.set()");
        for (int i = 0; i < 2; i++) {
            if (started.poll(Children.END.toSeconds(), TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("a child did not start");
            }
        }
        Children.sleep(3000);
        e.set();
        Children.say(story, "main: event is set");
        Children.joinAll(w1, w2);
        Children.print(story);
    }
}
