package dev.procpool.shared;

import java.util.List;

/** A list shared by the JVMs of one family (Python's {@code Manager().list()}); it holds copies. */
public interface SharedList<E> extends List<E> {
}
