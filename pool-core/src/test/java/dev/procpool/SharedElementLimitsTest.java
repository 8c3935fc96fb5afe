package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedMap;
import dev.procpool.shared.SharedQueue;
import dev.procpool.testing.Await;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Waiting;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elements at the edges of what a JVM of the family can send or read: larger than a pool's maxFrameBytes, or of a
 * class that only some JVMs have. A call that cannot carry an element fails, naming it; an element is never lost
 * (a take, drainTo, map remove or list remove that could not send it to its caller leaves it where it was, and so
 * does a map put or replace or a list set that would have to send it back as the value it replaces).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedElementLimitsTest {
    private static final Duration END = Duration.ofSeconds(60);
    private static final int FRAME = 64 << 10;

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** An element whose copy is {@code size} bytes and more. */
    record Big(byte[] data) {
        static Big of(int size) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) i;
            }
            return new Big(data);
        }
    }

    private static String outcome(Waiting.Call call) {
        try {
            return "returned " + call.call();
        } catch (Exception e) {
            return e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }

    private ProcessPool smallFramePool() {
        return audit.track(ProcessPool.builder().workers(1).maxFrameBytes(FRAME).build());
    }

    @Test
    void aPutTooLargeForAWorkersFramesFailsAtOnceNamingTheElementsClass() throws Exception {
        SharedQueue<Object> queue = Shared.queue();
        try (ProcessPool pool = smallFramePool()) {
            String tooLarge = pool.apply(x -> outcome(() -> {
                queue.put(Big.of(FRAME));
                return "stored";
            }), 0);
            assertTrue(tooLarge.startsWith("IllegalArgumentException ") && tooLarge.contains(Big.class.getName()),
                    tooLarge);
            assertEquals(0, queue.size(), "nothing was stored");
            assertEquals("returned stored", pool.apply(x -> outcome(() -> {
                queue.put(Big.of(FRAME / 2));
                return "stored";
            }), 1), "an element that fits goes through the same worker's channel");
        }
        assertEquals(FRAME / 2, ((Big) queue.take()).data().length);
    }

    @Test
    void aTakeOfAnElementTooLargeForTheTakerFailsAndTheElementStaysInTheQueue() throws Exception {
        SharedQueue<Object> queue = Shared.queue();
        Big big = Big.of(4 * FRAME);
        queue.put(big);
        queue.put("small");
        try (ProcessPool pool = smallFramePool()) {
            String take = pool.apply(x -> outcome(queue::take), 0);
            assertTrue(take.startsWith("IllegalArgumentException ") && take.contains("stays in the queue"), take);
            assertEquals(2, queue.size(), "the element the worker could not receive was not lost");
            String drain = pool.apply(x -> outcome(() -> queue.drainTo(new ArrayList<>())), 1);
            assertTrue(drain.startsWith("IllegalArgumentException ") && drain.contains("stays in the queue"), drain);
            assertEquals(2, queue.size());
            assertArrayEquals(big.data(), ((Big) queue.take()).data(), "the root takes it intact");
            assertEquals("returned small", pool.apply(x -> outcome(queue::take), 2));

            SharedEvent taking = Shared.event();
            CompletableFuture<String> parked = pool.applyAsync(x -> {
                AtomicReference<String> result = new AtomicReference<>();
                Thread taker = new Thread(() -> result.set(outcome(queue::take)));
                taker.start();
                Waiting.awaitParkedInCall(taker);
                taking.set();
                taker.join();
                return result.get();
            }, 3);
            assertTrue(taking.await(END), "the worker's take waits in the root");
            queue.put(big); // the worker's waiting take cannot receive it
            String waited = Await.resultOf(parked, "the waiting take");
            assertTrue(waited.startsWith("IllegalArgumentException ") && waited.contains("stays in the queue"),
                    waited);
            assertEquals(1, queue.size());
        }
        JvmProcess taker = JvmProcess.start(() -> {
            if (((Big) queue.take()).data().length != 4 * FRAME) {
                throw new IllegalStateException("not the element put");
            }
        });
        assertTrue(taker.join(END));
        assertEquals(OptionalInt.of(0), taker.exitCode(), () -> "a child with the default frames takes it: "
                + taker.failure());
    }

    /** A remove, put, replace or set that would send a value back which the worker cannot receive. */
    @Test
    void aCallThatWouldAnswerAValueTooLargeForTheWorkerFailsAndChangesNothing() throws Exception {
        SharedMap<String, Object> map = Shared.map();
        SharedList<Object> list = Shared.list();
        map.put("big", Big.of(4 * FRAME));
        list.add(Big.of(4 * FRAME));
        try (ProcessPool pool = smallFramePool()) {
            String fromMap = pool.apply(x -> outcome(() -> map.remove("big")), 0);
            assertTrue(fromMap.startsWith("IllegalArgumentException ") && fromMap.contains("stays"), fromMap);
            String fromList = pool.apply(x -> outcome(() -> list.remove(0)), 1);
            assertTrue(fromList.startsWith("IllegalArgumentException ") && fromList.contains("stays"), fromList);
            String put = pool.apply(x -> outcome(() -> map.put("big", "small")), 2);
            assertTrue(put.startsWith("IllegalArgumentException ") && put.contains("the value replaced")
                    && put.contains("stays"), put);
            String replace = pool.apply(x -> outcome(() -> map.replace("big", "small")), 3);
            assertTrue(replace.startsWith("IllegalArgumentException ") && replace.contains("the value replaced"),
                    replace);
            String set = pool.apply(x -> outcome(() -> list.set(0, "small")), 4);
            assertTrue(set.startsWith("IllegalArgumentException ") && set.contains("the element replaced"), set);
            assertEquals("returned null", pool.apply(x -> outcome(() -> map.put("new", "small")), 5),
                    "a put over no value goes through");
            assertEquals("returned small", pool.apply(x -> outcome(() -> map.put("new", "smaller")), 6),
                    "and one over a value that fits");
        }
        assertEquals("smaller", map.get("new"));
        assertEquals(4 * FRAME, ((Big) map.remove("big")).data().length, "the map kept it");
        assertEquals(4 * FRAME, ((Big) list.remove(0)).data().length, "the list kept it");
    }

    @Test
    void anElementOfAClassOnlyAChildHasFailsInTheRootNamingTheClassAndReachesAChildThatHasIt(@TempDir Path dir)
            throws Exception {
        String classpath = System.getProperty("java.class.path") + File.pathSeparator + compileSecret(dir);
        SharedQueue<Object> queue = Shared.queue();
        SharedMap<String, Object> map = Shared.map();
        JvmProcess putter = JvmProcess.builder().classpath(classpath).start(() -> {
            Object secret = Class.forName("childonly.Secret").getConstructor(String.class).newInstance("one");
            queue.put(secret);
            queue.put(Class.forName("childonly.Secret").getConstructor(String.class).newInstance("two"));
            queue.put("after");
            map.put("secret", secret);
        });
        assertTrue(putter.join(END));
        assertEquals(OptionalInt.of(0), putter.exitCode(), () -> "failure: " + putter.failure());
        RuntimeException unreadable = assertThrows(RuntimeException.class, queue::take);
        assertTrue(unreadable.getMessage().contains("childonly.Secret"), unreadable.getMessage());
        assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class, () -> map.get("secret")));
        assertTrue(map.containsKey("secret"), "a get that cannot read the value removes nothing");
        assertEquals(2, queue.size(), "the queue goes on");
        JvmProcess reader = JvmProcess.builder().classpath(classpath).start(() -> {
            String seen = queue.take() + " " + map.get("secret") + " " + queue.take();
            if (!seen.equals("Secret(two) Secret(one) after")) {
                throw new IllegalStateException(seen);
            }
        });
        assertTrue(reader.join(END));
        assertEquals(OptionalInt.of(0), reader.exitCode(), () -> "a child that has the class reads it: "
                + reader.failure());
    }

    /** Compiles childonly.Secret into {@code dir}/classes, a directory only the children get on their classpath. */
    private static Path compileSecret(Path dir) throws Exception {
        Path source = dir.resolve("src/childonly/Secret.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package childonly;
                public final class Secret {
                    private final String name;
                    public Secret(String name) { this.name = name; }
                    @Override public String toString() { return "Secret(" + name + ")"; }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                source.toString()), "javac");
        return classes;
    }
}
