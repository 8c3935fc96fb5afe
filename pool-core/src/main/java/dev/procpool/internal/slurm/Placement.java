package dev.procpool.internal.slurm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node the next worker goes to: the one with the fewest of this pool's steps, so the workers spread over the
 * allocation and a replacement takes the place of the worker it replaces. A node whose last step never connected
 * back (dead, or unreachable from here) comes last among equals, so that a replacement tries the other nodes first.
 */
final class Placement {
    private final Map<String, int[]> nodes = new LinkedHashMap<>(); // name -> {steps, failed launches in a row}

    Placement(List<String> names) {
        names.forEach(name -> nodes.put(name, new int[2]));
    }

    synchronized String take() {
        String best = null;
        int[] bestCounts = null;
        for (Map.Entry<String, int[]> node : nodes.entrySet()) {
            int[] counts = node.getValue();
            if (bestCounts == null || counts[1] < bestCounts[1]
                    || counts[1] == bestCounts[1] && counts[0] < bestCounts[0]) {
                best = node.getKey();
                bestCounts = counts;
            }
        }
        bestCounts[0]++;
        return best;
    }

    synchronized void ended(String node, boolean connected) {
        int[] counts = nodes.get(node);
        counts[0]--;
        counts[1] = connected ? 0 : counts[1] + 1;
    }
}
