//! Question understanding: before searching, find the places (municipalities, GGD regions,
//! provinces, PC4 and PC6 postcodes) and the concepts (themes, risk and protective factors,
//! roles, phases) that a question names, so that they become constraints rather than words.
//! Names are matched on folded word sequences, longest first, with the graph's labels
//! (official, everyday and hidden names) as the gazetteer.

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::{fold, Lexicon};
use crate::store::{KnowledgeStore, StoreError};

/// Words that only introduce a place ("in Aalsmeer", "gemeente Utrecht").
const PLACE_WORDS: [&str; 8] = ["in", "bij", "rond", "omgeving", "rondom", "te", "near", "around"];
/// Longest name, in words, that is looked up (Nuenen, Gerwen en Nederwetten has four).
const MAX_NAME_WORDS: usize = 6;
/// Questions are cut to this many words: longer input is not a question but a paste.
const MAX_WORDS: usize = 200;

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
    fn from_class(class: &str) -> Option<Self> {
        Some(match class.rsplit('#').next()? {
            "PostcodeArea" => Self::Postcode,
            "Municipality" => Self::Municipality,
            "GGDRegion" => Self::GgdRegion,
            "Province" => Self::Province,
            "Country" => Self::Country,
            _ => return None,
        })
    }

    /// The word that forces this reading of an ambiguous name ("provincie Utrecht").
    fn keyword(self) -> &'static [&'static str] {
        match self {
            Self::Municipality => &["gemeente", "gem", "stad", "dorp"],
            Self::GgdRegion => &["regio", "ggd", "ggdregio"],
            Self::Province => &["provincie", "prov"],
            Self::Postcode => &["postcode", "pc"],
            Self::Country => &[],
        }
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConceptKind {
    Theme,
    RiskFactor,
    ProtectiveFactor,
    Role,
    Phase,
}

impl ConceptKind {
    fn from_class(class: &str) -> Option<Self> {
        Some(match class.rsplit('#').next()? {
            "Theme" => Self::Theme,
            "RiskFactor" => Self::RiskFactor,
            "ProtectiveFactor" => Self::ProtectiveFactor,
            "Role" => Self::Role,
            "Phase" => Self::Phase,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Concept {
    pub iri: String,
    pub label: String,
    pub kind: ConceptKind,
}

/// A recognised region, as answered by the search API.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecognisedRegion {
    pub iri: String,
    pub code: String,
    pub label: String,
    pub kind: PlaceKind,
    /// The words of the question that named it.
    pub matched: String,
    /// Other places with the same name, not taken.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    #[serde(skip)]
    pub index: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alternative {
    pub iri: String,
    pub code: String,
    pub label: String,
    pub kind: PlaceKind,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecognisedConcept {
    pub iri: String,
    pub label: String,
    pub kind: ConceptKind,
    pub matched: String,
}

/// What was understood of a question.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Understood {
    pub regions: Vec<RecognisedRegion>,
    pub concepts: Vec<RecognisedConcept>,
    /// The words left for full-text search.
    pub text: String,
}

/// The names of places and concepts, read from the store.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub places: Vec<Place>,
    pub concepts: Vec<Concept>,
    place_names: HashMap<String, Vec<usize>>,
    /// For each place, the places directly inside it.
    children: Vec<Vec<usize>>,
    concept_names: HashMap<String, Vec<usize>>,
    /// Place names that are also ordinary Dutch words ("Best", "Goes"): only taken when
    /// capitalised or introduced by a place word.
    common_words: Vec<bool>,
}

/// A word of the question: its folded form and where it stands in the original.
#[derive(Debug)]
struct Word<'q> {
    folded: String,
    original: &'q str,
}

fn words(question: &str) -> Vec<Word<'_>> {
    question
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter_map(|original| {
            let original = original.trim_matches('\'');
            let folded = fold(original);
            (!folded.is_empty()).then_some(Word { folded, original })
        })
        .take(MAX_WORDS)
        .collect()
}

/// The folded word sequence a name is looked up by: "'s-Hertogenbosch" → "s hertogenbosch".
fn name_key(name: &str) -> String {
    words(name).into_iter().map(|word| word.folded).collect::<Vec<_>>().join(" ")
}

impl Gazetteer {
    pub fn from_store(store: &KnowledgeStore, lexicon: &Lexicon) -> Result<Self, StoreError> {
        let mut gazetteer = Self::default();
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
            by_iri.insert(iri.clone(), gazetteer.places.len());
            gazetteer.places.push(Place { iri: iri.clone(), code: code.clone(), label: label.clone(), kind, parents: Vec::new() });
        }
        for row in store.select("SELECT ?r ?parent WHERE { ?r a kr:Region ; schema:containedInPlace ?parent }")? {
            let [Some(child), Some(parent)] = &row[..] else { continue };
            if let (Some(&child), Some(&parent)) = (by_iri.get(child), by_iri.get(parent)) {
                gazetteer.places[child].parents.push(parent);
            }
        }
        gazetteer.link_children();
        let names = store.select(
            "SELECT ?r ?name WHERE { ?r a kr:Region ; skos:prefLabel|skos:altLabel|skos:hiddenLabel|kr:everydayName ?name }",
        )?;
        for row in names {
            let [Some(iri), Some(name)] = &row[..] else { continue };
            let Some(&index) = by_iri.get(iri) else { continue };
            if gazetteer.places[index].kind == PlaceKind::Postcode {
                continue;
            }
            gazetteer.add_place_name(name, index);
            // "Bergen (NH.)" is also just "Bergen".
            if let Some((base, _)) = name.split_once(" (") {
                gazetteer.add_place_name(base, index);
            }
        }
        for place in 0..gazetteer.places.len() {
            let code = gazetteer.places[place].code.to_lowercase();
            gazetteer.place_names.entry(code).or_default().push(place);
        }
        gazetteer.common_words = gazetteer
            .places
            .iter()
            .map(|place| {
                let key = name_key(&place.label);
                !key.contains(' ') && key.len() <= 6 && lexicon.contains(&key)
            })
            .collect();
        let concepts = store.select(
            "SELECT ?c ?type ?label ?name WHERE {
               VALUES ?type { kr:Theme kr:RiskFactor kr:ProtectiveFactor kr:Role kr:Phase }
               ?c a ?type ; skos:prefLabel ?label FILTER(LANG(?label) = 'nl')
               ?c skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name
             }",
        )?;
        let mut concept_index: HashMap<String, usize> = HashMap::new();
        for row in concepts {
            let [Some(iri), Some(class), Some(label), Some(name)] = &row[..] else { continue };
            let Some(kind) = ConceptKind::from_class(class) else { continue };
            let index = *concept_index.entry(iri.clone()).or_insert_with(|| {
                gazetteer.concepts.push(Concept { iri: iri.clone(), label: label.clone(), kind });
                gazetteer.concepts.len() - 1
            });
            let entry = gazetteer.concept_names.entry(name_key(name)).or_default();
            if !entry.contains(&index) {
                entry.push(index);
            }
        }
        Ok(gazetteer)
    }

    fn add_place_name(&mut self, name: &str, index: usize) {
        let key = name_key(name);
        if key.is_empty() {
            return;
        }
        let entry = self.place_names.entry(key).or_default();
        if !entry.contains(&index) {
            entry.push(index);
        }
    }

    /// The country, the place every other lies in.
    pub fn country(&self) -> Option<usize> {
        self.places.iter().position(|place| place.kind == PlaceKind::Country)
    }

    pub fn place_by_iri(&self, iri: &str) -> Option<usize> {
        self.places.iter().position(|place| place.iri == iri)
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

    /// Derives `children` from the places' parents.
    fn link_children(&mut self) {
        self.children = vec![Vec::new(); self.places.len()];
        for (child, place) in self.places.iter().enumerate() {
            for &parent in &place.parents {
                self.children[parent].push(child);
            }
        }
    }

    /// Recognises places, postcodes and concepts in `question`.
    pub fn understand(&self, question: &str) -> Understood {
        let words = words(question);
        let mut used = vec![false; words.len()];
        let mut understood = Understood::default();
        self.recognise_postcodes(&words, &mut used, &mut understood);
        self.recognise_places(&words, &mut used, &mut understood);
        self.recognise_concepts(&words, &mut used, &mut understood);
        understood.text = words
            .iter()
            .zip(&used)
            .filter(|(_, used)| !**used)
            .map(|(word, _)| word.original)
            .collect::<Vec<_>>()
            .join(" ");
        understood
    }

    fn recognise_postcodes(&self, words: &[Word<'_>], used: &mut [bool], understood: &mut Understood) {
        for (position, word) in words.iter().enumerate() {
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
            let mut matched = word.original.to_owned();
            // "1431 AB": the letters of a PC6 follow, in capitals.
            if rest.is_empty() {
                if let Some(next) = words.get(position + 1) {
                    if next.original.len() == 2 && next.original.bytes().all(|b| b.is_ascii_uppercase()) {
                        used[position + 1] = true;
                        matched = format!("{} {}", word.original, next.original);
                    }
                }
            }
            self.take_place(place, &[], matched, understood);
            mark_place_word(words, used, position);
        }
    }

    fn postcode(&self, digits: &str) -> Option<usize> {
        self.place_names
            .get(digits)?
            .iter()
            .copied()
            .find(|&place| self.places[place].kind == PlaceKind::Postcode)
    }

    fn recognise_places(&self, words: &[Word<'_>], used: &mut [bool], understood: &mut Understood) {
        let mut start = 0;
        while start < words.len() {
            let mut taken = false;
            for length in (1..=MAX_NAME_WORDS.min(words.len() - start)).rev() {
                if used[start..start + length].iter().any(|&u| u) {
                    continue;
                }
                let key = words[start..start + length].iter().map(|w| w.folded.as_str()).collect::<Vec<_>>().join(" ");
                let Some(candidates) = self.place_names.get(&key) else { continue };
                let candidates: Vec<usize> =
                    candidates.iter().copied().filter(|&p| self.places[p].kind != PlaceKind::Postcode).collect();
                if candidates.is_empty() {
                    continue;
                }
                let before = start.checked_sub(1).map(|i| words[i].folded.as_str());
                let introduced = before.is_some_and(|w| {
                    PLACE_WORDS.contains(&w) || candidates.iter().any(|&p| self.places[p].kind.keyword().contains(&w))
                });
                let capitalised = words[start].original.chars().next().is_some_and(char::is_uppercase);
                if length == 1 && !introduced && !capitalised && candidates.iter().all(|&p| self.common_words[p]) {
                    continue;
                }
                let chosen = self.choose(&candidates, before);
                let matched = words[start..start + length].iter().map(|w| w.original).collect::<Vec<_>>().join(" ");
                used[start..start + length].iter_mut().for_each(|u| *u = true);
                mark_place_word(words, used, start);
                self.take_place(chosen, &candidates, matched, understood);
                start += length;
                taken = true;
                break;
            }
            if !taken {
                start += 1;
            }
        }
    }

    /// Of places sharing a name, the one a keyword before it asks for, else the most local.
    fn choose(&self, candidates: &[usize], before: Option<&str>) -> usize {
        let asked = before.and_then(|word| candidates.iter().copied().find(|&p| self.places[p].kind.keyword().contains(&word)));
        asked.unwrap_or_else(|| candidates.iter().copied().min_by_key(|&p| self.places[p].kind).unwrap_or(candidates[0]))
    }

    fn take_place(&self, chosen: usize, candidates: &[usize], matched: String, understood: &mut Understood) {
        if understood.regions.iter().any(|region| region.index == chosen) {
            return;
        }
        let place = &self.places[chosen];
        let alternatives = candidates
            .iter()
            .filter(|&&other| other != chosen)
            .map(|&other| {
                let other = &self.places[other];
                Alternative { iri: other.iri.clone(), code: other.code.clone(), label: other.label.clone(), kind: other.kind }
            })
            .collect();
        understood.regions.push(RecognisedRegion {
            iri: place.iri.clone(),
            code: place.code.clone(),
            label: place.label.clone(),
            kind: place.kind,
            matched,
            alternatives,
            index: chosen,
        });
    }

    fn recognise_concepts(&self, words: &[Word<'_>], used: &mut [bool], understood: &mut Understood) {
        let mut start = 0;
        while start < words.len() {
            let mut length_taken = 0;
            for length in (1..=MAX_NAME_WORDS.min(words.len() - start)).rev() {
                if used[start..start + length].iter().any(|&u| u) {
                    continue;
                }
                let key = words[start..start + length].iter().map(|w| w.folded.as_str()).collect::<Vec<_>>().join(" ");
                let Some(concepts) = self.concept_names.get(&key) else { continue };
                let matched = words[start..start + length].iter().map(|w| w.original).collect::<Vec<_>>().join(" ");
                for &concept in concepts {
                    let concept = &self.concepts[concept];
                    if !understood.concepts.iter().any(|known| known.iri == concept.iri) {
                        understood.concepts.push(RecognisedConcept {
                            iri: concept.iri.clone(),
                            label: concept.label.clone(),
                            kind: concept.kind,
                            matched: matched.clone(),
                        });
                    }
                }
                length_taken = length;
                break;
            }
            // Concept words stay in the text: they also rank documents by their wording.
            start += length_taken.max(1);
        }
    }
}

/// Marks the word before a place as used when it only introduces the place.
fn mark_place_word(words: &[Word<'_>], used: &mut [bool], position: usize) {
    if let Some(before) = position.checked_sub(1) {
        let word = words[before].folded.as_str();
        let is_place_word = PLACE_WORDS.contains(&word)
            || [PlaceKind::Municipality, PlaceKind::GgdRegion, PlaceKind::Province, PlaceKind::Postcode]
                .iter()
                .any(|kind| kind.keyword().contains(&word));
        if is_place_word {
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

    /// A small gazetteer: Utrecht (municipality and province), 's-Hertogenbosch, Best, PC4 1431.
    fn gazetteer() -> Gazetteer {
        let mut g = Gazetteer {
            places: vec![
                place("nl", "NL", "Nederland", PlaceKind::Country, vec![]),
                place("pv26", "PV26", "Utrecht", PlaceKind::Province, vec![0]),
                place("gm0344", "GM0344", "Utrecht", PlaceKind::Municipality, vec![1]),
                place("gm0796", "GM0796", "'s-Hertogenbosch", PlaceKind::Municipality, vec![0]),
                place("gm0753", "GM0753", "Best", PlaceKind::Municipality, vec![0]),
                place("gm0358", "GM0358", "Aalsmeer", PlaceKind::Municipality, vec![0]),
                place("pc1431", "1431", "postcodegebied 1431", PlaceKind::Postcode, vec![5]),
                place("gm0373", "GM0373", "Bergen (NH.)", PlaceKind::Municipality, vec![0]),
                place("gm0893", "GM0893", "Bergen (L.)", PlaceKind::Municipality, vec![0]),
            ],
            ..Gazetteer::default()
        };
        for (index, name) in [(1, "Utrecht"), (2, "Utrecht"), (3, "'s-Hertogenbosch"), (3, "Den Bosch"), (4, "Best"), (5, "Aalsmeer"), (7, "Bergen (NH.)"), (7, "Bergen"), (8, "Bergen (L.)"), (8, "Bergen")] {
            g.add_place_name(name, index);
        }
        g.place_names.entry("1431".to_owned()).or_default().push(6);
        g.link_children();
        g.common_words = vec![false, false, false, false, true, false, false, false, false];
        g.concepts.push(Concept { iri: "poh".to_owned(), label: "POH".to_owned(), kind: ConceptKind::Role });
        g.concept_names.insert("poh".to_owned(), vec![0]);
        g
    }

    fn codes(understood: &Understood) -> Vec<&str> {
        understood.regions.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn multi_word_and_prefixed_names() {
        let g = gazetteer();
        assert_eq!(codes(&g.understand("hulp in Den Bosch")), ["GM0796"]);
        assert_eq!(codes(&g.understand("hulp in 's-Hertogenbosch")), ["GM0796"]);
        assert_eq!(codes(&g.understand("hulp in s hertogenbosch")), ["GM0796"]);
        assert_eq!(g.understand("hulp in Den Bosch").text, "hulp");
    }

    #[test]
    fn ambiguous_names_say_which_was_taken_and_offer_the_other() {
        let g = gazetteer();
        let city = g.understand("aanbod Utrecht");
        assert_eq!(codes(&city), ["GM0344"]);
        assert_eq!(city.regions[0].alternatives[0].code, "PV26");
        assert_eq!(codes(&g.understand("aanbod provincie Utrecht")), ["PV26"]);
        let bergen = g.understand("aanbod in Bergen");
        assert_eq!(bergen.regions.len(), 1);
        assert_eq!(bergen.regions[0].alternatives.len(), 1);
        assert_eq!(codes(&g.understand("aanbod in Bergen (NH.)")), ["GM0373"]);
    }

    #[test]
    fn postcodes_pc4_and_pc6() {
        let g = gazetteer();
        for question in ["zorg 1431", "zorg 1431 AB", "zorg 1431AB", "zorg postcode 1431ab"] {
            let understood = g.understand(question);
            assert_eq!(codes(&understood), ["1431"], "{question}");
            assert_eq!(understood.text, "zorg", "{question}");
        }
        assert!(g.understand("zorg 0431").regions.is_empty());
        assert!(g.understand("zorg 9999").regions.is_empty());
    }

    #[test]
    fn common_words_need_a_capital_or_a_place_word() {
        let g = gazetteer();
        assert!(g.understand("wat werkt het best").regions.is_empty());
        assert_eq!(codes(&g.understand("aanbod in best")), ["GM0753"]);
        assert_eq!(codes(&g.understand("aanbod Best")), ["GM0753"]);
    }

    #[test]
    fn covering_regions_run_from_local_to_national() {
        let g = gazetteer();
        let covering: Vec<&str> = g.covering(6).into_iter().map(|p| g.places[p].code.as_str()).collect();
        assert_eq!(covering, ["1431", "GM0358", "NL"]);
        let within: Vec<&str> = g.within(1).into_iter().map(|p| g.places[p].code.as_str()).collect();
        assert_eq!(within, ["GM0344"]);
    }

    #[test]
    fn concepts_are_recognised_and_odd_input_is_harmless() {
        let g = gazetteer();
        let understood = g.understand("POH in Aalsmeer");
        assert_eq!(understood.concepts[0].iri, "poh");
        assert_eq!(codes(&understood), ["GM0358"]);
        for odd in ["", "?!", &"x ".repeat(10_000), "SELECT * WHERE { ?s ?p ?o }", "<script>alert(1)</script>", "'; DROP TABLE"] {
            let understood = g.understand(odd);
            assert!(understood.regions.is_empty(), "{odd:.40}");
        }
    }
}
