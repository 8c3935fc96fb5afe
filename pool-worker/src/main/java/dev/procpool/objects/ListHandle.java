package dev.procpool.objects;

import dev.procpool.shared.SharedList;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/** A shared list of copies; iteration is over a snapshot. */
final class ListHandle<E> extends AbstractList<E> implements SharedList<E>, Shareable {
    private final Ref ref;

    ListHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_LIST);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    @Override
    public E get(int index) {
        return Copies.value(ref.now(Codes.LIST_GET, index));
    }

    @Override
    public E set(int index, E element) {
        return Copies.value(ref.now(Codes.LIST_SET, index, Copies.of(element), Copies.maxBytes()));
    }

    @Override
    public void add(int index, E element) {
        ref.now(Codes.LIST_ADD, index, Copies.of(element));
    }

    @Override
    public boolean add(E element) {
        ref.now(Codes.LIST_ADD, -1, Copies.of(element));
        return true;
    }

    @Override
    public E remove(int index) {
        return Copies.value(ref.now(Codes.LIST_REMOVE_AT, index, Copies.maxBytes()));
    }

    @Override
    public int size() {
        return (Integer) ref.now(Codes.SIZE);
    }

    @Override
    public void clear() {
        ref.now(Codes.CLEAR);
    }

    /** Over a snapshot taken now. */
    @Override
    public Iterator<E> iterator() {
        return snapshot().iterator();
    }

    private List<E> snapshot() {
        List<E> copies = new ArrayList<>();
        for (Object element : (List<?>) ref.now(Codes.SNAPSHOT)) {
            copies.add(Copies.value(element));
        }
        return Collections.unmodifiableList(copies);
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof List<?> list && snapshot().equals(list);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(snapshot());
    }
}
