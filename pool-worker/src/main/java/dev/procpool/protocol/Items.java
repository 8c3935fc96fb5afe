package dev.procpool.protocol;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * A sequence of items (a chunk's inputs or results) as it travels: the values, and for each item that could not be
 * written or read, why (null when all went well). Chunks of one boxed type go without per-item class data and are
 * read as primitives where they are primitives (see {@link Values}); other items are each written with a length
 * prefix, so that one that cannot be read costs only itself.
 */
public record Items(Values values, String[] problems) {
    private static final byte GENERIC = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte STRING = 4;

    public int size() {
        return values.size();
    }

    /** Why item i failed to travel, or null. */
    public String problem(int i) {
        return problems == null ? null : problems[i];
    }

    /**
     * Writes the values into the codec's current payload. An item that cannot be serialized is written empty and
     * explained in the returned array, which is null when every item was written.
     */
    public static String[] write(Codec codec, Values values) {
        Output out = codec.output();
        out.writeVarInt(values.size(), true);
        if (values instanceof Values.Ints ints) {
            out.writeByte(INT);
            for (int v : ints.array()) {
                out.writeVarInt(v, false);
            }
        } else if (values instanceof Values.Longs longs) {
            out.writeByte(LONG);
            for (long v : longs.array()) {
                out.writeVarLong(v, false);
            }
        } else if (values instanceof Values.Doubles doubles) {
            out.writeByte(DOUBLE);
            for (double v : doubles.array()) {
                out.writeDouble(v);
            }
        } else {
            return write(codec, ((Values.Boxed) values).array());
        }
        return null;
    }

    private static String[] write(Codec codec, Object[] values) {
        Output out = codec.output();
        byte kind = kindOf(values);
        out.writeByte(kind);
        switch (kind) {
            case INT -> {
                for (Object v : values) {
                    out.writeVarInt((Integer) v, false);
                }
            }
            case LONG -> {
                for (Object v : values) {
                    out.writeVarLong((Long) v, false);
                }
            }
            case DOUBLE -> {
                for (Object v : values) {
                    out.writeDouble((Double) v);
                }
            }
            case STRING -> {
                for (Object v : values) {
                    out.writeString((String) v);
                }
            }
            default -> {
                return writeEach(codec, values);
            }
        }
        return null;
    }

    private static String[] writeEach(Codec codec, Object[] values) {
        String[] problems = null;
        for (int i = 0; i < values.length; i++) {
            Output out = codec.output();
            int lengthAt = out.position();
            out.writeInt(0);
            try {
                codec.writeObject(values[i]);
            } catch (WireException e) {
                problems = problems == null ? new String[values.length] : problems;
                problems[i] = e.getMessage();
            }
            out = codec.output();
            int length = out.position() - lengthAt - 4;
            int end = out.position();
            out.setPosition(lengthAt);
            out.writeInt(length);
            out.setPosition(end);
        }
        return problems;
    }

    private static byte kindOf(Object[] values) {
        Class<?> type = Values.commonClass(values);
        if (type == Integer.class) {
            return INT;
        } else if (type == Long.class) {
            return LONG;
        } else if (type == Double.class) {
            return DOUBLE;
        } else if (type == String.class) {
            return STRING;
        }
        return GENERIC;
    }

    /** Reads items written by {@link #write}; each item that cannot be read is null with its problem recorded. */
    public static Items read(Codec codec) {
        Input in = codec.input();
        int size = in.readVarInt(true);
        byte kind = in.readByte();
        switch (kind) {
            case INT -> {
                int[] ints = new int[size];
                for (int i = 0; i < size; i++) {
                    ints[i] = in.readVarInt(false);
                }
                return new Items(new Values.Ints(ints), null);
            }
            case LONG -> {
                long[] longs = new long[size];
                for (int i = 0; i < size; i++) {
                    longs[i] = in.readVarLong(false);
                }
                return new Items(new Values.Longs(longs), null);
            }
            case DOUBLE -> {
                double[] doubles = new double[size];
                for (int i = 0; i < size; i++) {
                    doubles[i] = in.readDouble();
                }
                return new Items(new Values.Doubles(doubles), null);
            }
            case STRING -> {
                Object[] strings = new Object[size];
                for (int i = 0; i < size; i++) {
                    strings[i] = in.readString();
                }
                return new Items(Values.of(strings), null);
            }
            default -> {
                return readEach(codec, new Object[size]);
            }
        }
    }

    private static Items readEach(Codec codec, Object[] values) {
        Input in = codec.input();
        String[] problems = null;
        for (int i = 0; i < values.length; i++) {
            int length = in.readInt();
            int end = in.position() + length;
            if (length == 0) {
                continue; // the writer could not serialize it and said why
            }
            try {
                values[i] = codec.readObject();
            } catch (WireException e) {
                problems = problems == null ? new String[values.length] : problems;
                problems[i] = e.getMessage();
            }
            in.setPosition(end);
        }
        return new Items(Values.of(values), problems);
    }
}
