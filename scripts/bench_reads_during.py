"""Search latency while a command runs (a large import) against idle: asks /api/search questions
one after another, first for IDLE seconds with nothing else running, then while COMMAND runs,
and prints p50 and p99 of both, the ratio of the p99s and how long the command took. Every
question is asked once (a need in a municipality or at a postcode: the answer cache is keyed by
question and clamps page offsets, so neither repeats nor offsets would do), so no answer comes
from the cache.

Usage: bench_reads_during.py BASE IDLE_SECONDS COMMAND...
"""

import itertools
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

NEEDS = [
    "tienerzwangerschap", "roken", "geldzorgen", "stress", "taalbarriere", "kraamzorg", "voeding",
    "alcohol", "huiselijk geweld", "schulden", "eenzaamheid", "postpartumdepressie", "kinderwens",
]
PLACES = [
    "Aalsmeer", "Amsterdam", "Rotterdam", "Utrecht", "Groningen", "Zwolle", "Leeuwarden", "Assen",
    "Arnhem", "Nijmegen", "Tilburg", "Breda", "Eindhoven", "Maastricht", "Venlo", "Haarlem",
    "Leiden", "Delft", "Gouda", "Alkmaar", "Hoorn", "Almere", "Lelystad", "Emmen", "Enschede",
    "Deventer", "Apeldoorn", "Ede", "Amersfoort", "Middelburg", "Vlissingen", "Terneuzen",
]


def questions():
    """Distinct questions, each need in each place and at each four-digit postcode, in a fixed
    shuffled order, so that the idle and the busy phase ask the same mix."""
    asked = [f"{need} in {place}" for need, place in itertools.product(NEEDS, PLACES)]
    asked += [f"{need} bij postcode {postcode}" for postcode, need in itertools.product(range(1000, 10000), NEEDS)]
    random.Random(17).shuffle(asked)
    return iter(asked)


def next_question(asked) -> str:
    question = next(asked, None)
    if question is None:
        sys.exit("bench_reads_during: out of distinct questions; the command ran too long for this list")
    return question


def ask(base: str, question: str) -> float:
    query = urllib.parse.urlencode({"q": question})
    started = time.perf_counter()
    with urllib.request.urlopen(f"{base}/api/search?{query}") as answer:
        answer.read()
    return time.perf_counter() - started


def summary(seconds: list) -> tuple:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return 1000 * statistics.median(seconds), 1000 * p99


def main() -> None:
    base, idle_seconds, command = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    asked = questions()
    idle = []
    until = time.perf_counter() + idle_seconds
    while time.perf_counter() < until:
        idle.append(ask(base, next_question(asked)))
    during = []
    started = time.perf_counter()
    running = subprocess.Popen(command)
    while running.poll() is None:
        during.append(ask(base, next_question(asked)))
    took = time.perf_counter() - started
    if running.returncode != 0:
        sys.exit(f"the command failed with {running.returncode}")
    (idle_p50, idle_p99), (during_p50, during_p99) = summary(idle), summary(during)
    print(
        f"search idle: {len(idle)} questions, p50 {idle_p50:.1f} ms, p99 {idle_p99:.1f} ms; "
        f"during the import: {len(during)} questions, p50 {during_p50:.1f} ms, p99 {during_p99:.1f} ms; "
        f"p99 during/idle {during_p99 / idle_p99:.2f}"
    )
    print(f"the command took {took:.2f} s")


if __name__ == "__main__":
    main()
