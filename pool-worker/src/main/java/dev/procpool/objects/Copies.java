package dev.procpool.objects;

import dev.procpool.protocol.Codec;
import dev.procpool.protocol.CodecPool;
import dev.procpool.protocol.Uplink;
import dev.procpool.protocol.Wire;
import dev.procpool.protocol.WireException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Elements, keys and values become stored copies when they are put, and fresh objects when they are taken. */
final class Copies {
    private static final Map<ClassLoader, CodecPool> CODECS = new ConcurrentHashMap<>();

    private Copies() {
    }

    /**
     * A copy of {@code value}, serialized now, in this thread.
     *
     * @throws NullPointerException for null
     * @throws IllegalArgumentException when it cannot be serialized (the Java collections' contract)
     */
    static Element of(Object value) {
        Objects.requireNonNull(value, "shared objects hold no null elements, keys or values");
        CodecPool pool = pool();
        Codec codec = pool.borrow();
        try {
            Transit.Serialized copy = Transit.serialize(codec, value);
            return new Element(copy.bytes(), copy.handles(), false);
        } catch (WireException e) {
            throw new IllegalArgumentException("a shared object cannot store it: " + e.getMessage(), e);
        } finally {
            pool.release(codec);
        }
    }

    /**
     * The largest copy this JVM can send to the root or receive from it: in a child, one frame of its connection
     * less room for the operation around the copy; a larger element fails its put here, naming its class, instead of
     * failing as an unsendable operation, and a taker tells the root so that the root keeps an element too large
     * for it instead of losing it in a reply that cannot be sent.
     */
    static int maxBytes() {
        Uplink uplink = Uplink.current();
        if (Self.isRoot() || uplink == null) {
            return Wire.DEFAULT_MAX_FRAME_BYTES;
        }
        int frame = uplink.maxFrameBytes();
        return frame - Math.min(4096, frame / 2);
    }

    /** A fresh object from a copy; null for null. */
    @SuppressWarnings("unchecked")
    static <T> T value(Object answer) {
        if (answer == null) {
            return null;
        }
        Element element = (Element) answer;
        CodecPool pool = pool();
        Codec codec = pool.borrow();
        try {
            return (T) codec.fromBytes(element.bytes());
        } catch (WireException e) {
            throw new IllegalStateException("a copy from a shared object " + e.getMessage(), e);
        } finally {
            pool.release(codec);
            if (element.moved() && Self.isRoot()) {
                Host.INSTANCE.lifetimes().unpin(element.embedded()); // its handles exist here now
            }
        }
    }

    private static CodecPool pool() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ClassLoader key = loader != null ? loader : Copies.class.getClassLoader();
        return CODECS.computeIfAbsent(key, l -> new CodecPool(l, maxBytes()));
    }
}
