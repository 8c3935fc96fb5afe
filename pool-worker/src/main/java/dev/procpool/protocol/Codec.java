package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.minlog.Log;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * One Kryo instance with the project's configuration plus a reusable output buffer: the only place that decides how
 * objects become bytes, used identically by supervisor and worker. Not thread-safe: one per thread.
 */
public final class Codec {
    private static final int SHRINK_ABOVE_BYTES = 8 * 1024 * 1024;

    static {
        Log.set(Log.LEVEL_NONE); // Minlog prints to System.out, which in a worker is the protocol channel
    }

    private final Kryo kryo;
    private int maxFrameBytes;
    private Output output;
    private final Input input = new Input();

    public Codec(ClassLoader classLoader, int maxFrameBytes) {
        this.kryo = newKryo(classLoader);
        this.maxFrameBytes = maxFrameBytes;
        this.output = newOutput();
    }

    private static Kryo newKryo(ClassLoader classLoader) {
        Kryo kryo = new Kryo();
        kryo.setClassLoader(classLoader);
        kryo.setRegistrationRequired(false); // tasks carry arbitrary user types
        kryo.setReferences(true); // cycles and shared references must survive
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        kryo.register(ClosureSerializer.Closure.class, new ClosureSerializer());
        ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
        return kryo;
    }

    /** Payloads above this size fail to serialize (the limit comes with INIT in a worker). */
    public void maxFrameBytes(int bytes) {
        maxFrameBytes = bytes;
        output = newOutput();
    }

    private Output newOutput() {
        return new Output(4096, maxFrameBytes);
    }

    /** Starts a new payload in the reusable buffer. */
    public Output begin() {
        if (output.getBuffer().length > SHRINK_ABOVE_BYTES) {
            output = newOutput(); // do not hold a huge buffer after one large payload
        }
        output.reset();
        return output;
    }

    public byte[] buffer() {
        return output.getBuffer();
    }

    public int length() {
        return output.position();
    }

    /** Writes one object with its class into the current payload; on failure the payload is as it was before. */
    public void writeObject(Object value) throws WireException {
        int mark = output.position();
        try {
            kryo.writeClassAndObject(output, value);
        } catch (RuntimeException | StackOverflowError e) { // Kryo throws more than KryoException
            output.setPosition(mark);
            kryo.reset();
            String limit = e instanceof KryoBufferOverflowException
                    ? " (the payload exceeds the maximum frame size of " + maxFrameBytes + " bytes)" : "";
            throw new WireException("cannot serialize " + className(value) + ": " + firstLine(e) + limit, e);
        }
    }

    /** How a sequence of items is encoded: chunks of one boxed type go without per-item class and reference data. */
    private static final byte ITEMS_GENERIC = 0;
    private static final byte ITEMS_INT = 1;
    private static final byte ITEMS_LONG = 2;
    private static final byte ITEMS_DOUBLE = 3;
    private static final byte ITEMS_STRING = 4;

    /**
     * Writes the items (a chunk's inputs or results) into the current payload. An item that cannot be serialized
     * is written as null and explained in the returned array, which is null when every item was written.
     */
    public String[] writeItems(Object[] items) {
        output.writeVarInt(items.length, true);
        byte kind = kindOf(items);
        output.writeByte(kind);
        switch (kind) {
            case ITEMS_INT -> {
                for (Object item : items) {
                    output.writeVarInt((Integer) item, false);
                }
            }
            case ITEMS_LONG -> {
                for (Object item : items) {
                    output.writeVarLong((Long) item, false);
                }
            }
            case ITEMS_DOUBLE -> {
                for (Object item : items) {
                    output.writeDouble((Double) item);
                }
            }
            case ITEMS_STRING -> {
                for (Object item : items) {
                    output.writeString((String) item);
                }
            }
            default -> {
                return writeEach(items);
            }
        }
        return null;
    }

    private String[] writeEach(Object[] items) {
        String[] problems = null;
        for (int i = 0; i < items.length; i++) {
            try {
                writeObject(items[i]);
            } catch (WireException e) {
                kryo.writeClassAndObject(output, null);
                problems = problems == null ? new String[items.length] : problems;
                problems[i] = e.getMessage();
            }
        }
        return problems;
    }

    private static byte kindOf(Object[] items) {
        if (items.length == 0 || items[0] == null) {
            return ITEMS_GENERIC;
        }
        Class<?> type = items[0].getClass();
        for (Object item : items) {
            if (item == null || item.getClass() != type) {
                return ITEMS_GENERIC;
            }
        }
        if (type == Integer.class) {
            return ITEMS_INT;
        } else if (type == Long.class) {
            return ITEMS_LONG;
        } else if (type == Double.class) {
            return ITEMS_DOUBLE;
        } else if (type == String.class) {
            return ITEMS_STRING;
        }
        return ITEMS_GENERIC;
    }

    /**
     * Reads items written by {@link #writeItems} from the current input. {@code failedAt} is the index of the first
     * item that could not be read (the rest of the payload cannot be trusted then), or -1.
     */
    public Items readItems() {
        Object[] items = new Object[input.readVarInt(true)];
        byte kind = input.readByte();
        switch (kind) {
            case ITEMS_INT -> {
                for (int i = 0; i < items.length; i++) {
                    items[i] = input.readVarInt(false);
                }
            }
            case ITEMS_LONG -> {
                for (int i = 0; i < items.length; i++) {
                    items[i] = input.readVarLong(false);
                }
            }
            case ITEMS_DOUBLE -> {
                for (int i = 0; i < items.length; i++) {
                    items[i] = input.readDouble();
                }
            }
            case ITEMS_STRING -> {
                for (int i = 0; i < items.length; i++) {
                    items[i] = input.readString();
                }
            }
            default -> {
                for (int i = 0; i < items.length; i++) {
                    try {
                        items[i] = readObject();
                    } catch (WireException e) {
                        return new Items(items, i, e);
                    }
                }
            }
        }
        return new Items(items, -1, null);
    }

    /** Items read from a payload; see {@link #readItems()}. */
    public record Items(Object[] values, int failedAt, WireException failure) {
    }

    /** Starts reading a payload. */
    public Input open(byte[] payload) {
        input.setBuffer(payload);
        return input;
    }

    /** Starts reading a frame's payload. */
    public Input open(Frame frame) {
        input.setBuffer(frame.payload(), 0, frame.length());
        return input;
    }

    /** Reads one object written by {@link #writeObject}. On failure the rest of the payload cannot be trusted. */
    public Object readObject() throws WireException {
        try {
            return kryo.readClassAndObject(input);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            kryo.reset();
            throw new WireException("cannot deserialize: " + firstLine(e), e);
        }
    }

    /** A standalone copy of one object's bytes (task functions and initializers are serialized once and reused). */
    public byte[] toBytes(Object value) throws WireException {
        Output out = begin();
        writeObject(value);
        return out.toBytes();
    }

    public Object fromBytes(byte[] bytes) throws WireException {
        open(bytes);
        return readObject();
    }

    private static String className(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** Kryo appends a multi-line serialization trace; its first line plus the trace's class names are enough. */
    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        return message.replace("\nSerialization trace:\n", " (trace: ").replace('\n', ' ').trim()
                + (message.contains("Serialization trace:") ? ")" : "");
    }
}
