//! Snippets: the sentences of a description that hold the most matched words, cut at word
//! boundaries (never inside a word, and a sentence is kept whole when it fits, so that a "niet"
//! is not cut off), with "…" where text was left out and the matched words marked.

use std::collections::HashSet;

use crate::analysis;
use serde::Serialize;

/// Longest snippet, in characters, "…" not counted.
pub(super) const SNIPPET_CHARS: usize = 180;

/// A piece of a description with its matched words.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// The matched words, as `[from, to)` character offsets into `text`.
    pub marks: Vec<(usize, usize)>,
}

/// The words of `text` with their byte ranges.
fn word_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = None;
    for (offset, character) in text.char_indices() {
        match (character.is_alphanumeric(), start) {
            (true, None) => start = Some(offset),
            (false, Some(from)) => {
                ranges.push((from, offset));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        ranges.push((from, text.len()));
    }
    ranges
}

/// The sentences of `text` as byte ranges, each ending after its full stop and spaces.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (offset, character) in text.char_indices() {
        let ends =
            matches!(character, '.' | '?' | '!' | ';') && bytes.get(offset + 1).is_none_or(|next| next.is_ascii_whitespace());
        if ends {
            let mut end = offset + 1;
            while bytes.get(end).is_some_and(u8::is_ascii_whitespace) {
                end += 1;
            }
            ranges.push((start, end));
            start = end;
        }
    }
    if start < text.len() {
        ranges.push((start, text.len()));
    }
    ranges
}

/// Which of the `words` of a text have a term in `wanted`, from the text's `terms` with their
/// byte ranges (a term's range says which words it was made of).
fn matched_words<'t>(
    words: &[(usize, usize)],
    terms: impl Iterator<Item = (usize, usize, &'t str)>,
    wanted: &HashSet<String>,
) -> Vec<bool> {
    let mut matched = vec![false; words.len()];
    for (from, to, term) in terms {
        if wanted.contains(term) {
            let first = words.partition_point(|&(_, end)| end <= from);
            for (word, flag) in words[first..].iter().zip(&mut matched[first..]) {
                if word.0 >= to {
                    break;
                }
                *flag = true;
            }
        }
    }
    matched
}

/// The snippet of `description`, analysed as `terms` (see [`analysis::encoded_terms`]), for the
/// question terms `wanted`.
pub(super) fn snippet(description: &str, terms: &str, wanted: &HashSet<String>) -> Snippet {
    let words = word_ranges(description);
    let matched = matched_words(&words, analysis::decoded_terms(terms), wanted);
    let sentences = sentences(description);
    let count_in = |(from, to): (usize, usize)| {
        words.iter().zip(&matched).filter(|&(&(start, _), &hit)| hit && start >= from && start < to).count()
    };
    let best = sentences.iter().copied().enumerate().max_by_key(|&(position, range)| (count_in(range), usize::MAX - position));
    let Some((first, (mut from, mut to))) = best else { return Snippet::default() };
    let chars = |from: usize, to: usize| description[from..to].chars().count();
    for &(_, next_to) in &sentences[first + 1..] {
        if chars(from, next_to) > SNIPPET_CHARS {
            break;
        }
        to = next_to;
    }
    if chars(from, to) > SNIPPET_CHARS {
        // One long sentence: a window of whole words around its first match.
        let inside: Vec<usize> = (0..words.len()).filter(|&w| words[w].0 >= from && words[w].1 <= to).collect();
        let anchor = inside.iter().copied().find(|&w| matched[w]).or(inside.first().copied());
        if let Some(anchor) = anchor {
            let mut first_word = anchor;
            while first_word > 0 && inside.contains(&(first_word - 1)) && anchor - first_word < 4 {
                first_word -= 1;
            }
            let mut last_word = first_word;
            while inside.contains(&(last_word + 1)) && chars(words[first_word].0, words[last_word + 1].1) <= SNIPPET_CHARS {
                last_word += 1;
            }
            from = words[first_word].0.max(from);
            to = words[last_word].1;
        }
    }
    let start_cut = from > 0;
    let end_cut = description[to..].trim().chars().next().is_some();
    let mut text = String::new();
    if start_cut {
        text.push('…');
    }
    let body = description[from..to].trim_end();
    let offset_chars = text.chars().count();
    text.push_str(body);
    if end_cut {
        text.push('…');
    }
    let marks = words
        .iter()
        .zip(&matched)
        .filter(|&(&(start, end), &hit)| hit && start >= from && end <= from + body.len())
        .map(|(&(start, end), _)| {
            let before = description[from..start].chars().count() + offset_chars;
            (before, before + description[start..end].chars().count())
        })
        .collect();
    Snippet { text, marks }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::{Lexicon, dutch_analyzer};

    fn make(description: &str, words: &[&str]) -> Snippet {
        let mut analyzer = dutch_analyzer(Arc::new(Lexicon::embedded()));
        let wanted = words.iter().flat_map(|word| analysis::terms(&mut analyzer, word)).collect();
        snippet(description, &analysis::encoded_terms(&mut analyzer, description), &wanted)
    }

    fn marked(snippet: &Snippet) -> Vec<String> {
        let chars: Vec<char> = snippet.text.chars().collect();
        snippet.marks.iter().map(|&(from, to)| chars[from..to].iter().collect()).collect()
    }

    #[test]
    fn the_sentence_with_the_words_is_shown_whole_and_marked() {
        let description = "Een eerste zin over iets anders. Dit aanbod bestaat niet, het is een voorbeeld over roken. \
                           Nog een zin.";
        let snippet = make(description, &["roken"]);
        assert!(snippet.text.starts_with("…Dit aanbod bestaat niet"), "{snippet:?}");
        assert!(snippet.text.contains("Nog een zin."), "{snippet:?}");
        assert_eq!(marked(&snippet), ["roken"]);
    }

    #[test]
    fn a_long_sentence_is_cut_between_words() {
        let description = format!("{} tienerzwangerschap {}", "woord ".repeat(60), "ander ".repeat(60));
        let snippet = make(&description, &["tienerzwangerschap"]);
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'), "{snippet:?}");
        let inner = snippet.text.trim_matches('…');
        assert!(inner.split_whitespace().all(|word| ["woord", "ander", "tienerzwangerschap"].contains(&word)), "{inner}");
        assert!(inner.chars().count() <= SNIPPET_CHARS);
        assert_eq!(marked(&snippet), ["tienerzwangerschap"]);
    }

    #[test]
    fn odd_text_is_harmless() {
        assert_eq!(make("", &["x"]), Snippet::default());
        let snippet = make("ééé … ??? patiënte!", &["patiente"]);
        assert_eq!(marked(&snippet), ["patiënte"]);
    }
}
