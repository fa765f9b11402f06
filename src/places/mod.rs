//! The place gazetteer: every municipality, GGD region, province, country and PC4 postcode area
//! of the graph with its names, read from the store once per snapshot, and the one way a name is
//! matched to a place. Search (through [`crate::search::question`]), reconciliation and the HSDS import
//! all use it, so they agree on what a name means. It owns
//! - the normalisation of names ([`name_key`]: folded words, "'s-Hertogenbosch" = "s hertogenbosch"),
//! - the names of a place (official, alternative, hidden and everyday names, the base of
//!   "Bergen (NH.)", the CBS code),
//! - the ambiguity rules: a keyword before a name ("provincie Utrecht") picks the kind, otherwise
//!   the most local reading is taken and the others are listed as alternatives,
//! - typo tolerance scaled by the length of the name ([`allowed_typos`]), never for a Dutch word,
//!   a concept's label or a word written in double quotes; an exact name always wins.

use std::collections::{HashMap, HashSet};
use std::ops::{Index, Range};
use std::sync::Arc;

use rapidfuzz::distance::osa;
use serde::Serialize;

use crate::analysis::{Lexicon, fold};
use crate::store::{StoreError, StoreView};

/// Words that only introduce a place ("in Aalsmeer", "bij Utrecht").
const PLACE_WORDS: [&str; 8] = ["in", "bij", "rond", "omgeving", "rondom", "te", "near", "around"];
/// Longest name, in words, that is looked up (Nuenen, Gerwen en Nederwetten has four).
const MAX_NAME_WORDS: usize = 6;
/// Texts are cut to this many words: longer input is not a question or a name but a paste.
const MAX_WORDS: usize = 200;
/// Names with fewer letters are only matched exactly: one edit turns Ede into Epe, Goes into
/// goed, Best into beste.
const ONE_TYPO_LETTERS: usize = 5;
/// From this many letters a name may carry two typos (Leeuwaarden, s-Hertogenbosh); below it one
/// is enough to tell most names apart and two would reach other towns.
const TWO_TYPOS_LETTERS: usize = 9;
/// Endings that derive a word from a place name rather than misspell it: Nederlands,
/// Utrechtse, Groninger are words of their own (a language, an adjective), not typos.
const DERIVED_ENDINGS: [&str; 5] = ["s", "se", "e", "er", "ers"];
/// The double quotes that mark words to be taken literally: straight and typographic.
const QUOTES: [char; 4] = ['"', '“', '”', '„'];

/// How many edits (insertion, deletion, substitution, transposition) a name of `letters`
/// letters may be away from what was written and still be recognised.
pub fn allowed_typos(letters: usize) -> usize {
    match letters {
        0..ONE_TYPO_LETTERS => 0,
        ONE_TYPO_LETTERS..TWO_TYPOS_LETTERS => 1,
        _ => 2,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Postcode,
    Municipality,
    GgdRegion,
    Province,
    Country,
}

impl PlaceKind {
    /// The kind of a region class IRI (`kr:Municipality`, ...).
    pub fn from_class(class: &str) -> Option<Self> {
        Some(match class.rsplit('#').next()? {
            "PostcodeArea" => Self::Postcode,
            "Municipality" => Self::Municipality,
            "GGDRegion" => Self::GgdRegion,
            "Province" => Self::Province,
            "Country" => Self::Country,
            _ => return None,
        })
    }

    /// The words that force this reading of an ambiguous name ("provincie Utrecht").
    fn keywords(self) -> &'static [&'static str] {
        match self {
            Self::Municipality => &["gemeente", "gem", "stad", "dorp"],
            Self::GgdRegion => &["regio", "ggd", "ggdregio"],
            Self::Province => &["provincie", "prov"],
            Self::Postcode => &["postcode", "pc", "postcodegebied"],
            Self::Country => &[],
        }
    }

    /// The kind a keyword asks for.
    fn asked_by(word: &str) -> Option<Self> {
        [Self::Postcode, Self::Municipality, Self::GgdRegion, Self::Province]
            .into_iter()
            .find(|kind| kind.keywords().contains(&word))
    }

    /// Dutch name of the kind, as shown to users.
    pub fn dutch(self) -> &'static str {
        match self {
            Self::Postcode => "postcodegebied",
            Self::Municipality => "gemeente",
            Self::GgdRegion => "GGD-regio",
            Self::Province => "provincie",
            Self::Country => "land",
        }
    }
}

/// A region of the graph.
#[derive(Clone, Debug)]
pub struct Place {
    pub iri: String,
    pub code: String,
    pub label: String,
    pub kind: PlaceKind,
    /// Indices of the places this one lies in (municipality → GGD region and province).
    pub parents: Vec<usize>,
}

/// A word of a text: its folded form, where it stands, and whether it is in double quotes.
#[derive(Clone, Debug)]
pub struct Word<'t> {
    pub folded: String,
    pub original: &'t str,
    /// Byte range of `original` in the text.
    pub span: Range<usize>,
    /// Written between double quotes: to be taken literally, never as a place or corrected.
    pub quoted: bool,
}

/// The words of `text`: runs of letters, digits and apostrophes, without leading or trailing
/// apostrophes ("'s" is "s"); at most `MAX_WORDS` of them.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut quoted = false;
    let mut start = None;
    for (position, c) in text.char_indices() {
        if c.is_alphanumeric() || c == '\'' {
            start.get_or_insert(position);
            continue;
        }
        if let Some(begun) = start.take() {
            push_word(text, begun..position, quoted, &mut words);
        }
        if QUOTES.contains(&c) {
            quoted = !quoted;
        }
    }
    if let Some(begun) = start {
        push_word(text, begun..text.len(), quoted, &mut words);
    }
    words
}

fn push_word<'t>(text: &'t str, raw: Range<usize>, quoted: bool, words: &mut Vec<Word<'t>>) {
    let leading = text[raw.clone()].len() - text[raw.clone()].trim_start_matches('\'').len();
    let trailing = text[raw.clone()].len() - text[raw.clone()].trim_end_matches('\'').len();
    let span = (raw.start + leading)..(raw.end - trailing).max(raw.start + leading);
    let original = &text[span.clone()];
    let folded = fold(original);
    if !folded.is_empty() && words.len() < MAX_WORDS {
        words.push(Word { folded, original, span, quoted });
    }
}

/// The folded word sequence a name is looked up by: "'s-Hertogenbosch" → "s hertogenbosch".
pub fn name_key(name: &str) -> String {
    words(name).into_iter().map(|word| word.folded).collect::<Vec<_>>().join(" ")
}

fn span_key(words: &[Word<'_>]) -> String {
    words.iter().map(|word| word.folded.as_str()).collect::<Vec<_>>().join(" ")
}

fn letters(key: &str) -> usize {
    key.chars().filter(|&c| c != ' ').count()
}

/// What a name was found to mean: the place taken and the others it may also mean.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceMatch {
    pub chosen: usize,
    pub alternatives: Vec<usize>,
    /// Edits between what was written and the place's name; 0 when it is exactly a name.
    pub typos: usize,
    /// A keyword ("provincie") chose the kind, rather than the most-local rule.
    pub asked: bool,
}

/// A recognised region, as answered by the search API.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecognisedRegion {
    pub iri: String,
    pub code: String,
    pub label: String,
    pub kind: PlaceKind,
    /// The words of the question that named it, as written ("Amsterdm").
    pub matched: String,
    /// The words were not exactly a name of the place but a typo away from one: the page asks
    /// "bedoelde u {label}?" and offers [`RecognisedRegion::literal_question`].
    pub corrected: bool,
    /// Other places with the same name (or equally close to what was written), not taken.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    #[serde(skip)]
    pub index: usize,
    /// Byte range of `matched` in the question.
    #[serde(skip)]
    pub span: Range<usize>,
}

impl RecognisedRegion {
    /// `question` with the words that named this region in double quotes: asked again, they are
    /// taken literally (neither corrected nor a place).
    pub fn literal_question(&self, question: &str) -> String {
        match (question.get(..self.span.start), question.get(self.span.clone()), question.get(self.span.end..)) {
            (Some(before), Some(named), Some(after)) => format!("{before}\"{named}\"{after}"),
            _ => question.to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alternative {
    pub iri: String,
    pub code: String,
    pub label: String,
    pub kind: PlaceKind,
}

/// The places of the graph and their names.
#[derive(Debug, Default, Clone)]
pub struct Places {
    places: Vec<Place>,
    by_iri: HashMap<String, usize>,
    /// The country, read once: ranking asks for it for every candidate.
    country: Option<usize>,
    /// Name key (and lower-case code) → places.
    names: HashMap<String, Vec<usize>>,
    /// The name keys a typo may reach, by (words, letters): a name is only compared with
    /// names of its own word count and within two letters of its length.
    spellings: HashMap<(usize, usize), Vec<String>>,
    /// For each place, the places directly inside it.
    children: Vec<Vec<usize>>,
    /// Place names that are also ordinary Dutch words ("Best", "Goes"): in a question only taken
    /// when capitalised or introduced by a place word.
    common_words: Vec<bool>,
    /// Name keys of concepts (themes, factors, roles, phases): never corrected into a place.
    concept_names: HashSet<String>,
    /// Dutch words: never corrected into a place ("beste" is not Best).
    lexicon: Arc<Lexicon>,
}

impl Index<usize> for Places {
    type Output = Place;

    fn index(&self, place: usize) -> &Place {
        &self.places[place]
    }
}

impl Places {
    /// Reads every region and its names from the store. `lexicon` holds the Dutch words that are
    /// never taken for a misspelt place.
    pub fn from_store(store: &StoreView, lexicon: Arc<Lexicon>) -> Result<Self, StoreError> {
        let mut places = Vec::new();
        let mut by_iri: HashMap<String, usize> = HashMap::new();
        let rows = store.select(
            "SELECT ?r ?type ?code ?label WHERE {
               VALUES ?type { kr:Municipality kr:GGDRegion kr:Province kr:Country kr:PostcodeArea }
               ?r a ?type ; dct:identifier ?code ; skos:prefLabel ?label FILTER(LANG(?label) = 'nl')
             }",
        )?;
        for row in rows {
            let [Some(iri), Some(class), Some(code), Some(label)] = &row[..] else { continue };
            let Some(kind) = PlaceKind::from_class(class) else { continue };
            by_iri.insert(iri.clone(), places.len());
            let (iri, code, label) = (iri.clone(), code.clone(), label.clone());
            places.push(Place { iri, code, label, kind, parents: Vec::new() });
        }
        for row in store.select("SELECT ?r ?parent WHERE { ?r a kr:Region ; schema:containedInPlace ?parent }")? {
            let [Some(child), Some(parent)] = &row[..] else { continue };
            if let (Some(&child), Some(&parent)) = (by_iri.get(child), by_iri.get(parent)) {
                places[child].parents.push(parent);
            }
        }
        let mut names = Vec::new();
        let rows = store.select(
            "SELECT ?r ?name WHERE {
               ?r a kr:Region ; skos:prefLabel|skos:altLabel|skos:hiddenLabel|kr:everydayName ?name
             }",
        )?;
        for row in rows {
            let [Some(iri), Some(name)] = &row[..] else { continue };
            let Some(&index) = by_iri.get(iri) else { continue };
            // A postcode area is named by its code only ("postcodegebied 1431" is the keyword and the code).
            if places[index].kind != PlaceKind::Postcode {
                names.push((index, name.clone()));
            }
        }
        let concept_names = store
            .select(
                "SELECT ?name WHERE {
                   VALUES ?type { kr:Theme kr:RiskFactor kr:ProtectiveFactor kr:Role kr:Phase }
                   ?c a ?type ; skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name
                 }",
            )?
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .map(|name| name_key(&name))
            .collect();
        Ok(Self::build(places, by_iri, &names, concept_names, lexicon))
    }

    /// The same places, with `lexicon` as the Dutch words never corrected into a place.
    pub fn with_lexicon(&self, lexicon: Arc<Lexicon>) -> Self {
        let mut places = Self { lexicon, ..self.clone() };
        places.common_words = places.read_common_words();
        places
    }

    fn build(
        places: Vec<Place>,
        by_iri: HashMap<String, usize>,
        names: &[(usize, String)],
        concept_names: HashSet<String>,
        lexicon: Arc<Lexicon>,
    ) -> Self {
        let country = places.iter().position(|place| place.kind == PlaceKind::Country);
        let mut gazetteer = Self { places, by_iri, country, concept_names, lexicon, ..Self::default() };
        for (index, name) in names {
            gazetteer.add_name(name, *index);
            // "Bergen (NH.)" is also just "Bergen".
            if let Some((base, _)) = name.split_once(" (") {
                gazetteer.add_name(base, *index);
            }
        }
        for place in 0..gazetteer.places.len() {
            let code = gazetteer.places[place].code.to_lowercase();
            let entry = gazetteer.names.entry(code).or_default();
            if !entry.contains(&place) {
                entry.push(place);
            }
        }
        for key in gazetteer.names.keys().filter(|key| !key.bytes().any(|b| b.is_ascii_digit())) {
            let shape = (key.split(' ').count(), letters(key));
            gazetteer.spellings.entry(shape).or_default().push(key.clone());
        }
        gazetteer.children = vec![Vec::new(); gazetteer.places.len()];
        for (child, place) in gazetteer.places.iter().enumerate() {
            for &parent in &place.parents {
                gazetteer.children[parent].push(child);
            }
        }
        gazetteer.common_words = gazetteer.read_common_words();
        gazetteer
    }

    /// Which place names are also ordinary Dutch words (see `common_words`).
    fn read_common_words(&self) -> Vec<bool> {
        self.places
            .iter()
            .map(|place| {
                let key = name_key(&place.label);
                !key.contains(' ') && key.len() <= 6 && self.lexicon.contains(&key)
            })
            .collect()
    }

    fn add_name(&mut self, name: &str, index: usize) {
        let key = name_key(name);
        if key.is_empty() {
            return;
        }
        let entry = self.names.entry(key).or_default();
        if !entry.contains(&index) {
            entry.push(index);
        }
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Place> {
        self.places.iter()
    }

    /// The country, the place every other lies in.
    pub fn country(&self) -> Option<usize> {
        self.country
    }

    pub fn place_by_iri(&self, iri: &str) -> Option<usize> {
        self.by_iri.get(iri).copied()
    }

    /// The place and every place it lies in, nearest first (Aalsmeer, GGD-regio Amsterdam,
    /// Noord-Holland, Nederland).
    pub fn covering(&self, place: usize) -> Vec<usize> {
        let mut covering = vec![place];
        let mut next = 0;
        while next < covering.len() {
            let mut parents = self.places[covering[next]].parents.clone();
            parents.sort_by_key(|&parent| self.places[parent].kind);
            for parent in parents {
                if !covering.contains(&parent) {
                    covering.push(parent);
                }
            }
            next += 1;
        }
        covering
    }

    /// Every place inside `place` (its GGD regions, municipalities and postcodes), not itself.
    pub fn within(&self, place: usize) -> Vec<usize> {
        let mut seen = vec![false; self.places.len()];
        let mut inside = Vec::new();
        let mut frontier = vec![place];
        while let Some(outer) = frontier.pop() {
            for &child in self.children.get(outer).into_iter().flatten() {
                if !seen[child] {
                    seen[child] = true;
                    inside.push(child);
                    frontier.push(child);
                }
            }
        }
        inside
    }

    /// What a whole name means ("Utrecht", "gemeente Bergen (NH.)", "GG3406", "Amsterdm"), among
    /// the places of the kinds `wanted` accepts: an exact name first, then a leading keyword
    /// with the name after it, then the same with typos.
    pub fn find(&self, name: &str, wanted: impl Fn(PlaceKind) -> bool) -> Option<PlaceMatch> {
        let words = words(name);
        let keyword = words.first().filter(|_| words.len() > 1).map(|word| word.folded.as_str());
        let keyword = keyword.filter(|word| PlaceKind::asked_by(word).is_some());
        let of_kind = |places: Vec<usize>| -> Option<Vec<usize>> {
            let places: Vec<usize> = places.into_iter().filter(|&p| wanted(self.places[p].kind)).collect();
            (!places.is_empty()).then_some(places)
        };
        let exact = |words: &[Word<'_>]| of_kind(self.names.get(&span_key(words)).cloned().unwrap_or_default());
        let corrected = |words: &[Word<'_>]| {
            let (typos, places) = self.correctable(words).then(|| self.corrections(&span_key(words)))??;
            Some((typos, of_kind(places)?))
        };
        if let Some(places) = exact(&words) {
            return Some(self.pick(places, 0, None));
        }
        if let Some(places) = keyword.and_then(|_| exact(&words[1..])) {
            return Some(self.pick(places, 0, keyword));
        }
        if let Some((typos, places)) = corrected(&words) {
            return Some(self.pick(places, typos, None));
        }
        let (typos, places) = keyword.and_then(|_| corrected(&words[1..]))?;
        Some(self.pick(places, typos, keyword))
    }

    /// Of places sharing a name, the one `keyword` asks for, else the most local.
    fn pick(&self, candidates: Vec<usize>, typos: usize, keyword: Option<&str>) -> PlaceMatch {
        let asked = keyword
            .and_then(PlaceKind::asked_by)
            .and_then(|kind| candidates.iter().copied().find(|&p| self.places[p].kind == kind));
        let chosen = asked.or_else(|| candidates.iter().copied().min_by_key(|&p| self.places[p].kind)).unwrap_or_default();
        let alternatives = candidates.into_iter().filter(|&other| other != chosen).collect();
        PlaceMatch { chosen, alternatives, typos, asked: asked.is_some() }
    }

    /// Whether a typo may be corrected in these words: none is in quotes or a concept's label,
    /// and at least one is not a Dutch word (the misspelt one).
    fn correctable(&self, words: &[Word<'_>]) -> bool {
        let protected = |word: &Word<'_>| word.quoted || self.concept_names.contains(&word.folded);
        !words.iter().any(protected)
            && words.iter().any(|word| !self.lexicon.contains(&word.folded))
            && !self.concept_names.contains(&span_key(words))
    }

    /// The places whose names are closest to `key` within [`allowed_typos`], with the number of
    /// typos, when any is; a name `key` only derives from ([`DERIVED_ENDINGS`]) is not one.
    fn corrections(&self, key: &str) -> Option<(usize, Vec<usize>)> {
        let written = letters(key);
        let widest = allowed_typos(written + 2);
        if widest == 0 {
            return None;
        }
        let word_count = key.split(' ').count();
        let comparator = osa::BatchComparator::new(key.chars());
        let mut best: Option<(usize, Vec<usize>)> = None;
        for length in written.saturating_sub(widest)..=written + widest {
            let allowed = allowed_typos(written.min(length));
            if allowed < written.abs_diff(length) {
                continue;
            }
            for name in self.spellings.get(&(word_count, length)).into_iter().flatten() {
                if key.strip_prefix(name.as_str()).is_some_and(|ending| DERIVED_ENDINGS.contains(&ending)) {
                    continue;
                }
                let limit = best.as_ref().map_or(allowed, |(typos, _)| (*typos).min(allowed));
                let Some(typos) = comparator.distance_with_args(name.chars(), &osa::Args::default().score_cutoff(limit)) else {
                    continue;
                };
                let places = &self.names[name];
                match &mut best {
                    Some((known, found)) if *known == typos => {
                        for &place in places {
                            if !found.contains(&place) {
                                found.push(place);
                            }
                        }
                    }
                    _ => best = Some((typos, places.clone())),
                }
            }
        }
        best
    }

    /// Recognises the postcodes and places named in `question`, whose [`words`] are `words`,
    /// marking the words used (with a word that only introduces a place). Exact names are taken
    /// before corrected ones, each longest first.
    pub fn recognise(&self, question: &str, words: &[Word<'_>], used: &mut [bool]) -> Vec<RecognisedRegion> {
        let mut found = Found { question, regions: Vec::new() };
        self.recognise_postcodes(words, used, &mut found);
        self.recognise_names(words, used, &mut found, false);
        self.recognise_names(words, used, &mut found, true);
        found.regions
    }

    fn recognise_postcodes(&self, words: &[Word<'_>], used: &mut [bool], found: &mut Found<'_>) {
        for (position, word) in words.iter().enumerate() {
            if word.quoted {
                continue;
            }
            let folded = word.folded.as_str();
            let digits = folded.get(..4).filter(|d| d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0'));
            let Some(digits) = digits else { continue };
            let rest = &folded[4..];
            let glued_letters = rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_alphabetic());
            if !(rest.is_empty() || glued_letters) {
                continue;
            }
            let Some(place) = self.postcode(digits) else { continue };
            used[position] = true;
            let mut last = position;
            // "1431 AB": the letters of a PC6 follow, in capitals.
            if rest.is_empty()
                && let Some(next) = words.get(position + 1)
            {
                let capitals = next.original.len() == 2 && next.original.bytes().all(|b| b.is_ascii_uppercase());
                if capitals && !next.quoted {
                    used[position + 1] = true;
                    last = position + 1;
                }
            }
            let postcode = PlaceMatch { chosen: place, alternatives: Vec::new(), typos: 0, asked: false };
            self.take(postcode, &words[position..=last], found);
            mark_place_word(words, used, position);
        }
    }

    fn postcode(&self, digits: &str) -> Option<usize> {
        self.names.get(digits)?.iter().copied().find(|&place| self.places[place].kind == PlaceKind::Postcode)
    }

    fn recognise_names(&self, words: &[Word<'_>], used: &mut [bool], found: &mut Found<'_>, corrected: bool) {
        let mut start = 0;
        while start < words.len() {
            let named = (1..=MAX_NAME_WORDS.min(words.len() - start)).rev().find_map(|length| {
                let span = &words[start..start + length];
                if used[start..start + length].iter().any(|&u| u) || span.iter().any(|word| word.quoted) {
                    return None;
                }
                if corrected && PLACE_WORDS.contains(&span[0].folded.as_str()) {
                    return None;
                }
                let (typos, candidates) = if corrected {
                    self.correctable(span).then(|| self.corrections(&span_key(span)))??
                } else {
                    (0, self.names.get(&span_key(span))?.clone())
                };
                let candidates: Vec<usize> =
                    candidates.into_iter().filter(|&p| self.places[p].kind != PlaceKind::Postcode).collect();
                if candidates.is_empty() {
                    return None;
                }
                let before = start.checked_sub(1).map(|i| words[i].folded.as_str());
                let introduced = before.is_some_and(|w| {
                    PLACE_WORDS.contains(&w) || candidates.iter().any(|&p| self.places[p].kind.keywords().contains(&w))
                });
                let capitalised = span[0].original.chars().next().is_some_and(char::is_uppercase);
                if length == 1 && !introduced && !capitalised && candidates.iter().all(|&p| self.common_words[p]) {
                    return None;
                }
                Some((length, self.pick(candidates, typos, before)))
            });
            let Some((length, place)) = named else {
                start += 1;
                continue;
            };
            used[start..start + length].iter_mut().for_each(|u| *u = true);
            mark_place_word(words, used, start);
            self.take(place, &words[start..start + length], found);
            start += length;
        }
    }

    fn take(&self, place: PlaceMatch, named: &[Word<'_>], found: &mut Found<'_>) {
        if found.regions.iter().any(|region| region.index == place.chosen) {
            return;
        }
        let (Some(first), Some(last)) = (named.first(), named.last()) else { return };
        let span = first.span.start..last.span.end;
        let matched = found.question.get(span.clone()).unwrap_or_default().to_owned();
        let (index, typos) = (place.chosen, place.typos);
        let alternatives = place
            .alternatives
            .iter()
            .map(|&other| {
                let other = &self.places[other];
                let (iri, code, label) = (other.iri.clone(), other.code.clone(), other.label.clone());
                Alternative { iri, code, label, kind: other.kind }
            })
            .collect();
        let place = &self.places[index];
        found.regions.push(RecognisedRegion {
            iri: place.iri.clone(),
            code: place.code.clone(),
            label: place.label.clone(),
            kind: place.kind,
            matched,
            corrected: typos > 0,
            alternatives,
            index,
            span,
        });
    }
}

/// The regions recognised so far in a question.
struct Found<'q> {
    question: &'q str,
    regions: Vec<RecognisedRegion>,
}

/// Marks the word before a place as used when it only introduces the place.
fn mark_place_word(words: &[Word<'_>], used: &mut [bool], position: usize) {
    if let Some(before) = position.checked_sub(1) {
        let word = words[before].folded.as_str();
        if PLACE_WORDS.contains(&word) || PlaceKind::asked_by(word).is_some() {
            used[before] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(iri: &str, code: &str, label: &str, kind: PlaceKind, parents: Vec<usize>) -> Place {
        Place { iri: iri.to_owned(), code: code.to_owned(), label: label.to_owned(), kind, parents }
    }

    /// A small gazetteer: Utrecht (municipality and province), 's-Hertogenbosch, Best, Aalsmeer,
    /// PC4 1431, two Bergens, Amsterdam (municipality and GGD region), Groningen, Buren.
    fn places() -> Places {
        let places = vec![
            place("nl", "NL", "Nederland", PlaceKind::Country, vec![]),
            place("pv26", "PV26", "Utrecht", PlaceKind::Province, vec![0]),
            place("gm0344", "GM0344", "Utrecht", PlaceKind::Municipality, vec![1]),
            place("gm0796", "GM0796", "'s-Hertogenbosch", PlaceKind::Municipality, vec![0]),
            place("gm0753", "GM0753", "Best", PlaceKind::Municipality, vec![0]),
            place("gm0358", "GM0358", "Aalsmeer", PlaceKind::Municipality, vec![0]),
            place("pc1431", "1431", "postcodegebied 1431", PlaceKind::Postcode, vec![5]),
            place("gm0373", "GM0373", "Bergen (NH.)", PlaceKind::Municipality, vec![0]),
            place("gm0893", "GM0893", "Bergen (L.)", PlaceKind::Municipality, vec![0]),
            place("gm0363", "GM0363", "Amsterdam", PlaceKind::Municipality, vec![10]),
            place("gg3406", "GG3406", "GGD-regio Amsterdam", PlaceKind::GgdRegion, vec![0]),
            place("gm0014", "GM0014", "Groningen", PlaceKind::Municipality, vec![12]),
            place("pv20", "PV20", "Groningen", PlaceKind::Province, vec![0]),
            place("gm0214", "GM0214", "Buren", PlaceKind::Municipality, vec![0]),
        ];
        let by_iri = places.iter().enumerate().map(|(index, place)| (place.iri.clone(), index)).collect();
        let names: Vec<(usize, String)> = [
            (1, "Utrecht"),
            (2, "Utrecht"),
            (3, "'s-Hertogenbosch"),
            (3, "Den Bosch"),
            (4, "Best"),
            (5, "Aalsmeer"),
            (7, "Bergen (NH.)"),
            (8, "Bergen (L.)"),
            (9, "Amsterdam"),
            (10, "GGD-regio Amsterdam"),
            (10, "GGD Amsterdam"),
            (10, "regio Amsterdam"),
            (11, "Groningen"),
            (12, "Groningen"),
            (13, "Buren"),
        ]
        .into_iter()
        .map(|(index, name)| (index, name.to_owned()))
        .collect();
        let lexicon = Lexicon::default().with_words(["best", "beste", "buren", "goed", "echt", "zorg", "hulp"]);
        let concepts = ["poh", "roken", "aalsmoer"].into_iter().map(str::to_owned).collect();
        Places::build(places, by_iri, &names, concepts, Arc::new(lexicon))
    }

    fn codes(places: &Places, question: &str) -> Vec<String> {
        let words = words(question);
        let mut used = vec![false; words.len()];
        places.recognise(question, &words, &mut used).into_iter().map(|region| region.code).collect()
    }

    fn first(places: &Places, question: &str) -> Option<RecognisedRegion> {
        let words = words(question);
        let mut used = vec![false; words.len()];
        places.recognise(question, &words, &mut used).into_iter().next()
    }

    #[test]
    fn typos_are_allowed_by_length() {
        assert_eq!([3, 4, 5, 8, 9, 15].map(allowed_typos), [0, 0, 1, 1, 2, 2]);
    }

    #[test]
    fn multi_word_and_prefixed_names() {
        let g = places();
        assert_eq!(codes(&g, "hulp in Den Bosch"), ["GM0796"]);
        assert_eq!(codes(&g, "hulp in 's-Hertogenbosch"), ["GM0796"]);
        assert_eq!(codes(&g, "hulp in s hertogenbosch"), ["GM0796"]);
    }

    #[test]
    fn ambiguous_names_say_which_was_taken_and_offer_the_other() {
        let g = places();
        let city = first(&g, "aanbod Utrecht").expect("Utrecht");
        assert_eq!((city.code.as_str(), city.alternatives[0].code.as_str()), ("GM0344", "PV26"));
        assert_eq!(codes(&g, "aanbod provincie Utrecht"), ["PV26"]);
        let bergen = first(&g, "aanbod in Bergen").expect("Bergen");
        assert_eq!(bergen.alternatives.len(), 1);
        assert_eq!(codes(&g, "aanbod in Bergen (NH.)"), ["GM0373"]);
    }

    #[test]
    fn postcodes_pc4_and_pc6() {
        let g = places();
        for question in ["zorg 1431", "zorg 1431 AB", "zorg 1431AB", "zorg postcode 1431ab"] {
            assert_eq!(codes(&g, question), ["1431"], "{question}");
        }
        assert!(codes(&g, "zorg 0431").is_empty());
        assert!(codes(&g, "zorg 9999").is_empty());
        assert!(codes(&g, "zorg \"1431\"").is_empty(), "a quoted postcode is literal");
    }

    #[test]
    fn common_words_need_a_capital_or_a_place_word() {
        let g = places();
        assert!(codes(&g, "wat werkt het best").is_empty());
        assert_eq!(codes(&g, "aanbod in best"), ["GM0753"]);
        assert_eq!(codes(&g, "aanbod Best"), ["GM0753"]);
        assert!(codes(&g, "goede buren").is_empty());
    }

    #[test]
    fn misspelt_names_are_corrected_and_marked() {
        let g = places();
        let amsterdam = first(&g, "kraamzorg Amsterdm").expect("Amsterdm");
        let seen = (amsterdam.code.as_str(), amsterdam.matched.as_str(), amsterdam.corrected);
        assert_eq!(seen, ("GM0363", "Amsterdm", true));
        assert_eq!(amsterdam.literal_question("kraamzorg Amsterdm"), "kraamzorg \"Amsterdm\"");
        let groningen = first(&g, "Groningn").expect("Groningn");
        assert_eq!((groningen.code.as_str(), groningen.alternatives[0].code.as_str()), ("GM0014", "PV20"));
        assert_eq!(codes(&g, "provincie Groningn"), ["PV20"]);
        assert_eq!(codes(&g, "GGD Amsterdm"), ["GG3406"]);
        let bosch = first(&g, "hulp s-Hertogenbosh").expect("s-Hertogenbosh");
        assert_eq!((bosch.code.as_str(), bosch.matched.as_str()), ("GM0796", "s-Hertogenbosh"), "matched as written");
        assert_eq!(codes(&g, "Aalsmere"), ["GM0358"], "a transposition is one typo");
        assert!(!first(&g, "Aalsmeer").expect("Aalsmeer").corrected);
    }

    #[test]
    fn words_concepts_quotes_and_derived_words_are_never_corrected() {
        let g = places();
        let never = ["beste hulp", "Beste hulp", "goede buren", "Aalsmoer", "\"Amsterdm\"", "“Amsterdm”", "Bst", "Amsterdamse"];
        for question in never {
            assert!(codes(&g, question).is_empty(), "{question}: {:?}", codes(&g, question));
        }
        assert_eq!(codes(&g, "\"Amsterdam\" Amsterdm"), ["GM0363"], "the unquoted word is still corrected");
    }

    #[test]
    fn whole_names_resolve_with_keywords_and_typos() {
        let g = places();
        let find = |name: &str| {
            let found = g.find(name, |_| true)?;
            Some((g[found.chosen].code.clone(), found.typos, found.asked))
        };
        assert_eq!(find("Utrecht"), Some(("GM0344".to_owned(), 0, false)));
        assert_eq!(find("provincie Utrecht"), Some(("PV26".to_owned(), 0, true)));
        assert_eq!(find("gemeente Aalsmeer"), Some(("GM0358".to_owned(), 0, true)));
        assert_eq!(find("GM0358"), Some(("GM0358".to_owned(), 0, false)));
        assert_eq!(find("postcodegebied 1431"), Some(("1431".to_owned(), 0, true)));
        assert_eq!(find("Amsterdm"), Some(("GM0363".to_owned(), 1, false)));
        assert_eq!(find("gemeente Amsterdm"), Some(("GM0363".to_owned(), 1, true)));
        assert_eq!(find("Atlantis"), None);
        let provinces = g.find("Utrecht", |kind| kind == PlaceKind::Province).expect("the province");
        assert_eq!((g[provinces.chosen].code.as_str(), provinces.alternatives.len()), ("PV26", 0));
    }

    #[test]
    fn covering_regions_run_from_local_to_national() {
        let g = places();
        let covering: Vec<&str> = g.covering(6).into_iter().map(|p| g[p].code.as_str()).collect();
        assert_eq!(covering, ["1431", "GM0358", "NL"]);
        let within: Vec<&str> = g.within(1).into_iter().map(|p| g[p].code.as_str()).collect();
        assert_eq!(within, ["GM0344"]);
    }

    #[test]
    fn odd_input_is_harmless() {
        let g = places();
        let (spaces, typos) = ("x ".repeat(10_000), "amsterdm ".repeat(500));
        for odd in ["", "?!", &spaces, &typos, "SELECT * WHERE { ?s ?p ?o }", "\"\"\"", "'; DROP"] {
            let words = words(odd);
            let mut used = vec![false; words.len()];
            let found = g.recognise(odd, &words, &mut used);
            assert!(found.len() <= 1, "{odd:.40}");
        }
    }
}
