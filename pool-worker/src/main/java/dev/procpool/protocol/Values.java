package dev.procpool.protocol;

/**
 * A chunk's inputs or results while they travel and wait. Values that are all Integer, all Long or all Double are
 * held as the primitives and boxed one at a time when read: a map over a million ints then holds 4 MB that the
 * collector never looks into, instead of a million 16-byte boxes that it copies from survivor space to survivor
 * space until the map is done (in a warm map of 1M, that copying took most of the supervisor's time).
 */
public sealed interface Values {
    int size();

    /** The value at {@code index}; a primitive comes boxed (a new box each time, as Integer.valueOf gives). */
    Object get(int index);

    /** The values as given. */
    static Values of(Object[] values) {
        return new Boxed(values);
    }

    /** One value (not varargs: an array is one value too). */
    static Values one(Object value) {
        return new Boxed(new Object[] {value});
    }

    /** The class of every value, or null when there are none, one is null, or they are of different classes. */
    static Class<?> commonClass(Object[] values) {
        Class<?> type = values.length > 0 && values[0] != null ? values[0].getClass() : null;
        for (Object v : values) {
            if (v == null || v.getClass() != type) {
                return null;
            }
        }
        return type;
    }

    /** The values, as primitives when they are all of one boxed primitive type. */
    static Values packed(Object[] values) {
        Class<?> type = commonClass(values);
        if (type == Integer.class) {
            int[] ints = new int[values.length];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = (Integer) values[i];
            }
            return new Ints(ints);
        } else if (type == Long.class) {
            long[] longs = new long[values.length];
            for (int i = 0; i < longs.length; i++) {
                longs[i] = (Long) values[i];
            }
            return new Longs(longs);
        } else if (type == Double.class) {
            double[] doubles = new double[values.length];
            for (int i = 0; i < doubles.length; i++) {
                doubles[i] = (Double) values[i];
            }
            return new Doubles(doubles);
        }
        return new Boxed(values);
    }

    record Boxed(Object[] array) implements Values {
        @Override
        public int size() {
            return array.length;
        }

        @Override
        public Object get(int index) {
            return array[index];
        }
    }

    record Ints(int[] array) implements Values {
        @Override
        public int size() {
            return array.length;
        }

        @Override
        public Object get(int index) {
            return array[index];
        }
    }

    record Longs(long[] array) implements Values {
        @Override
        public int size() {
            return array.length;
        }

        @Override
        public Object get(int index) {
            return array[index];
        }
    }

    record Doubles(double[] array) implements Values {
        @Override
        public int size() {
            return array.length;
        }

        @Override
        public Object get(int index) {
            return array[index];
        }
    }
}
