package dev.procpool.objects;

import dev.procpool.shared.SharedNamespace;
import java.util.Collections;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Collectors;

/** Named values; a map of names underneath. */
final class NamespaceHandle implements SharedNamespace, Shareable {
    private final Ref ref;
    private final MapHandle<String, Object> values;

    NamespaceHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_NAMESPACE);
        this.values = new MapHandle<>(id);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        Object value = values.get(Objects.requireNonNull(name, "name"));
        if (value == null) {
            throw new NoSuchElementException("the namespace has no value named '" + name + "'");
        }
        return (T) value;
    }

    @Override
    public void set(String name, Object value) {
        values.put(Objects.requireNonNull(name, "name"), value);
    }

    @Override
    public boolean has(String name) {
        return values.containsKey(Objects.requireNonNull(name, "name"));
    }

    @Override
    public void remove(String name) {
        values.remove(Objects.requireNonNull(name, "name"));
    }

    @Override
    public Map<String, Object> snapshot() {
        return Collections.unmodifiableMap(values.copy());
    }

    @Override
    public String toString() {
        return snapshot().entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof String s ? "'" + s + "'" : e.getValue()))
                .collect(Collectors.joining(", ", "Namespace(", ")"));
    }
}
