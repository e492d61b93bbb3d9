"""The memory budget of reading and grouping (`newsreader index --memory`): how many worker
processes fit beside the process that stores and groups.

The figures are estimates from measuring the scale benchmark (benchmarks/bench_scale.py):
each worker takes about the same whatever the corpus; the main process a base and a share
per article, which no budget can remove (see README: A million files).
"""

from __future__ import annotations

#: The memory reading and grouping may take, workers included, unless told otherwise (MiB).
DEFAULT_MEMORY_MIB = 2048
#: What one worker process takes at its largest, reading or grouping (MiB): a block of
#: candidates' signatures and the signature pack's table (about 200 measured at a
#: million files).
WORKER_MIB = 256
#: What the process that stores and groups takes: a base (MiB) and a share per article
#: (KiB) for the listing, the grouping's entries, screen rows and pairs (measured at a
#: million files: about 0.9 GiB at its largest).
MAIN_BASE_MIB = 160
MAIN_KIB_PER_ARTICLE = 0.8


def workers_within(memory_mib: int, articles: int, most: int) -> int:
    """How many worker processes (at most `most`) fit in `memory_mib` beside this process's
    share for a corpus of `articles`; 1 (work in this process) when not even one fits
    (`memory_needed` says what the corpus needs)."""
    room = (memory_mib - main_memory_mib(articles)) // WORKER_MIB
    return max(1, min(most, int(room)))


def main_memory_mib(articles: int) -> float:
    """This process's share of the memory for a corpus of `articles` (an estimate)."""
    return MAIN_BASE_MIB + articles * MAIN_KIB_PER_ARTICLE / 1024


def memory_needed(memory_mib: int, articles: int) -> str | None:
    """What to tell a user whose budget is below what a corpus of `articles` needs with
    one worker process; None when it is enough."""
    needed = main_memory_mib(articles) + WORKER_MIB
    if needed <= memory_mib:
        return None
    return (
        f"{articles:,} articles need about {needed:,.0f} MiB to read and group, more than the "
        f"{memory_mib:,} MiB allowed: working in one process, which may take more"
    )
