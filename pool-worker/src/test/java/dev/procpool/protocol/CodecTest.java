package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.worker.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {
    private final Codec codec = new Codec(getClass().getClassLoader(), 1 << 20);

    static final class Node {
        Node next;
        List<Node> all = new ArrayList<>();
    }

    @Test
    void cyclesAndSharedReferencesRoundTrip() throws WireException {
        Node a = new Node();
        Node b = new Node();
        a.next = b;
        b.next = a;
        a.all.add(a);
        a.all.add(b);
        Node back = (Node) codec.fromBytes(codec.toBytes(a));
        assertSame(back, back.next.next);
        assertSame(back, back.all.get(0));
        assertSame(back.next, back.all.get(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serializableLambdasWithCapturedStateRoundTrip() throws Exception {
        int offset = 5;
        Task<Integer, Integer> task = x -> x + offset;
        Task<Integer, Integer> back = (Task<Integer, Integer>) codec.fromBytes(codec.toBytes(task));
        assertEquals(12, back.apply(7));
    }

    @Test
    void aNonSerializableObjectFailsWithItsClassNamedAndTheCodecStaysUsable() throws WireException {
        Runnable plainLambda = () -> { };
        WireException e = assertThrows(WireException.class, () -> codec.toBytes(List.of(plainLambda)));
        assertTrue(e.getMessage().contains("cannot serialize"), e.getMessage());
        assertEquals("still works", codec.fromBytes(codec.toBytes("still works")));
    }

    @Test
    void anObjectAboveTheMaximumFrameSizeFailsCleanly() throws WireException {
        WireException e = assertThrows(WireException.class, () -> codec.toBytes(new byte[2 << 20]));
        assertTrue(e.getMessage().contains("byte[]") || e.getMessage().contains("[B"), e.getMessage());
        assertEquals(3, codec.fromBytes(codec.toBytes(3)));
    }

    @Test
    void throwablesTravelAsDataWithCausesSuppressedAndFrames() {
        IOException root = new IOException("root");
        IllegalStateException top = new IllegalStateException("top", root);
        top.addSuppressed(new RuntimeException("suppressed"));
        var out = codec.begin();
        RemoteThrowable.of(top).write(out);
        RemoteThrowable back = RemoteThrowable.read(codec.open(out.toBytes()));
        assertEquals(IllegalStateException.class.getName(), back.className());
        assertEquals("top", back.message());
        assertEquals(top.getStackTrace().length, back.stackTrace().length);
        assertEquals(top.getStackTrace()[0], back.stackTrace()[0]);
        assertEquals("root", back.cause().message());
        assertNull(back.cause().cause());
        assertEquals(1, back.suppressed().length);
        assertInstanceOf(RemoteThrowable.class, back.suppressed()[0]);
    }

    private Items roundTrip(Object[] items) {
        codec.begin();
        String[] problems = Items.write(codec, Values.of(items));
        byte[] bytes = java.util.Arrays.copyOf(codec.buffer(), codec.length());
        codec.open(bytes);
        Items back = Items.read(codec);
        if (problems != null) {
            for (int i = 0; i < problems.length; i++) {
                assertEquals(problems[i] == null, back.values().get(i) != null || items[i] == null);
            }
        }
        return back;
    }

    @Test
    void itemsOfOneBoxedTypeAndMixedItemsRoundTrip() {
        Object[][] cases = {
            {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE},
            {1L, -2L, Long.MAX_VALUE},
            {0.5, -1e300, Double.NaN},
            {"a", "", "\u00e9\u4e2d"},
            {1, "mixed", null, 2L, List.of(3)},
            {null, null},
            {},
        };
        for (Object[] items : cases) {
            Items back = roundTrip(items);
            assertNull(back.problems());
            assertEquals(java.util.Arrays.asList(items), list(back.values()));
        }
    }

    private static List<Object> list(Values values) {
        List<Object> list = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            list.add(values.get(i));
        }
        return list;
    }

    @Test
    void valuesOfOnePrimitiveBoxTypeArePackedAndArriveAsPrimitives() {
        Object[][] packable = {{7, -1, Integer.MIN_VALUE}, {7L, Long.MIN_VALUE}, {-0.0, Double.NaN, 1e-300}};
        List<Class<?>> kinds = List.of(Values.Ints.class, Values.Longs.class, Values.Doubles.class);
        for (int k = 0; k < packable.length; k++) {
            Values packed = Values.packed(packable[k]);
            assertInstanceOf(kinds.get(k), packed);
            assertEquals(java.util.Arrays.asList(packable[k]), list(packed));
            codec.begin();
            assertNull(Items.write(codec, packed));
            codec.open(java.util.Arrays.copyOf(codec.buffer(), codec.length()));
            Items back = Items.read(codec);
            assertInstanceOf(kinds.get(k), back.values(), "boxed values of one type come back as primitives");
            assertEquals(java.util.Arrays.asList(packable[k]), list(back.values()));
        }
        Object[][] unpackable = {{1, 2L}, {1, null}, {"a"}, {}, {new Object[] {1}}};
        for (Object[] values : unpackable) {
            assertInstanceOf(Values.Boxed.class, Values.packed(values));
        }
        assertEquals(1, Values.one(new Object[] {1, 2}).size(), "an array is one value");
    }

    @Test
    void anItemThatCannotBeWrittenIsReportedAndTheOthersArrive() {
        Runnable notSerializable = () -> { };
        codec.begin();
        String[] problems = Items.write(codec, Values.of(new Object[] {"ok", notSerializable, 3}));
        assertNull(problems[0]);
        assertTrue(problems[1].contains("cannot serialize"), problems[1]);
        codec.open(java.util.Arrays.copyOf(codec.buffer(), codec.length()));
        Items back = Items.read(codec);
        assertEquals(List.of("ok", "null", "3"), list(back.values()).stream().map(String::valueOf).toList());
    }

    /** Written fine, but its reading fails, as for a class the reader does not have. */
    static final class Unreadable implements com.esotericsoftware.kryo.KryoSerializable {
        @Override
        public void write(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Output out) {
            out.writeInt(42);
        }

        @Override
        public void read(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Input in) {
            throw new IllegalStateException("not readable here");
        }
    }

    @Test
    void anItemThatCannotBeReadCostsOnlyItself() {
        codec.begin();
        assertNull(Items.write(codec, Values.of(new Object[] {"a", new Unreadable(), List.of(7)})));
        codec.open(java.util.Arrays.copyOf(codec.buffer(), codec.length()));
        Items back = Items.read(codec);
        assertEquals("a", back.values().get(0));
        assertNull(back.problem(0));
        assertTrue(back.problem(1).contains("cannot deserialize"), back.problem(1));
        assertEquals(List.of(7), back.values().get(2));
        assertNull(back.problem(2));
    }

    static final class Deep {
        Deep next;
    }

    @Test
    void aGraphTooDeepFailsCleanlyAndTheCodecStaysUsable() throws WireException {
        Deep head = new Deep();
        for (int i = 0; i < 200_000; i++) {
            Deep node = new Deep();
            node.next = head;
            head = node;
        }
        Deep deep = head;
        WireException e = assertThrows(WireException.class, () -> codec.toBytes(deep));
        assertTrue(e.getMessage().contains(Deep.class.getName()), e.getMessage());
        assertTrue(codec.sawError());
        assertEquals("still works", codec.fromBytes(codec.toBytes("still works")));
    }
}
