#!/usr/bin/env python3
"""Helper for scripts/bench-vs-postgres: the question sets, the PostgreSQL baseline, the clients
of both systems and the table of figures.

  bench_vs_postgres.py port                       print a free local TCP port
  bench_vs_postgres.py wait URL TIMEOUT_S PID     wait until URL answers 200 (PID: the server)
  bench_vs_postgres.py questions KANSRIJK_URL     print the known-item questions as
                                                  `variant<TAB>IRI<TAB>question`, sorted (the same
                                                  lines as tests/known_items.rs with
                                                  KNOWN_ITEMS_QUESTIONS=FILE)
  bench_vs_postgres.py run KANSRIJK_URL PG_SOCKET_DIR PG_PORT PG_USER [--json FILE] [--seconds S]
                                                  load PostgreSQL from kansrijk's SPARQL endpoint,
                                                  ask both systems every question, print the table

`port`, `wait` and `questions` need the standard library only; `run` needs psycopg 3.

The known-item questions are defined here and in tests/known_items.rs, the same way: every
resource of the base graphs whose class is searchable and which has a Dutch skos:prefLabel, asked
for by that label (exact), with one typo in its longest word of letters (typo), and with the typo
in a place name the label contains (place typo). Change both together.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ID = "https://w3id.org/kansrijk/id/"
PREFIXES = (
    "PREFIX kr: <https://w3id.org/kansrijk/def#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX schema: <http://schema.org/>\n"
    "PREFIX dct: <http://purl.org/dc/terms/>\n"
)
META_GRAPH = "https://w3id.org/kansrijk/graph/meta"
PLACE_CLASSES = ("Municipality", "GGDRegion", "Province")
# A typo goes into a word of at least this many letters.
TYPO_MIN_LETTERS = 6
SEARCH_LIMIT = 10
RELEVANCE_SETS = (
    ("GP questions", "tests/relevance/questions.tsv"),
    ("new GP questions", "tests/relevance/new-questions.tsv"),
)
CLIENTS = 2


# ------------------------------------------------------------------------------- known items

def searchable_classes() -> list[str]:
    """The searchable kinds of kansrijk::rdf::kinds::KINDS, read from the source so that the two never differ."""
    with open(os.path.join(ROOT, "src/rdf/kinds.rs"), encoding="utf-8") as source:
        classes = re.findall(r'kind\("(\w+)", "[^"]+", "[^"]+", FOUND,', source.read())
    if not classes:
        sys.exit("bench_vs_postgres: no searchable kinds in src/rdf/kinds.rs")
    return classes


def base_graph_labels_query(classes: list[str] | tuple[str, ...]) -> str:
    """Resources of `classes` with their Dutch prefLabel, as the base graphs state them."""
    values = " ".join(f"kr:{name}" for name in classes)
    return PREFIXES + f"""SELECT DISTINCT ?resource ?label WHERE {{
  GRAPH <{META_GRAPH}> {{ ?graph kr:contentHash ?hash }}
  GRAPH ?graph {{ ?resource a ?class ; skos:prefLabel ?label }}
  VALUES ?class {{ {values} }}
  FILTER(LANG(?label) = "nl")
}}"""


def letter_words(text: str) -> list[tuple[int, str]]:
    """Maximal runs of letters with their start."""
    words, start = [], None
    for at, char in enumerate(text + " "):
        if char.isalpha() and start is None:
            start = at
        elif not char.isalpha() and start is not None:
            words.append((start, text[start:at]))
            start = None
    return words


def typo_word(text: str) -> tuple[int, str] | None:
    """The longest word of letters of at least TYPO_MIN_LETTERS letters; ties: the first."""
    best = None
    for start, word in letter_words(text):
        if len(word) >= TYPO_MIN_LETTERS and (best is None or len(word) > len(best[1])):
            best = (start, word)
    return best


def next_letter(char: str) -> str:
    for first in ("a", "A"):
        offset = ord(char) - ord(first)
        if 0 <= offset < 26:
            return chr(ord(first) + (offset + 1) % 26)
    return "a" if char.islower() else "A"


TYPO_KINDS = ("deletion", "transposition", "substitution", "insertion")


def misspell(word: str, kind: str) -> str:
    at = len(word) // 2
    head, char, tail = word[:at], word[at], word[at + 1:]
    if kind == "deletion":
        return head + tail
    if kind == "transposition":
        return head + tail[0] + char + tail[1:]
    if kind == "substitution":
        return head + next_letter(char) + tail
    return head + char + char + tail


def with_typo(text: str, start: int, word: str, kind: str) -> str:
    return text[:start] + misspell(word, kind) + text[start + len(word):]


def place_in(label: str, places: list[str]) -> tuple[int, str] | None:
    """The longest place name the label contains between word boundaries; ties: the first."""
    best = None
    for place in places:
        start = label.find(place)
        while start >= 0:
            end = start + len(place)
            bounded = (start == 0 or not label[start - 1].isalnum()) and (end == len(label) or not label[end].isalnum())
            if bounded:
                if best is None or len(place) > len(best[1]) or (len(place) == len(best[1]) and start < best[0]):
                    best = (start, place)
                break
            start = label.find(place, start + 1)
    return best


@dataclass
class Question:
    variant: str
    iri: str
    text: str
    right: frozenset[str]  # resources that count as the answer: same Dutch prefLabel


def known_items(labels: list[tuple[str, str]], places: list[str]) -> list[Question]:
    """The known-item questions of every variant. `labels`: (IRI, Dutch prefLabel) of the set;
    `places`: Dutch prefLabels of municipalities, GGD regions and provinces."""
    items = sorted(labels)
    by_label: dict[str, set[str]] = {}
    for iri, label in items:
        by_label.setdefault(label, set()).add(iri)
    typo_places = [place for place in places if typo_word(place)]
    questions = []
    for position, (iri, label) in enumerate(items):
        right = frozenset(by_label[label])
        kind = TYPO_KINDS[position % len(TYPO_KINDS)]
        questions.append(Question("exact", iri, label, right))
        targets = {"typo": typo_word(label), "place typo": None}
        place = place_in(label, typo_places)
        if place:
            place_start, place_name = place
            word_start, word = typo_word(place_name)
            targets["place typo"] = (place_start + word_start, word)
        for variant, target in targets.items():
            # A transposition of two equal letters changes nothing: no typo, no question.
            if target and misspell(target[1], kind) != target[1]:
                questions.append(Question(variant, iri, with_typo(label, *target, kind), right))
    return questions


def read_known_items(kansrijk: str) -> list[Question]:
    rows = sparql(kansrijk, base_graph_labels_query(searchable_classes()))
    labels = [(row["resource"], row["label"]) for row in rows]
    places = sorted({row["label"] for row in sparql(kansrijk, base_graph_labels_query(PLACE_CLASSES))})
    return known_items(labels, places)


def cmd_questions(kansrijk: str) -> None:
    lines = sorted(f"{q.variant}\t{q.iri}\t{q.text}" for q in read_known_items(kansrijk))
    sys.stdout.write("".join(line + "\n" for line in lines))


# --------------------------------------------------------------------------- GP question sets

def relevance_questions(path: str, variant: str) -> list[Question]:
    questions = []
    with open(os.path.join(ROOT, path), encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            columns = line.rstrip("\n").split("\t")
            answers = frozenset(ID + local for local in columns[1].split()) if len(columns) > 1 else frozenset()
            questions.append(Question(variant, "", columns[0], answers))
    return questions


# ------------------------------------------------------------------------------------ kansrijk

def sparql(kansrijk: str, query: str) -> list[dict[str, str]]:
    request = urllib.request.Request(
        kansrijk + "/sparql",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        bindings = json.load(response)["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


class KansrijkClient:
    """/api/search over one keep-alive connection; reads only `results[].iri`."""

    def __init__(self, url: str):
        parsed = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)

    def search(self, question: str) -> list[str]:
        path = "/api/search?" + urllib.parse.urlencode({"q": question, "limit": SEARCH_LIMIT})
        self.connection.request("GET", path, headers={"Accept": "application/json"})
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"kansrijk answered {response.status} to {question!r}: {body[:300]!r}")
        return [result["iri"] for result in json.loads(body)["results"]]

    def close(self) -> None:
        self.connection.close()


# ---------------------------------------------------------------------------------- PostgreSQL

RESOURCES_QUERY_BODY = """SELECT ?resource ?class ?property ?value ?lang WHERE {{
  VALUES ?class {{ {classes} }}
  ?resource a ?class .
  VALUES ?property {{ skos:prefLabel skos:altLabel skos:hiddenLabel schema:description dct:description }}
  ?resource ?property ?value .
  BIND(LANG(?value) AS ?lang)
}}"""

SCHEMA_SQL = """
CREATE TABLE resource (
    iri text PRIMARY KEY,
    class text NOT NULL,
    label text NOT NULL,
    names text NOT NULL,
    descriptions text NOT NULL,
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch', label), 'A')
        || setweight(to_tsvector('dutch', names), 'B')
        || setweight(to_tsvector('dutch', descriptions), 'C')
    ) STORED
);
"""

INDEX_SQL = "CREATE INDEX resource_document ON resource USING gin (document); ANALYZE resource;"

# websearch_to_tsquery ranked by ts_rank; when that finds nothing, the OR of the question's lexemes.
SEARCH_FUNCTION_SQL = """
CREATE FUNCTION search(question text, size int) RETURNS SETOF text LANGUAGE plpgsql STABLE AS $$
DECLARE
    query tsquery := websearch_to_tsquery('dutch', question);
BEGIN
    RETURN QUERY SELECT r.iri FROM resource r WHERE r.document @@ query
        ORDER BY ts_rank(r.document, query) DESC, r.iri LIMIT size;
    IF FOUND THEN
        RETURN;
    END IF;
    SELECT coalesce(string_agg('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''', ' | '), '')
        INTO query FROM unnest(to_tsvector('dutch', question));
    RETURN QUERY SELECT r.iri FROM resource r WHERE r.document @@ query
        ORDER BY ts_rank(r.document, query) DESC, r.iri LIMIT size;
END
$$;
"""


def pg_connect(socket_dir: str, port: str, user: str):
    import psycopg  # only `run` needs it; the venv of scripts/bench-vs-postgres has it

    return psycopg.connect(host=socket_dir, port=int(port), user=user, dbname="postgres", autocommit=True)


def load_postgres(kansrijk: str, pg: tuple[str, str, str]) -> tuple[int, str]:
    """Loads every searchable resource; returns how many and the server version."""
    classes = " ".join(f"kr:{name}" for name in searchable_classes())
    rows = sparql(kansrijk, PREFIXES + RESOURCES_QUERY_BODY.format(classes=classes))
    resources: dict[str, dict] = {}
    for row in rows:
        entry = resources.setdefault(row["resource"], {"class": set(), "label": [], "names": [], "descriptions": []})
        entry["class"].add(row["class"].rsplit("#", 1)[-1])
        local = row["property"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local == "prefLabel" and row.get("lang") == "nl":
            entry["label"].append(row["value"])
        elif local in ("prefLabel", "altLabel", "hiddenLabel"):
            entry["names"].append(row["value"])
        else:
            entry["descriptions"].append(row["value"])
    with pg_connect(*pg) as connection:
        connection.execute(SCHEMA_SQL)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO resource (iri, class, label, names, descriptions) VALUES (%s, %s, %s, %s, %s)",
                [
                    (iri, " ".join(sorted(entry["class"])), "\n".join(sorted(entry["label"])),
                     "\n".join(sorted(entry["names"])), "\n".join(sorted(entry["descriptions"])))
                    for iri, entry in sorted(resources.items())
                ],
            )
        connection.execute(INDEX_SQL)
        connection.execute(SEARCH_FUNCTION_SQL)
        version = connection.execute("SHOW server_version").fetchone()[0]
    return len(resources), version


class PostgresClient:
    def __init__(self, pg: tuple[str, str, str]):
        self.connection = pg_connect(*pg)

    def search(self, question: str) -> list[str]:
        rows = self.connection.execute("SELECT search(%s, %s)", (question, SEARCH_LIMIT), prepare=True).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        self.connection.close()


# ---------------------------------------------------------------------------------- the clients

def client_for(system: str, target):
    return KansrijkClient(target) if system == "kansrijk" else PostgresClient(target)


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def one_pass(system: str, target, questions: list[str], start_at: float) -> list[tuple[str, float, list[str]]]:
    """Asks each question once; returns (question, seconds, IRIs)."""
    client = client_for(system, target)
    answers = []
    sleep_until(start_at)
    for question in questions:
        started = time.perf_counter()
        iris = client.search(question)
        answers.append((question, time.perf_counter() - started, iris))
    client.close()
    return answers


def repeated_passes(system: str, target, questions: list[str], start_at: float, seconds: float) -> int:
    """Asks the questions over and over until `seconds` have passed; returns how many were answered."""
    client = client_for(system, target)
    answered = 0
    sleep_until(start_at)
    stop_at = start_at + seconds
    while time.time() < stop_at:
        for question in questions:
            client.search(question)
            answered += 1
            if time.time() >= stop_at:
                break
    client.close()
    return answered


def in_clients(pool, function, system: str, target, questions: list[str], *extra):
    """Runs `function` in CLIENTS processes at once, each with every CLIENTS-th question."""
    start_at = time.time() + 1.0
    futures = [
        pool.submit(function, system, target, questions[client::CLIENTS], start_at, *extra) for client in range(CLIENTS)
    ]
    return [future.result() for future in futures]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# ----------------------------------------------------------------------------------- the figures

def known_item_figures(questions: list[Question], answers: dict[str, list[str]]) -> dict:
    figures = {}
    for variant in ("exact", "typo", "place typo"):
        asked = [q for q in questions if q.variant == variant]
        at_1 = sum(1 for q in asked if answers[q.text][:1] and answers[q.text][0] in q.right)
        at_5 = sum(1 for q in asked if q.right.intersection(answers[q.text][:5]))
        figures[variant] = {"questions": len(asked), "success@1": at_1 / len(asked), "success@5": at_5 / len(asked)}
    return figures


def relevance_figures(questions: list[Question], answers: dict[str, list[str]]) -> dict:
    ranks = [next((rank for rank, iri in enumerate(answers[q.text], 1) if iri in q.right), None) for q in questions]
    return {
        "questions": len(questions),
        "hit@1": sum(1 for rank in ranks if rank == 1) / len(questions),
        "hit@5": sum(1 for rank in ranks if rank and rank <= 5) / len(questions),
        "MRR@10": sum(1 / rank for rank in ranks if rank) / len(questions),
    }


def measure(system: str, target, known: list[Question], sets: dict[str, list[Question]], seconds: float) -> dict:
    distinct = list(dict.fromkeys([q.text for q in known] + [q.text for qs in sets.values() for q in qs]))
    with concurrent.futures.ProcessPoolExecutor(max_workers=CLIENTS) as pool:
        passes = in_clients(pool, one_pass, system, target, distinct)
        answered = sum(in_clients(pool, repeated_passes, system, target, distinct, seconds))
    answers = {question: iris for client in passes for question, _, iris in client}
    latencies = [seconds_taken * 1000 for client in passes for _, seconds_taken, _ in client]
    return {
        "known items": known_item_figures(known, answers),
        **{name: relevance_figures(questions, answers) for name, questions in sets.items()},
        "latency": {
            "questions": len(distinct),
            "median ms": statistics.median(latencies),
            "p99 ms": percentile(latencies, 0.99),
            "questions/s": answered / seconds,
        },
    }


def print_table(figures: dict, meta: dict) -> None:
    systems = list(figures)
    rows = []
    for variant, first in figures[systems[0]]["known items"].items():
        for measure_name in ("success@1", "success@5"):
            label = f"known items, {variant} ({first['questions']})" if measure_name == "success@1" else ""
            values = [f"{figures[s]['known items'][variant][measure_name]:.3f}" for s in systems]
            rows.append((label, measure_name, values))
    for name, _ in RELEVANCE_SETS:
        for measure_name in ("hit@1", "hit@5", "MRR@10"):
            label = f"{name} ({figures[systems[0]][name]['questions']})" if measure_name == "hit@1" else ""
            rows.append((label, measure_name, [f"{figures[s][name][measure_name]:.3f}" for s in systems]))
    latency = figures[systems[0]]["latency"]
    title = f"latency, {CLIENTS} clients ({latency['questions']} questions)"
    for measure_name, shown in (("median ms", "median ms"), ("p99 ms", "p99 ms"), ("questions/s", "questions/s")):
        places = 0 if measure_name == "questions/s" else 2
        rows.append(
            (title if measure_name == "median ms" else "", shown,
             [f"{figures[s]['latency'][measure_name]:.{places}f}" for s in systems])
        )
    print()
    print(
        f"bench-vs-postgres: kansrijk {meta['kansrijk']} against PostgreSQL {meta['postgres']} "
        f"('dutch', A/B/C weights, websearch_to_tsquery then OR), {meta['resources']} resources, "
        f"limit {SEARCH_LIMIT}, {os.cpu_count()} CPUs"
    )
    first_width = max(len(row[0]) for row in rows)
    print(f"  {'':<{first_width}}  {'':<12} {'kansrijk':>10} {'PostgreSQL':>11}")
    for label, measure_name, values in rows:
        print(f"  {label:<{first_width}}  {measure_name:<12} {values[0]:>10} {values[1]:>11}")
    print(
        f"  latency: one pass asking each question once ({CLIENTS} clients sharing it, so kansrijk's answer cache "
        f"does not help); throughput: repeated passes for {meta['seconds']:g} s (kansrijk answers the repeats from "
        "its answer cache)"
    )


def cmd_run(kansrijk: str, socket_dir: str, port: str, user: str, *options: str) -> None:
    json_file, seconds = None, 10.0
    rest = list(options)
    while rest:
        option = rest.pop(0)
        if option == "--json" and rest:
            json_file = rest.pop(0)
        elif option == "--seconds" and rest:
            seconds = float(rest.pop(0))
        else:
            sys.exit(f"bench_vs_postgres run: unknown option {option}")
    pg = (socket_dir, port, user)
    print("==> loading PostgreSQL from kansrijk's SPARQL endpoint", file=sys.stderr)
    resources, version = load_postgres(kansrijk, pg)
    known = read_known_items(kansrijk)
    sets = {name: relevance_questions(path, name) for name, path in RELEVANCE_SETS}
    figures = {}
    for system, target in (("kansrijk", kansrijk), ("PostgreSQL", pg)):
        print(f"==> asking {system}", file=sys.stderr)
        figures[system] = measure(system, target, known, sets, seconds)
    meta = {"kansrijk": kansrijk_version(), "postgres": version, "resources": resources, "seconds": seconds}
    print_table(figures, meta)
    if json_file:
        with open(json_file, "w", encoding="utf-8") as out:
            json.dump({"meta": meta, "figures": figures}, out, indent=2, ensure_ascii=False)
            out.write("\n")


def kansrijk_version() -> str:
    try:
        git = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True)
    except OSError:
        return "?"
    return git.stdout.strip() or "?"


# ------------------------------------------------------------------------------------ plumbing

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cmd_port() -> None:
    print(free_port())


def alive(pid: str) -> bool:
    """Whether the process runs (a zombie has exited, though its parent has not reaped it yet)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return False


def cmd_wait(url: str, timeout_s: str, pid: str) -> None:
    deadline = time.monotonic() + float(timeout_s)
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if not alive(pid):
            sys.exit(f"process {pid} exited before {url} answered")
        time.sleep(0.1)
    sys.exit(f"{url} did not answer within {timeout_s} s")


def main(argv: list[str]) -> None:
    commands = {"port": cmd_port, "wait": cmd_wait, "questions": cmd_questions, "run": cmd_run}
    if len(argv) < 2 or argv[1] not in commands:
        sys.exit(__doc__)
    commands[argv[1]](*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
