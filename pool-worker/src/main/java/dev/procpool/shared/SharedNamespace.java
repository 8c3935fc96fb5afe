package dev.procpool.shared;

import java.util.Map;

/**
 * Named values shared by the JVMs of one family (Python's {@code Manager().Namespace()}). It holds copies: changing
 * a value got from it changes nothing until it is set again, as in Python.
 */
public interface SharedNamespace {
    /** The value of {@code name}; NoSuchElementException naming it when it was never set. */
    <T> T get(String name);

    void set(String name, Object value);

    boolean has(String name);

    void remove(String name);

    /** Every name and value now; {@code toString()} prints {@code Namespace(name='Bob', ...)}. */
    Map<String, Object> snapshot();
}
