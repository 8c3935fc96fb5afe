package dev.procpool.objects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elements a queue answered to takers in child JVMs that have not yet said they received them (Codes.RECEIVED):
 * an answer can still be in a pipe when its taker dies, and then it goes back to the head of the queue. A thread
 * makes one call at a time, so each has at most one answer on its way; the map's order is the order of the takes.
 */
final class InFlight {
    private final Map<Caller, List<Element>> sent = new LinkedHashMap<>();

    /** {@code element} left the queue for {@code taker}; nothing is kept for a taker in this (root) JVM. */
    void sent(Caller taker, Element element) {
        if (taker.process() != Self.token()) {
            sent.computeIfAbsent(taker, t -> new ArrayList<>()).add(element);
        }
    }

    /** The taker has what its last call was answered. */
    void received(Caller taker) {
        sent.remove(taker);
    }

    /** What the threads of a process that ended had not received, oldest first; forgotten here. */
    List<Element> notReceivedBy(long process) {
        List<Element> lost = new ArrayList<>();
        for (var it = sent.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().process() == process) {
                lost.addAll(entry.getValue());
                it.remove();
            }
        }
        return lost;
    }
}
