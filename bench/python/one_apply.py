#!/usr/bin/env python3
"""The smallest whole program, as bench/compare.sh times it (a process, several runs): Pool(1), one apply, close.

Usage: python3 one_apply.py fork|spawn
"""
import multiprocessing as mp
import sys


def square(x):
    return x * x


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1] if len(sys.argv) > 1 else "fork")
    with ctx.Pool(1) as pool:
        assert pool.apply(square, (7,)) == 49
