#!/usr/bin/env python3
"""Derive index/woorden/basiswoorden.txt, the word parts for Dutch compound splitting.

Input: the OpenTaal word list as Debian's `wdutch` package installs it (/usr/share/dict/dutch).
Output: words of 4 to 20 letters, lowercased and without accents, that are not themselves a join
of two such words (with or without a linking -s-/-en-/-e-), so that the list holds word parts,
not compounds. A tail that is really a suffix (zwanger+schap) does not make a compound.

Usage: scripts/gen-wordlist.py [/usr/share/dict/dutch] > index/woorden/basiswoorden.txt
"""

import re
import sys
import unicodedata

LINKS = ("", "s", "en", "e")
MIN_PART = 4
SUFFIX_WORDS = {"schap", "schappen", "heid", "heden", "lijk", "lijke", "baar", "bare", "loos", "loze", "achtig", "ling", "lingen", "isme", "ster"}


def fold(word):
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()


def is_compound(word, words):
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if tail not in words or tail in SUFFIX_WORDS:
            continue
        for link in LINKS:
            if link and head.endswith(link) and head[: -len(link)] in words:
                return True
            if not link and head in words:
                return True
    return False


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/dutch"
    with open(source, encoding="utf-8") as f:
        words = {w for w in (fold(line.strip()) for line in f) if re.fullmatch(r"[a-z]{4,20}", w)}
    for word in sorted(w for w in words if not is_compound(w, words)):
        print(word)


if __name__ == "__main__":
    main()
