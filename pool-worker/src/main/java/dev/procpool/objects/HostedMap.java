package dev.procpool.objects;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A map of copies (also a namespace: names are keys). Keys are compared by their serialized form, which for the
 * usual keys (strings, numbers, records of them) is the same as equals(). What it stores keeps the objects its
 * handles name alive until it is removed.
 */
final class HostedMap extends Hosted {
    /** A key as bytes, compared by content. */
    record Key(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(bytes, key.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private record Entry(Element key, Element value) {
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();

    HostedMap(long id, Host host) {
        super(id, host);
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        Object[] args = op.args();
        Key key = args.length > 0 && args[0] instanceof Element k ? new Key(k.bytes()) : null;
        Entry now = key == null ? null : entries.get(key);
        Object answer = switch (op.code()) {
            case Codes.MAP_GET -> now == null ? null : shown(now.value(), op);
            case Codes.MAP_CONTAINS_KEY -> now != null;
            case Codes.MAP_CONTAINS_VALUE -> entries.values().stream()
                    .anyMatch(e -> e.value().sameBytes(((Element) args[0]).bytes()));
            case Codes.MAP_PUT -> put(key, (Element) args[0], (Element) args[1], now, op);
            case Codes.MAP_PUT_IF_ABSENT -> now != null ? shown(now.value(), op)
                    : put(key, (Element) args[0], (Element) args[1], null, op);
            case Codes.MAP_REMOVE -> {
                if (now != null) {
                    requireRoom(now.value(), op, 1, "the value removed");
                }
                yield now == null ? null : remove(key, now, op);
            }
            case Codes.MAP_REMOVE_IF -> now != null && now.value().sameBytes(((Element) args[1]).bytes())
                    && drop(key, now);
            case Codes.MAP_REPLACE -> now == null ? null : put(key, now.key(), (Element) args[1], now, op);
            case Codes.MAP_REPLACE_IF -> now != null && now.value().sameBytes(((Element) args[1]).bytes())
                    && replaced(key, now, (Element) args[2]);
            case Codes.SIZE -> entries.size();
            case Codes.CLEAR -> {
                entries.values().forEach(this::unpin);
                entries.clear();
                yield null;
            }
            case Codes.SNAPSHOT -> {
                List<Element> pairs = new ArrayList<>();
                entries.values().forEach(e -> {
                    pairs.add(shown(e.key(), op));
                    pairs.add(shown(e.value(), op));
                });
                yield pairs;
            }
            default -> throw new IllegalArgumentException("no map operation " + op.code());
        };
        out.done(reply, answer);
    }

    /**
     * Stores key -> value; answers the old value (moved out to the caller), or null when there was none. The caller
     * sent in args[2] what it can receive: an old value larger fails the put before anything changes.
     */
    private Element put(Key key, Element keyElement, Element value, Entry old, Op op) {
        if (old != null) {
            requireRoom(old.value(), op, 2, "the value replaced");
        }
        host.lifetimes().pin(value.embedded());
        if (old == null) {
            host.lifetimes().pin(keyElement.embedded());
            entries.put(key, new Entry(keyElement, value));
            return null;
        }
        entries.put(key, new Entry(old.key(), value));
        host.lifetimes().moved(old.value().embedded(), op.caller().process());
        return old.value().as(true);
    }

    private Element remove(Key key, Entry old, Op op) {
        entries.remove(key);
        host.lifetimes().unpin(old.key().embedded());
        host.lifetimes().moved(old.value().embedded(), op.caller().process());
        return old.value().as(true);
    }

    /** Replaced, the old value delivered to no one (a replace(key, old, new) answers only true). */
    private boolean replaced(Key key, Entry old, Element value) {
        host.lifetimes().pin(value.embedded());
        entries.put(key, new Entry(old.key(), value));
        host.lifetimes().unpin(old.value().embedded());
        return true;
    }

    /** Removed and not delivered to anyone (a remove(key, value) answers only true). */
    private boolean drop(Key key, Entry old) {
        entries.remove(key);
        unpin(old);
        return true;
    }

    private void unpin(Entry entry) {
        host.lifetimes().unpin(entry.key().embedded());
        host.lifetimes().unpin(entry.value().embedded());
    }

    @Override
    Object timedOut(Op op) {
        return null;
    }
}
