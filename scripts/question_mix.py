"""wrk scripts of GP questions for the search benchmarks (scripts/bench-search, scripts/bench-pages).

Usage: question_mix.py SERVER WORK PATH

Writes WORK/repeated.lua and WORK/distinct.lua, each asking PATH?q=... in rotation (from a random
start). "repeated": 12 common questions, as many GPs asking the same things (the answer cache
serves them). "distinct": every question of tests/relevance/questions.tsv with each municipality
of SERVER named, about 30,000 different questions, so nearly every request misses the cache.
"""

import json
import pathlib
import random
import sys
import urllib.parse
import urllib.request

REPEATED = [
    "aanbod voor tienerzwangerschap in Aalsmeer", "schulden zwangere vrouw Utrecht", "somber na de bevalling",
    "tolk regelen voor zwangere", "huisbezoek jgz zwangerschap 3511 AB", "nu niet zwanger Groningen",
    "hulp bij kinderwens provincie Friesland", "tienerzwangershap", "roken zwangerschap stoppen",
    "statushouder zwanger Amersfoort", "baby huilt veel ouders radeloos", "geldzorgen",
]
RELEVANCE = pathlib.Path(__file__).resolve().parent.parent / "tests" / "relevance" / "questions.tsv"


def municipalities(server: str) -> list[str]:
    query = "SELECT ?l WHERE { ?m a kr:Municipality ; skos:prefLabel ?l FILTER(LANG(?l) = 'nl') }"
    request = urllib.request.Request(
        server + "/sparql",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return [row["l"]["value"] for row in json.load(response)["results"]["bindings"]]


def main(server: str, work: str, path: str) -> None:
    questions = [line.split("\t")[0] for line in RELEVANCE.open(encoding="utf-8") if line.strip() and not line.startswith("#")]
    distinct = [f"{question} {place}" for question in questions for place in municipalities(server)]
    random.Random(7).shuffle(distinct)
    for name, mix in (("repeated", REPEATED), ("distinct", distinct)):
        paths = ",".join('"%s?q=%s"' % (path, urllib.parse.quote(question)) for question in mix)
        with open(f"{work}/{name}.lua", "w", encoding="utf-8") as out:
            out.write(
                "paths = {%s}\ni = math.random(#paths)\nrequest = function()\n  i = i %% #paths + 1\n"
                "  return wrk.format(\"GET\", paths[i])\nend\n" % paths
            )
        print(f"{name}: {len(mix)} questions", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:4])
