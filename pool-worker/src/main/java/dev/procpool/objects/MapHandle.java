package dev.procpool.objects;

import dev.procpool.shared.SharedMap;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A shared map of copies; iteration is over a snapshot. The ConcurrentMap default methods (compute, merge, ...)
 * run their function here, in their retry loops over getOrDefault/putIfAbsent/replace/remove.
 */
final class MapHandle<K, V> extends AbstractMap<K, V> implements SharedMap<K, V>, Shareable {
    private final Ref ref;

    MapHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_MAP);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    @Override
    public V get(Object key) {
        return Copies.value(ref.now(Codes.MAP_GET, Copies.of(key)));
    }

    @Override
    public boolean containsKey(Object key) {
        return (Boolean) ref.now(Codes.MAP_CONTAINS_KEY, Copies.of(key));
    }

    @Override
    public boolean containsValue(Object value) {
        return (Boolean) ref.now(Codes.MAP_CONTAINS_VALUE, Copies.of(value));
    }

    @Override
    public V put(K key, V value) {
        return Copies.value(ref.now(Codes.MAP_PUT, Copies.of(key), Copies.of(value), Copies.maxBytes()));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return Copies.value(ref.now(Codes.MAP_PUT_IF_ABSENT, Copies.of(key), Copies.of(value)));
    }

    @Override
    public V remove(Object key) {
        return Copies.value(ref.now(Codes.MAP_REMOVE, Copies.of(key), Copies.maxBytes()));
    }

    @Override
    public boolean remove(Object key, Object value) {
        return (Boolean) ref.now(Codes.MAP_REMOVE_IF, Copies.of(key), Copies.of(value));
    }

    @Override
    public V replace(K key, V value) {
        return Copies.value(ref.now(Codes.MAP_REPLACE, Copies.of(key), Copies.of(value), Copies.maxBytes()));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return (Boolean) ref.now(Codes.MAP_REPLACE_IF, Copies.of(key), Copies.of(oldValue), Copies.of(newValue));
    }

    @Override
    public int size() {
        return (Integer) ref.now(Codes.SIZE);
    }

    @Override
    public void clear() {
        ref.now(Codes.CLEAR);
    }

    /** A snapshot of the entries, taken now; changing it changes nothing shared. */
    @Override
    public Set<Entry<K, V>> entrySet() {
        List<?> pairs = (List<?>) ref.now(Codes.SNAPSHOT);
        List<Entry<K, V>> entries = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            K key = Copies.value(pairs.get(i));
            V value = Copies.value(pairs.get(i + 1));
            entries.add(new SimpleImmutableEntry<>(key, value));
        }
        List<Entry<K, V>> fixed = Collections.unmodifiableList(entries);
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return fixed.iterator();
            }

            @Override
            public int size() {
                return fixed.size();
            }
        };
    }

    /** This map as a plain map, copied now. */
    Map<K, V> copy() {
        Map<K, V> copy = new java.util.LinkedHashMap<>();
        entrySet().forEach(e -> copy.put(e.getKey(), e.getValue()));
        return copy;
    }
}
