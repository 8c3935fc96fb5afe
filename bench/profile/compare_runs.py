"""Each row's procpool figure per run and build from compare-runs.sh's compare.md files, and a verdict per build.

A build is judged against the first, the issue's way: a row is WORSE when its median over the runs is worse than the
reference's median by more than the noise between runs of the reference (its best run minus its worst), "better"
when better by more than that, else "within noise".
"""
import os
import re
import statistics
import sys

MULTIPLIERS = {'k': 1e3, 'M': 1e6, 'G': 1e9}
LOWER_IS_BETTER = ('round trip', 'resident memory', 'proportional memory', 'start to first result', 'wall', 'CPU')


def number(cell):
    match = re.fullmatch(r'\s*(-?[\d.]+)\s*([kMG]?)\s*', cell)
    return float(match.group(1)) * MULTIPLIERS.get(match.group(2), 1) if match else None


def figures(path):
    """{row name: procpool figure} of one compare.md (the table's fourth column)."""
    rows = {}
    with open(path) as lines:
        for line in lines:
            cells = line.split('|')[1:-1]
            if len(cells) >= 4 and cells[0].strip() not in ('workload', '') and not set(cells[0].strip()) <= {'-'}:
                value = number(cells[3])
                if value is not None:
                    rows[cells[0].strip()] = value
    return rows


def verdict(row, reference, values):
    lower = any(word in row for word in LOWER_IS_BETTER)
    spread = max(reference) - min(reference)
    worse_by = statistics.median(values) - statistics.median(reference)
    if not lower:
        worse_by = -worse_by
    better_by = -worse_by
    if worse_by > spread:
        return 'WORSE'
    if better_by > spread:
        return 'better'
    return 'within noise'


def short(value):
    for suffix, factor in (('M', 1e6), ('k', 1e3)):
        if abs(value) >= factor:
            return f'{value / factor:.3g}{suffix}'
    return f'{value:.3g}'


def main(out, runs, names):
    found = {name: [figures(os.path.join(out, f'{name}-{run}', 'compare.md')) for run in range(1, runs + 1)
                    if os.path.exists(os.path.join(out, f'{name}-{run}', 'compare.md'))] for name in names}
    reference = names[0]
    rows = [row for row in (found[reference][0] if found[reference] else {}) if all(
        any(row in run for run in found[name]) for name in names)]
    print('| workload | ' + ' | '.join(f'{name} (runs, median)' for name in names) + ' | '
          + ' | '.join(f'{name} vs {reference}' for name in names[1:]) + ' |')
    print('|---' * (1 + 2 * len(names) - 1) + '|')
    for row in rows:
        values = {name: [run[row] for run in found[name] if row in run] for name in names}
        cells = [', '.join(short(v) for v in values[name]) + f'; {short(statistics.median(values[name]))}'
                 for name in names]
        verdicts = [verdict(row, values[reference], values[name]) for name in names[1:]]
        print(f'| {row} | ' + ' | '.join(cells) + ' | ' + ' | '.join(verdicts) + ' |')


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
