package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.minlog.Log;
import dev.procpool.objects.Transit;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * One Kryo instance with the project's configuration plus a reusable output buffer: the only place that decides how
 * objects become bytes, used identically by supervisor and worker. Not thread-safe: one per thread role.
 */
public final class Codec {
    private static final int SHRINK_ABOVE_BYTES = 8 * 1024 * 1024;

    static {
        Log.set(Log.LEVEL_NONE); // Minlog prints to System.out, which in a worker is the protocol channel
        // Classes first used on an error path deep in a stack overflow fail their static initialisation and stay
        // unusable for the JVM's life ("Could not initialize class java.lang.StringBuffer"): touch them now.
        new StringBuffer().append(0).append('x').toString();
    }

    private ClassLoader classLoader;
    private final boolean fromChildren;
    private Kryo kryo; // made when first needed: frames of primitives and boxed items never need one
    private int maxFrameBytes;
    private Output output;
    private final Input input = new Input();
    private boolean sawError;
    private Long destination; // the child whose frames this codec writes now, or null

    public Codec(ClassLoader classLoader, int maxFrameBytes) {
        this(classLoader, maxFrameBytes, false);
    }

    /** @param fromChildren it reads what child JVMs send (shared-object handles from below are counted so) */
    public Codec(ClassLoader classLoader, int maxFrameBytes, boolean fromChildren) {
        this.classLoader = classLoader;
        this.fromChildren = fromChildren;
        this.maxFrameBytes = maxFrameBytes;
        this.output = newOutput();
    }

    /**
     * Loads classes with {@code loader} from now on. A worker's first codec reads INIT before it knows the user's
     * classpath; switching its loader spares building a second Kryo, which costs a start several milliseconds.
     */
    public void classLoader(ClassLoader loader) {
        classLoader = loader;
        if (kryo != null) {
            kryo.setClassLoader(loader);
        }
    }

    /** Makes the Kryo now, while this thread would otherwise wait (a worker, for its INIT). */
    public void prepare() {
        kryo();
    }

    private Kryo kryo() {
        if (kryo == null) {
            kryo = newKryo(classLoader, fromChildren, this);
        }
        return kryo;
    }

    private static Kryo newKryo(ClassLoader classLoader, boolean fromChildren, Codec codec) {
        Kryo kryo = new Kryo();
        kryo.setClassLoader(classLoader);
        kryo.setRegistrationRequired(false); // tasks carry arbitrary user types
        kryo.setReferences(true); // cycles and shared references must survive
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        kryo.register(ClosureSerializer.Closure.class, new ClosureWriter());
        ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
        Transit.register(kryo, fromChildren, codec); // shared-object handles travel as references
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

    /**
     * True once a (de)serialization failed with an Error (stack overflow, linkage error, out of memory): this JVM
     * may be damaged (a class whose initialisation was cut short stays unusable), so a worker should retire.
     */
    public boolean sawError() {
        return sawError;
    }

    /**
     * While set, every shared-object handle this codec writes counts as given to the child {@code token}: a codec
     * that writes a child's tasks sets it around them (and not around replies, whose handles are counted where they
     * are answered). Null: no child.
     */
    public void destination(Long token) {
        destination = token;
    }

    public Long destination() {
        return destination;
    }

    /** Starts a new payload in the reusable buffer. */
    public Output begin() {
        if (output.getBuffer().length > SHRINK_ABOVE_BYTES) {
            output = newOutput(); // do not hold a huge buffer after one large payload
        }
        output.reset();
        return output;
    }

    public Output output() {
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
            kryo().writeClassAndObject(output, value);
        } catch (Throwable e) { // Kryo throws more than KryoException, and a deep graph overflows the stack
            output.setPosition(mark);
            recover(e);
            String limit = e instanceof KryoBufferOverflowException
                    ? " (the payload exceeds the maximum frame size of " + maxFrameBytes + " bytes)" : "";
            throw new WireException("cannot serialize " + className(value) + ": " + describe(e) + limit, e);
        }
    }

    /** Reads one object written by {@link #writeObject}. On failure the rest of the payload cannot be trusted. */
    public Object readObject() throws WireException {
        try {
            return kryo().readClassAndObject(input);
        } catch (Throwable e) {
            recover(e);
            throw new WireException("cannot deserialize: " + describe(e), e);
        }
    }

    /** After an Error inside Kryo its depth and reference state cannot be trusted: start from a new instance. */
    private void recover(Throwable e) {
        if (errorIn(e) != null) {
            sawError = true;
            kryo = null; // a new one when next needed
        } else if (kryo != null) {
            kryo.reset();
        }
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

    public Input input() {
        return input;
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

    /** The Error in the cause chain (Kryo wraps what its serializers throw), or null. */
    private static Error errorIn(Throwable e) {
        for (int depth = 0; e != null && depth < 16; e = e.getCause(), depth++) {
            if (e instanceof Error error) {
                return error;
            }
        }
        return null;
    }

    /** Kryo appends a multi-line serialization trace; its first line plus the trace's class names are enough. */
    static String describe(Throwable e) {
        if (errorIn(e) instanceof StackOverflowError) {
            return "the object graph is too deep (StackOverflowError)";
        }
        String message;
        try {
            message = String.valueOf(e.getMessage());
        } catch (Throwable t) {
            return e.getClass().getName();
        }
        String oneLine = message.replace("\nSerialization trace:\n", " (trace: ").replace('\n', ' ').trim()
                + (message.contains("Serialization trace:") ? ")" : "");
        return (e instanceof Error ? e.getClass().getName() + ": " + oneLine : oneLine) + rootCause(e);
    }

    /** Kryo's own message ("Error reading closure") hides why; the innermost cause says it. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        if (root == e) {
            return "";
        }
        String text;
        try {
            text = root.getMessage() == null ? "" : ": " + root.getMessage().replace('\n', ' ');
        } catch (Throwable t) {
            text = "";
        }
        return " (caused by " + root.getClass().getName() + text + ")";
    }
}
