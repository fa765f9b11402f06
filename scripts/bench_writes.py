"""Times small writes beside a large map: each PUT /store of one offer (a graph of its own, a new
label each time, with a word no label had, as a new organisation's name brings) until
/api/search finds it, and prints p50, p99 and the slowest.

Usage: bench_writes.py BASE TOKEN [WRITES]
"""

import statistics
import sys
import time
import urllib.parse
import urllib.request

ID = "https://w3id.org/kansrijk/id/"
PREFIXES = (
    "@prefix kr: <https://w3id.org/kansrijk/def#> . @prefix schema: <http://schema.org/> .\n"
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
)


def new_word(number: int) -> str:
    """A word of letters only (a part the compound lexicon learns), one per write."""
    letters = ""
    while True:
        number, letter = divmod(number, 26)
        letters += chr(ord("a") + letter)
        if number == 0:
            return "benchwoord" + letters


def offer(number: int) -> bytes:
    return (
        PREFIXES
        + f"<{ID}aanbod/bench-klein-{number}> a kr:Offer ;\n"
        + f'  skos:prefLabel "Klein benchmarkaanbod {new_word(number)} (synthetisch)"@nl ;\n'
        + '  schema:description "Een aanbod voor de benchmark van kleine schrijfacties; bestaat niet."@nl ;\n'
        + f"  schema:provider <{ID}organisatie/ggd-kennemerland> ;\n"
        + f"  schema:areaServed <{ID}gemeente/gm0358> ;\n"
        + f"  dct:source <{ID}bron/factsheet-huisartsenpraktijk> .\n"
    ).encode()


def found(base: str, number: int) -> bool:
    query = urllib.parse.urlencode({"q": f"benchmarkaanbod {new_word(number)}"})
    with urllib.request.urlopen(f"{base}/api/search?{query}") as answer:
        return f"bench-klein-{number}".encode() in answer.read()


def main() -> None:
    base, token = sys.argv[1], sys.argv[2]
    writes = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    graph = "https://w3id.org/kansrijk/graph/bench-klein"
    seconds = []
    for number in range(writes):
        request = urllib.request.Request(
            f"{base}/store?graph={urllib.parse.quote(graph, safe='')}",
            data=offer(number),
            method="PUT",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request) as answer:
            answer.read()
        if not found(base, number):
            sys.exit(f"offer {number} is not found right after its write")
        seconds.append(time.perf_counter() - started)
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(
        f"one-offer write until searchable, {writes} writes: p50 {1000 * statistics.median(seconds):.0f} ms, "
        f"p99 {1000 * p99:.0f} ms, slowest {1000 * ordered[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
