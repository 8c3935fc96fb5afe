"""Medians and interquartile ranges of SideBySide's rows, one column per build (see interleave.sh)."""
import collections
import json
import os
import statistics
import sys

# the figure each row is judged by; a row not listed here is not printed
FIGURES = {
    'procpool.apply.latency': 'median_us',
    'procpool.apply_async.throughput': 'tasks_per_s',
    'procpool.map.default_chunksize': 'items_per_s',
    'procpool.map.chunksize1': 'items_per_s',
    'procpool.startup_to_first_result': 'seconds',
    'procpool.map_identity_1MiB_cs1': 'payload_MBps',
}


def rows(path):
    found = collections.defaultdict(list)
    with open(path) as lines:
        for line in lines:
            try:
                row = json.loads(line)
            except ValueError:
                continue
            name = row.get('name', '')
            figure = FIGURES.get(name[:-len('.cold')] if name.endswith('.cold') else name)
            if figure in row:
                found[name].append(row[figure])
    return found


def summary(values):
    if len(values) < 4:
        return f'{statistics.median(values):.4g} (n={len(values)})'
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f'{statistics.median(values):.4g} [{q1:.3g}-{q3:.3g}] n={len(values)}'


def main(out, names):
    found = {name: rows(os.path.join(out, name + '.jsonl')) for name in names}
    for row in sorted({r for f in found.values() for r in f}):
        cells = [f'{name} {summary(found[name][row])}' for name in names if found[name].get(row)]
        print(f'{row:40s} ' + ' | '.join(cells))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:])
