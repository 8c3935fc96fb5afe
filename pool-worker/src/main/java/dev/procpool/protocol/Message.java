package dev.procpool.protocol;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Every message of the protocol, each with its payload's layout written and read in one place and used by both
 * sides. The request id travels in the frame header (see {@link FrameType} for who sends what).
 */
public sealed interface Message {
    FrameType type();

    /** Writes the payload into the codec's current output (after {@link Codec#begin()}). */
    void write(Codec codec);

    /** Decodes a frame's payload; objects inside (inputs, results, call arguments) each decode on their own. */
    static Message read(Frame frame, Codec codec) {
        Input in = codec.open(frame);
        return switch (frame.type()) {
            case HELLO -> new Hello(in.readInt(), in.readLong());
            case INIT -> Init.read(in);
            case INIT_FAILED -> new InitFailed(RemoteThrowable.read(in));
            case DEFINE -> new Define(in.readLong(), in.readLong(), in.readBytes(in.readVarInt(true)));
            case RUN -> new Run(in.readLong(), Items.read(codec));
            case RESULT -> Result.read(codec);
            case CALL -> Call.read(codec);
            case REPLY -> Reply.read(codec);
            case ERROR -> new ErrorText(in.readString());
            case READY, REVOKE, REVOKED, HEARTBEAT, RUNNING, END, GOODBYE -> new Signal(frame.type());
        };
    }

    /** A message without payload: READY, REVOKE, REVOKED, HEARTBEAT, RUNNING, END, GOODBYE. */
    record Signal(FrameType type) implements Message {
        public static final Signal READY = new Signal(FrameType.READY);
        public static final Signal REVOKE = new Signal(FrameType.REVOKE);
        public static final Signal REVOKED = new Signal(FrameType.REVOKED);
        public static final Signal HEARTBEAT = new Signal(FrameType.HEARTBEAT);
        public static final Signal RUNNING = new Signal(FrameType.RUNNING);
        public static final Signal END = new Signal(FrameType.END);
        public static final Signal GOODBYE = new Signal(FrameType.GOODBYE);

        @Override
        public void write(Codec codec) {
        }
    }

    record Hello(int protocolVersion, long pid) implements Message {
        @Override
        public FrameType type() {
            return FrameType.HELLO;
        }

        @Override
        public void write(Codec codec) {
            codec.output().writeInt(protocolVersion);
            codec.output().writeLong(pid);
        }
    }

    /**
     * What a child needs before it serves: its role, slot, name and token (its identity among the processes of the
     * family, given by the parent), who started it, limits, and its user classpath
     * (classes not found there are asked of the parent). For a pool worker {@code code} is the serialized
     * initializer (or null); for a single process it is its target.
     */
    record Init(byte role, int slot, String name, long token, boolean daemon, long parentPid, long heartbeatMillis,
                long exitGraceMillis, long maxMemoryBytes, int maxFrameBytes, String userClasspath, byte[] code)
            implements Message {
        public static final byte POOL_WORKER = 0;
        public static final byte PROCESS = 1;

        @Override
        public FrameType type() {
            return FrameType.INIT;
        }

        @Override
        public void write(Codec codec) {
            Output out = codec.output();
            out.writeByte(role);
            out.writeVarInt(slot, true);
            out.writeString(name);
            out.writeLong(token);
            out.writeBoolean(daemon);
            out.writeVarLong(parentPid, true);
            out.writeVarLong(heartbeatMillis, true);
            out.writeVarLong(exitGraceMillis, true);
            out.writeVarLong(maxMemoryBytes, true);
            out.writeInt(maxFrameBytes);
            out.writeString(userClasspath);
            out.writeBoolean(code != null);
            if (code != null) {
                out.writeVarInt(code.length, true);
                out.writeBytes(code);
            }
        }

        static Init read(Input in) {
            return new Init(in.readByte(), in.readVarInt(true), in.readString(), in.readLong(), in.readBoolean(),
                    in.readVarLong(true), in.readVarLong(true), in.readVarLong(true), in.readVarLong(true),
                    in.readInt(), in.readString(), in.readBoolean() ? in.readBytes(in.readVarInt(true)) : null);
        }
    }

    record InitFailed(RemoteThrowable failure) implements Message {
        @Override
        public FrameType type() {
            return FrameType.INIT_FAILED;
        }

        @Override
        public void write(Codec codec) {
            failure.write(codec.output());
        }
    }

    /** A task function to keep under {@code id}; {@code forget} is one to drop (-1 for none). */
    record Define(long id, long forget, byte[] function) implements Message {
        @Override
        public FrameType type() {
            return FrameType.DEFINE;
        }

        @Override
        public void write(Codec codec) {
            Output out = codec.output();
            out.writeLong(id);
            out.writeLong(forget);
            out.writeVarInt(function.length, true);
            out.writeBytes(function);
        }
    }

    /** Run function {@code functionId} over the inputs. Written, an input that cannot be serialized is a problem. */
    record Run(long functionId, Items inputs) implements Message {
        @Override
        public FrameType type() {
            return FrameType.RUN;
        }

        @Override
        public void write(Codec codec) {
            writeReporting(codec);
        }

        /** Writes it; returns why each input that could not be serialized failed (written empty), or null. */
        public String[] writeReporting(Codec codec) {
            codec.output().writeLong(functionId);
            return Items.write(codec, inputs.values());
        }

        public static Run of(long functionId, Values inputs) {
            return new Run(functionId, new Items(inputs, null));
        }
    }

    /** The failure of one item of a RESULT: the task threw, or the item's value could not travel. */
    record ItemFailure(RemoteThrowable thrown, String problem) {
        private static final byte THROWN = 1;
        private static final byte PROBLEM = 2;
    }

    /**
     * The outcome of a RUN: a value per item (null where it failed) and the failures by index ({@code failures}
     * may be null when none failed). {@code retiring}: the worker exits after this result (it survived an Error,
     * or is over its memory limit).
     */
    record Result(Values values, ItemFailure[] failures, boolean retiring) implements Message {
        @Override
        public FrameType type() {
            return FrameType.RESULT;
        }

        public int failedCount() {
            return failedCount(failures);
        }

        private static int failedCount(ItemFailure[] failures) {
            if (failures == null) {
                return 0;
            }
            int n = 0;
            for (ItemFailure f : failures) {
                n += f == null ? 0 : 1;
            }
            return n;
        }

        /** Writes values, then failures (a value that cannot be serialized becomes one), then the flag. */
        @Override
        public void write(Codec codec) {
            String[] problems = Items.write(codec, values);
            ItemFailure[] failures = this.failures;
            if (problems != null && failures == null) {
                failures = new ItemFailure[values.size()];
            }
            if (problems != null) {
                for (int i = 0; i < problems.length; i++) {
                    if (problems[i] != null && failures[i] == null) {
                        failures[i] = new ItemFailure(null, "result: " + problems[i]);
                    }
                }
            }
            Output out = codec.output();
            out.writeVarInt(failedCount(failures), true);
            for (int i = 0; failures != null && i < failures.length; i++) {
                ItemFailure f = failures[i];
                if (f == null) {
                    continue;
                }
                out.writeVarInt(i, true);
                if (f.thrown() != null) {
                    out.writeByte(ItemFailure.THROWN);
                    f.thrown().write(out);
                } else {
                    out.writeByte(ItemFailure.PROBLEM);
                    out.writeString(f.problem());
                }
            }
            out.writeBoolean(retiring || codec.sawError());
        }

        static Result read(Codec codec) {
            Items items = Items.read(codec);
            ItemFailure[] failures = null; // made only when an item failed: a big chunk's results come in one piece
            for (int i = 0; items.problems() != null && i < items.size(); i++) {
                if (items.problem(i) != null) {
                    failures = failures == null ? new ItemFailure[items.size()] : failures;
                    failures[i] = new ItemFailure(null, "result: " + items.problem(i));
                }
            }
            Input in = codec.input();
            for (int n = in.readVarInt(true); n > 0; n--) {
                int i = in.readVarInt(true);
                failures = failures == null ? new ItemFailure[items.size()] : failures;
                failures[i] = in.readByte() == ItemFailure.THROWN
                        ? new ItemFailure(RemoteThrowable.read(in), null) : new ItemFailure(null, in.readString());
            }
            return new Result(items.values(), failures, in.readBoolean());
        }
    }

    /** A call to a service of the other side; {@code problem} is set when the argument could not be read. */
    record Call(int service, Object argument, String problem) implements Message {
        @Override
        public FrameType type() {
            return FrameType.CALL;
        }

        /** The argument must be serializable: the caller checks with {@link Codec#writeObject} first. */
        @Override
        public void write(Codec codec) {
            codec.output().writeVarInt(service, true);
            Items.write(codec, Values.one(argument));
        }

        static Call read(Codec codec) {
            int service = codec.input().readVarInt(true);
            Items items = Items.read(codec);
            return new Call(service, items.values().get(0), items.problem(0));
        }
    }

    /** The answer to a CALL: a value, or the failure that the call ended with. */
    record Reply(Object value, RemoteThrowable failure) implements Message {
        @Override
        public FrameType type() {
            return FrameType.REPLY;
        }

        @Override
        public void write(Codec codec) {
            Output out = codec.output();
            int start = out.position();
            out.writeBoolean(failure == null);
            if (failure == null) {
                try {
                    codec.writeObject(value);
                    return;
                } catch (WireException e) {
                    out.setPosition(start);
                    out.writeBoolean(false);
                    RemoteThrowable.of(new IllegalArgumentException("the reply " + e.getMessage())).write(out);
                    return;
                }
            }
            failure.write(out);
        }

        static Reply read(Codec codec) {
            Input in = codec.input();
            if (!in.readBoolean()) {
                return new Reply(null, RemoteThrowable.read(in));
            }
            try {
                return new Reply(codec.readObject(), null);
            } catch (WireException e) {
                return new Reply(null, RemoteThrowable.of(new IllegalStateException("the reply " + e.getMessage())));
            }
        }
    }

    /** A frame the receiver could not serve. */
    record ErrorText(String text) implements Message {
        @Override
        public FrameType type() {
            return FrameType.ERROR;
        }

        @Override
        public void write(Codec codec) {
            codec.output().writeString(text);
        }
    }
}
