//! Dutch text analysis, shared by the search index and question understanding: lowercasing,
//! accent folding, stop words, compound splitting with linking morphemes (tiener|zwangerschap,
//! zwangerschap|s|depressie) and Snowball stemming, as one Tantivy token chain.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Word parts from the OpenTaal word list (see `index/woorden/README.md`).
const WORD_PARTS: &str = include_str!("../index/woorden/basiswoorden.txt");
/// The linking morphemes between the parts of a Dutch compound, longest first.
const LINKING_MORPHEMES: [&str; 3] = ["en", "s", "e"];
/// Word endings that are suffixes rather than words of their own (zwanger|schap is one word).
const SUFFIXES: [&str; 15] = [
    "schap", "schappen", "heid", "heden", "lijk", "lijke", "baar", "bare", "loos", "loze", "achtig", "ling", "lingen", "isme",
    "ster",
];
/// Parts shorter than this are not split off: they make too many false compounds.
const MIN_PART: usize = 4;
/// Longer tokens are not split (and tokens over [`MAX_TOKEN`] bytes are dropped).
const MAX_SPLIT: usize = 40;
const MAX_TOKEN: usize = 64;

/// Lowercases `text` and strips its accents: `Fryslân` → `fryslan`, `patiënte` → `patiente`.
pub fn fold(text: &str) -> String {
    let mut analyzer =
        TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build();
    let mut stream = analyzer.token_stream(text);
    let mut folded = String::with_capacity(text.len());
    while stream.advance() {
        folded.push_str(&stream.token().text);
    }
    folded
}

/// `word` folded, when it has the shape of a word part: long enough, and plain letters only.
/// Only such words of the labels can enter the lexicon ([`Lexicon::with_words`]).
pub fn part_candidate(word: &str) -> Option<String> {
    let word = fold(word);
    (word.len() >= MIN_PART && word.bytes().all(|b| b.is_ascii_lowercase())).then_some(word)
}

/// The embedded word parts, read once and shared by every lexicon.
static EMBEDDED: LazyLock<HashSet<String>> = LazyLock::new(|| WORD_PARTS.lines().map(str::to_owned).collect());

/// The known word parts that compounds are split into: the embedded ones (for
/// [`Lexicon::embedded`]) and those added from the graph's labels, kept apart so that a lexicon
/// with other labels costs only those.
#[derive(Debug, Default)]
pub struct Lexicon {
    embedded: Option<&'static HashSet<String>>,
    added: HashSet<String>,
}

impl Lexicon {
    /// The embedded Dutch word parts.
    pub fn embedded() -> Self {
        Self { embedded: Some(&EMBEDDED), added: HashSet::new() }
    }

    /// Adds words (from the graph's labels, say) that are not themselves compounds of known
    /// parts, so that `postpartum` becomes a part but `geldzorgen` stays geld|zorgen.
    pub fn with_words<'a>(mut self, words: impl IntoIterator<Item = &'a str>) -> Self {
        for word in words.into_iter().filter_map(part_candidate) {
            if !self.contains(&word) && self.split(&word).is_none() {
                self.added.insert(word);
            }
        }
        self
    }

    pub fn contains(&self, word: &str) -> bool {
        self.added.contains(word) || self.embedded.is_some_and(|embedded| embedded.contains(word))
    }

    /// The parts one of the lexicons knows and the other does not (two lexicons of the same
    /// embedded parts differ only in the words added to them).
    pub fn differences<'l>(&'l self, other: &'l Lexicon) -> impl Iterator<Item = &'l str> {
        self.added.symmetric_difference(&other.added).map(String::as_str)
    }

    /// Whether [`Lexicon::split`] may split a folded word of this length: how the words that
    /// contain a changed part are told from the rest.
    pub fn may_split(word: &str) -> bool {
        (2 * MIN_PART..=MAX_SPLIT).contains(&word.len()) && word.is_ascii()
    }

    /// The parts of a folded compound, without linking morphemes, or `None` when `word` is a
    /// known part itself or cannot be split into known parts. Prefers the fewest parts.
    pub fn split<'w>(&self, word: &'w str) -> Option<Vec<&'w str>> {
        if word.len() < 2 * MIN_PART || word.len() > MAX_SPLIT || !word.is_ascii() || self.contains(word) {
            return None;
        }
        let mut memo = vec![None; word.len() + 1];
        self.split_from(word, 0, &mut memo).filter(|parts| parts.len() > 1)
    }

    /// Best split of `word[start..]` into known parts; `memo[start]` caches the answer.
    fn split_from<'w>(&self, word: &'w str, start: usize, memo: &mut Vec<Option<Option<Vec<&'w str>>>>) -> Option<Vec<&'w str>> {
        if let Some(known) = &memo[start] {
            return known.clone();
        }
        let mut best: Option<Vec<&'w str>> = None;
        for end in (start + MIN_PART..=word.len()).rev() {
            let head = &word[start..end];
            if !self.contains(head) || (start > 0 && SUFFIXES.contains(&head)) {
                continue;
            }
            let rests = std::iter::once(end)
                .chain(LINKING_MORPHEMES.iter().filter(|link| word[end..].starts_with(*link)).map(|link| end + link.len()));
            for rest in rests {
                let candidate = if rest == word.len() {
                    (end == word.len()).then(|| vec![head])
                } else {
                    self.split_from(word, rest, memo).map(|tail| std::iter::once(head).chain(tail).collect())
                };
                if let Some(candidate) = candidate
                    && best.as_ref().is_none_or(|known| candidate.len() < known.len())
                {
                    best = Some(candidate);
                }
            }
        }
        memo[start] = Some(best.clone());
        best
    }
}

/// The analyzer for Dutch text in documents and questions.
pub fn dutch_analyzer(lexicon: Arc<Lexicon>) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::new(Language::Dutch).expect("tantivy ships Dutch stop words"))
        .filter(CompoundSplitter { lexicon })
        .filter(Stemmer::new(Language::Dutch))
        .build()
}

/// The analyzer for exact matches: words folded but neither split nor stemmed.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The terms `analyzer` makes of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

/// The terms `analyzer` makes of `text`, each with the byte range of the text it was made of,
/// written as `from:to:term` separated by spaces (what the index stores for snippets).
pub fn encoded_terms(analyzer: &mut TextAnalyzer, text: &str) -> String {
    let mut stream = analyzer.token_stream(text);
    let mut encoded = String::new();
    while stream.advance() {
        let token = stream.token();
        if !encoded.is_empty() {
            encoded.push(' ');
        }
        encoded.push_str(&format!("{}:{}:{}", token.offset_from, token.offset_to, token.text));
    }
    encoded
}

/// The terms written by [`encoded_terms`], each with its byte range; what does not read as one
/// is left out.
pub fn decoded_terms(encoded: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    encoded.split(' ').filter_map(|entry| {
        let mut fields = entry.splitn(3, ':');
        let from = fields.next()?.parse().ok()?;
        let to = fields.next()?.parse().ok()?;
        Some((from, to, fields.next()?))
    })
}

/// A word of analysed text: its term, and the terms of its compound parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WordTerms {
    pub whole: String,
    pub parts: Vec<String>,
    /// The text each part was made of, unstemmed ("kraam" for the part `kram`).
    pub part_texts: Vec<String>,
}

/// The words `analyzer` makes of `text`, each with its compound parts (which the analyzer emits
/// at the word's position).
pub fn word_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<WordTerms> {
    let mut stream = analyzer.token_stream(text);
    let mut words: Vec<(usize, WordTerms)> = Vec::new();
    while stream.advance() {
        let token = stream.token();
        match words.last_mut() {
            Some((position, word)) if *position == token.position => {
                word.parts.push(token.text.clone());
                word.part_texts.push(text.get(token.offset_from..token.offset_to).unwrap_or(&token.text).to_owned());
            }
            _ => words.push((token.position, WordTerms { whole: token.text.clone(), ..WordTerms::default() })),
        }
    }
    words.into_iter().map(|(_, word)| word).collect()
}

/// A token filter that keeps every token and adds the parts of a compound at its position.
#[derive(Clone)]
pub struct CompoundSplitter {
    lexicon: Arc<Lexicon>,
}

impl TokenFilter for CompoundSplitter {
    type Tokenizer<T: Tokenizer> = CompoundSplitterFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CompoundSplitterFilter<T> {
        CompoundSplitterFilter { lexicon: self.lexicon, inner }
    }
}

#[derive(Clone)]
pub struct CompoundSplitterFilter<T> {
    lexicon: Arc<Lexicon>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CompoundSplitterFilter<T> {
    type TokenStream<'a> = CompoundSplitterStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundSplitterStream {
            lexicon: Arc::clone(&self.lexicon),
            inner: self.inner.token_stream(text),
            pending: Vec::new(),
            part: None,
        }
    }
}

pub struct CompoundSplitterStream<S> {
    lexicon: Arc<Lexicon>,
    inner: S,
    /// Parts of the inner token still to emit, last first.
    pending: Vec<Token>,
    /// The part being emitted; `None` while the inner token itself is current.
    part: Option<Token>,
}

impl<S: TokenStream> CompoundSplitterStream<S> {
    fn parts_of_current(&self) -> Vec<Token> {
        let token = self.inner.token();
        let Some(parts) = self.lexicon.split(&token.text) else {
            return Vec::new();
        };
        let mut offset = 0;
        let mut tokens: Vec<Token> = parts
            .into_iter()
            .map(|part| {
                let start = token.text[offset..].find(part).map_or(offset, |found| offset + found);
                offset = start + part.len();
                Token {
                    text: part.to_owned(),
                    offset_from: token.offset_from + start,
                    offset_to: token.offset_from + offset,
                    ..token.clone()
                }
            })
            .collect();
        tokens.reverse();
        tokens
    }
}

impl<S: TokenStream> TokenStream for CompoundSplitterStream<S> {
    fn advance(&mut self) -> bool {
        self.part = self.pending.pop();
        if self.part.is_some() {
            return true;
        }
        if !self.inner.advance() {
            return false;
        }
        self.pending = self.parts_of_current();
        true
    }

    fn token(&self) -> &Token {
        self.part.as_ref().unwrap_or_else(|| self.inner.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        self.part.as_mut().unwrap_or_else(|| self.inner.token_mut())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Arc<Lexicon> {
        Arc::new(Lexicon::embedded().with_words(["postpartum", "zorgpadentool"]))
    }

    fn analyze(text: &str) -> Vec<String> {
        terms(&mut dutch_analyzer(lexicon()), text)
    }

    #[test]
    fn compounds_split_into_their_parts() {
        let lexicon = lexicon();
        assert_eq!(lexicon.split("tienerzwangerschap"), Some(vec!["tiener", "zwangerschap"]));
        assert_eq!(lexicon.split("geldzorgen"), Some(vec!["geld", "zorgen"]));
        assert_eq!(lexicon.split("mondzorg"), Some(vec!["mond", "zorg"]));
        assert_eq!(lexicon.split("postpartumdepressie"), Some(vec!["postpartum", "depressie"]));
    }

    #[test]
    fn linking_morphemes_are_dropped_between_parts() {
        let lexicon = lexicon();
        assert_eq!(lexicon.split("zwangerschapsdepressie"), Some(vec!["zwangerschap", "depressie"]));
        let terms = analyze("doktersassistent");
        assert!(terms.contains(&"dokter".to_owned()) && terms.contains(&"assistent".to_owned()), "{terms:?}");
    }

    #[test]
    fn words_and_suffixes_stay_whole() {
        let lexicon = lexicon();
        assert_eq!(lexicon.split("zwangerschap"), None, "zwanger|schap is one word");
        assert_eq!(lexicon.split("depressie"), None);
        assert_eq!(lexicon.split("baby"), None);
        assert_eq!(lexicon.split("xqzwvbnmkl"), None);
    }

    #[test]
    fn the_analyzer_keeps_the_compound_and_adds_stemmed_parts() {
        let terms = analyze("Tienerzwangerschappen");
        assert!(terms.contains(&"tiener".to_owned()), "{terms:?}");
        assert!(terms.iter().any(|t| t.starts_with("zwangerschap")), "{terms:?}");
        assert_eq!(analyze("zwangerschapsdepressie")[1..], ["zwangerschap".to_owned(), "depressie".to_owned()]);
    }

    #[test]
    fn accents_fold_and_stop_words_go() {
        assert_eq!(fold("Fryslân"), "fryslan");
        assert_eq!(fold("Patiënte"), "patiente");
        assert_eq!(analyze("de taalbarrière van een patiënte"), analyze("taalbarriere patiente"));
        assert!(!analyze("voor de huisarts").iter().any(|t| t == "de" || t == "voor"));
    }

    #[test]
    fn stemming_matches_singular_and_plural() {
        assert_eq!(analyze("schulden"), analyze("schuld"));
        assert_eq!(analyze("huilbaby's")[..1], analyze("huilbaby")[..1]);
    }

    #[test]
    fn words_keep_their_parts_together() {
        let words = word_terms(&mut dutch_analyzer(lexicon()), "geldzorgen en roken");
        assert_eq!(words.len(), 2, "{words:?}");
        assert_eq!(words[0].parts, ["geld", "zorg"]);
        assert!(words[1].parts.is_empty());
    }

    #[test]
    fn long_and_odd_input_is_harmless() {
        assert!(analyze(&"a".repeat(10_000)).is_empty());
        assert!(analyze("?!... ;;; ''").is_empty());
        let long_compound = "zorg".repeat(12);
        assert_eq!(analyze(&long_compound).len(), 1, "tokens over the split limit are kept whole");
    }
}
