package dev.procpool.objects;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Services;
import dev.procpool.protocol.Uplink;
import dev.procpool.protocol.WireException;
import java.util.ArrayList;
import java.util.List;

/**
 * Handles as they travel: serialized as kind and id, and counted on the way. What a JVM serializes for one of its
 * children (a task's input, a process's target) is recorded as given to that child; what is serialized into a
 * stored copy is collected, so that the root keeps those objects while the copy is stored; a handle that a middle
 * JVM receives from below is announced to the root as given to it.
 */
public final class Transit {
    private static final ThreadLocal<List<Long>> COLLECTED = new ThreadLocal<>();
    /** Kryo context key: this Kryo reads what children send. */
    private static final String FROM_CHILDREN = "procpool.fromChildren";
    /** Kryo context key: the codec that owns this Kryo (its {@link Codec#destination()} is the receiving child). */
    private static final String CODEC = "procpool.codec";

    private Transit() {
    }

    /** Registers the handle serializer with the Kryo of {@code codec}, which reads from children or not. */
    public static void register(Kryo kryo, boolean fromChildren, Codec codec) {
        kryo.addDefaultSerializer(Shareable.class, new HandleSerializer());
        kryo.getContext().put(CODEC, codec);
        if (fromChildren) {
            kryo.getContext().put(FROM_CHILDREN, Boolean.TRUE);
        }
    }

    /** An object's bytes and the ids of the shared objects whose handles they contain. */
    public record Serialized(byte[] bytes, long[] handles) {
    }

    /** Serializes {@code value} standalone (a task, a target, a stored copy), collecting the handles in it. */
    public static Serialized serialize(Codec codec, Object value) throws WireException {
        List<Long> outer = COLLECTED.get();
        List<Long> ids = new ArrayList<>();
        COLLECTED.set(ids);
        try {
            byte[] bytes = codec.toBytes(value);
            return new Serialized(bytes, ids.stream().mapToLong(Long::longValue).toArray());
        } finally {
            COLLECTED.set(outer);
        }
    }

    /** Handles that went to child {@code token} as part of bytes serialized earlier (a task, an initializer). */
    public static void given(long token, long[] ids) {
        for (long id : ids) {
            granted(token, id);
        }
    }

    static void granted(long token, long id) {
        if (Self.isRoot()) {
            Host.INSTANCE.lifetimes().granted(token, id);
        } else {
            Uplink.current().tell(Services.OBJECTS, new Op(0, Codes.GRANT, new Object[] {token, id}, 0,
                    Caller.current(), 0, Op.NONE));
        }
    }

    /** Kind and id; a handle read is this JVM's own handle of that object. */
    static final class HandleSerializer extends Serializer<Shareable> {
        HandleSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Shareable handle) {
            Ref ref = handle.ref();
            output.writeVarInt(ref.kind, true);
            output.writeVarLong(ref.id, true);
            Long destination = ((Codec) kryo.getContext().get(CODEC)).destination();
            if (destination != null) {
                granted(destination, ref.id);
            }
            List<Long> collected = COLLECTED.get();
            if (collected != null) {
                collected.add(ref.id);
            }
        }

        @Override
        public Shareable read(Kryo kryo, Input input, Class<? extends Shareable> type) {
            int kind = input.readVarInt(true);
            long id = input.readVarLong(true);
            boolean fromBelow = kryo.getContext().containsKey(FROM_CHILDREN);
            if (fromBelow && !Self.isRoot()) {
                granted(Self.token(), id); // the root counts this JVM as holding it from now on
            }
            return Handles.of(kind, id, !Self.isRoot());
        }
    }
}
