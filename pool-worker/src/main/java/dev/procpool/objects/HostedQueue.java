package dev.procpool.objects;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A FIFO queue of copies, bounded or not, joinable or not. */
final class HostedQueue extends Hosted {
    private final int capacity;
    private final boolean joinable;
    private final ArrayDeque<Element> items = new ArrayDeque<>();
    private final InFlight inFlight = new InFlight();
    private long unfinished;

    HostedQueue(long id, Host host, int capacity, boolean joinable) {
        super(id, host);
        this.capacity = capacity;
        this.joinable = joinable;
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        switch (op.code()) {
            case Codes.PUT, Codes.OFFER -> {
                host.lifetimes().pin(((Element) op.args()[0]).embedded()); // kept while stored or waiting
                if (items.size() < capacity && !anyWaiting(Codes.PUT) && !anyWaiting(Codes.OFFER)) {
                    add((Element) op.args()[0]);
                    out.done(reply, op.code() == Codes.OFFER ? Boolean.TRUE : null);
                    satisfy(out);
                } else {
                    park(op, reply, out);
                }
            }
            case Codes.TAKE, Codes.POLL -> {
                if (!items.isEmpty() && !anyWaiting(Codes.TAKE) && !anyWaiting(Codes.POLL)) {
                    if (fits(items.peekFirst(), op)) {
                        out.done(reply, give(op));
                        satisfy(out);
                    } else {
                        out.failed(reply, tooLarge(items.peekFirst(), op));
                    }
                } else {
                    park(op, reply, out);
                }
            }
            case Codes.PEEK -> out.done(reply, items.isEmpty() ? null : shown(items.peekFirst(), op));
            case Codes.SIZE -> out.done(reply, items.size());
            case Codes.REMAINING -> out.done(reply, capacity == Integer.MAX_VALUE ? capacity : capacity - items.size());
            case Codes.CLEAR -> {
                items.forEach(e -> host.lifetimes().unpin(e.embedded()));
                items.clear();
                satisfy(out);
                out.done(reply, null);
            }
            case Codes.SNAPSHOT -> {
                List<Element> all = new ArrayList<>();
                items.forEach(e -> all.add(shown(e, op)));
                out.done(reply, all);
            }
            case Codes.DRAIN -> {
                List<Element> drained = new ArrayList<>();
                long room = room(op, 1);
                for (int max = (Integer) op.args()[0]; max > 0 && !items.isEmpty(); max--) {
                    room -= cost(items.peekFirst());
                    if (room < 0 && !drained.isEmpty()) {
                        break; // the rest stays: the answer must fit in one frame to the caller
                    }
                    if (room < 0) {
                        throw tooLarge(items.peekFirst(), op);
                    }
                    drained.add(give(op));
                }
                satisfy(out);
                out.done(reply, drained);
            }
            case Codes.REMOVE_EQUAL -> out.done(reply, removeEqual((byte[]) op.args()[0], out));
            case Codes.RECEIVED -> {
                inFlight.received(op.caller());
                out.done(reply, null);
            }
            case Codes.TASK_DONE -> {
                if (unfinished == 0) {
                    throw new IllegalStateException("taskDone() called more times than items were put");
                }
                if (--unfinished == 0) {
                    satisfy(out);
                }
                out.done(reply, null);
            }
            case Codes.JOIN -> {
                if (unfinished == 0) {
                    out.done(reply, Boolean.TRUE);
                } else {
                    park(op, reply, out);
                }
            }
            default -> throw new IllegalArgumentException("no queue operation " + op.code());
        }
    }

    private void add(Element element) {
        items.addLast(element);
        if (joinable) {
            unfinished++;
        }
    }

    /** The head leaves for the caller: the objects its handles name are now the caller's to keep. */
    private Element give(Op op) {
        Element head = items.pollFirst();
        inFlight.sent(op.caller(), head);
        host.lifetimes().moved(head.embedded(), op.caller().process());
        return head.as(true);
    }

    /** The most bytes of copies the caller of {@code op} can receive in one answer (args[index]). */
    private static long room(Op op, int index) {
        return op.args().length > index ? (Integer) op.args()[index] : Long.MAX_VALUE;
    }

    /** What an element takes in an answer: its copy, its record and lengths, its handles' ids. */
    private static long cost(Element element) {
        return element.bytes().length + 16L + 10L * element.embedded().length;
    }

    private static boolean fits(Element element, Op op) {
        return cost(element) <= room(op, 0);
    }

    /** A take that could not send the head to its caller would lose it: the take fails, the head stays. */
    private static IllegalArgumentException tooLarge(Element head, Op op) {
        return new IllegalArgumentException("the queue's next element, a copy of " + head.bytes().length
                + " bytes, is larger than the taking JVM can receive in one frame (" + room(op, op.code()
                == Codes.DRAIN ? 1 : 0) + " bytes, see maxFrameBytes): it stays in the queue");
    }

    private boolean removeEqual(byte[] bytes, Deliveries out) {
        for (var it = items.iterator(); it.hasNext(); ) {
            Element element = it.next();
            if (element.sameBytes(bytes)) {
                it.remove();
                host.lifetimes().unpin(element.embedded());
                satisfy(out);
                return true;
            }
        }
        return false;
    }

    /** Parked takers get items and parked putters get room, oldest first, for as long as either can move. */
    private void satisfy(Deliveries out) {
        for (Waiter waiter : waiting()) {
            int code = waiter.code();
            if ((code == Codes.TAKE || code == Codes.POLL) && !items.isEmpty()) {
                if (fits(items.peekFirst(), waiter.op)) {
                    satisfied(waiter, give(waiter.op), out);
                } else {
                    failWaiter(waiter, tooLarge(items.peekFirst(), waiter.op), out); // the head stays
                }
            } else if ((code == Codes.PUT || code == Codes.OFFER) && items.size() < capacity) {
                add((Element) waiter.op.args()[0]);
                satisfied(waiter, code == Codes.OFFER ? Boolean.TRUE : null, out);
                satisfy(out); // a taker parked behind may now be served
                return;
            } else if (code == Codes.JOIN && unfinished == 0) {
                satisfied(waiter, Boolean.TRUE, out);
            }
        }
    }

    @Override
    Object timedOut(Op op) {
        return switch (op.code()) {
            case Codes.OFFER, Codes.JOIN -> Boolean.FALSE;
            default -> null; // a poll
        };
    }

    /** What a dead taker had not received goes back to the head, in its order, stored again; waiters may move. */
    @Override
    void giveBack(long process, boolean abnormal, Deliveries out) {
        List<Element> back = inFlight.notReceivedBy(process);
        for (int i = back.size() - 1; i >= 0; i--) {
            Element element = back.get(i);
            host.lifetimes().pin(element.embedded());
            items.addFirst(element.as(false)); // still unfinished in a joinable queue: it never had its taskDone()
        }
        if (!back.isEmpty()) {
            satisfy(out);
        }
    }

    @Override
    void gaveUp(Waiter waiter, Marker why, Deliveries out) {
        if (waiter.code() == Codes.PUT || waiter.code() == Codes.OFFER) {
            host.lifetimes().unpin(((Element) waiter.op.args()[0]).embedded()); // never stored
        }
    }
}
