package dev.procpool.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Port of the ticket sale (抢票) in reference/daemons-mutexes-ipc-producer-consumer.en.txt, also in
 * reference/mutex-ipc-queue.zh.txt, reference/concurrency-2.zh.txt and reference/locks-and-queues.zh.txt: a JSON
 * file {"count": 1} is the database, ten buyers check the count at the same time, then buy under a {@link
 * SharedLock}, which makes the read-decide-write part serial: exactly as many tickets are sold as there were.
 * Arguments: [database file] [tickets]; the tutorial's delays are divided by 20.
 */
public final class TicketSaleExample {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TicketSaleExample() {
    }

    /** One buyer's result, sent to the main process. */
    record Outcome(String buyer, boolean bought) {
    }

    static int count(Path db) throws IOException {
        return JSON.readTree(db.toFile()).get("count").asInt();
    }

    /** Writes a new file and moves it in place, so that a buyer checking at the same time never reads half of it. */
    static void write(Path db, int count) throws IOException {
        ObjectNode data = JSON.createObjectNode().put("count", count);
        Path next = Files.createTempFile(db.toAbsolutePath().getParent(), "db", ".json");
        JSON.writeValue(next.toFile(), data);
        Files.move(next, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void check(Path db, SharedList<String> story) throws IOException {
        Children.sleep(50); // network latency
        Children.say(story, "checks: tickets left [" + count(db) + "]");
    }

    static boolean get(Path db, SharedList<String> story) throws IOException {
        int count = count(db);
        Children.sleep(100);
        if (count > 0) {
            Children.sleep(ThreadLocalRandom.current().nextLong(50, 151));
            write(db, count - 1);
            Children.say(story, "bought a ticket");
            return true;
        }
        Children.say(story, "no more tickets");
        return false;
    }

    static void task(String name, String db, SharedLock mutex, SharedList<String> story,
            SharedQueue<Outcome> outcomes) throws Exception {
        check(Path.of(db), story);
        boolean bought;
        mutex.lock(); // Python: mutex.acquire() / with mutex:
        try {
            bought = get(Path.of(db), story);
        } finally {
            mutex.unlock();
        }
        outcomes.put(new Outcome(name, bought));
    }

    public static void main(String[] args) throws Exception {
        Path db = args.length > 0 ? Path.of(args[0]) : Files.createTempFile("db", ".json");
        int tickets = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        write(db, tickets);
        String file = db.toAbsolutePath().toString();
        SharedLock mutex = Shared.lock();
        SharedList<String> story = Shared.list();
        SharedQueue<Outcome> outcomes = Shared.queue();
        List<JvmProcess> buyers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "buyer " + i;
            buyers.add(JvmProcess.builder().name(name).start(() -> task(name, file, mutex, story, outcomes)));
        }
        Children.joinAll(buyers);
        Children.print(story);
        int sold = 0;
        for (int i = 0; i < buyers.size(); i++) {
            Outcome outcome = outcomes.poll(Children.END.toSeconds(), TimeUnit.SECONDS);
            sold += outcome.bought() ? 1 : 0;
        }
        System.out.println("tickets sold: " + sold + " of " + tickets + ", left in the database: " + count(db));
        if (args.length == 0) {
            Files.delete(db);
        }
    }
}
