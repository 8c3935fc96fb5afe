package dev.procpool.objects;

import java.util.ArrayList;
import java.util.List;

/** A list of copies; what it stores keeps the objects its handles name alive until it is removed. */
final class HostedList extends Hosted {
    private final List<Element> items = new ArrayList<>();

    HostedList(long id, Host host) {
        super(id, host);
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        Object[] args = op.args();
        Object answer = switch (op.code()) {
            case Codes.LIST_GET -> shown(items.get((Integer) args[0]), op);
            case Codes.LIST_SET -> {
                requireRoom(items.get((Integer) args[0]), op, 2, "the element replaced");
                Element value = (Element) args[1];
                Element old = items.set((Integer) args[0], value);
                host.lifetimes().pin(value.embedded());
                host.lifetimes().moved(old.embedded(), op.caller().process());
                yield old.as(true);
            }
            case Codes.LIST_ADD -> {
                Element value = (Element) args[1];
                int at = (Integer) args[0];
                items.add(at < 0 ? items.size() : at, value);
                host.lifetimes().pin(value.embedded());
                yield null;
            }
            case Codes.LIST_REMOVE_AT -> {
                requireRoom(items.get((Integer) args[0]), op, 1, "the element removed");
                Element old = items.remove((int) (Integer) args[0]);
                host.lifetimes().moved(old.embedded(), op.caller().process());
                yield old.as(true);
            }
            case Codes.SIZE -> items.size();
            case Codes.CLEAR -> {
                items.forEach(e -> host.lifetimes().unpin(e.embedded()));
                items.clear();
                yield null;
            }
            case Codes.SNAPSHOT -> {
                List<Element> all = new ArrayList<>();
                items.forEach(e -> all.add(shown(e, op)));
                yield all;
            }
            default -> throw new IllegalArgumentException("no list operation " + op.code());
        };
        out.done(reply, answer);
    }

    @Override
    Object timedOut(Op op) {
        return null;
    }
}
