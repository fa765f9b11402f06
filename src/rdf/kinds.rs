//! The kinds of resource kansrijk describes, in one table: the class, the path segment of its
//! instances under `id/` (which is also its Dutch name as `type=` accepts it), the Turtle prefix
//! of those instances, whether search finds it, and whether it is help a GP can refer to or use.
//! Search, its index, contacts, pages and linked data all read this table; nothing else lists
//! classes.
//!
//! ```
//! use kansrijk::rdf::kinds;
//!
//! let offer = kinds::by_class("Offer").expect("a kind");
//! assert_eq!(offer.slug, "aanbod");
//! assert_eq!(offer.iri(), "https://w3id.org/kansrijk/def#Offer");
//! assert!(kinds::searchable().any(|kind| kind.class == "Theme"));
//! assert!(kinds::by_class("Municipality").is_some_and(|kind| !kind.searchable));
//! ```

use super::vocab::{DEF, ID, SKOS};

/// One kind of resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The namespace of the class: the kansrijk ontology, or SKOS for concept schemes.
    pub namespace: &'static str,
    /// The local name of the class (`Offer` for `kr:Offer`).
    pub class: &'static str,
    /// The path segment of its instances (`id/aanbod/…`), and its Dutch name in `type=`.
    pub slug: &'static str,
    /// The Turtle prefix kansrijk writes for its instances (`aanbod:`).
    pub prefix: &'static str,
    /// Search indexes its instances.
    pub searchable: bool,
    /// An offer, programme or tool: help a GP refers to or uses, listed on the page of each
    /// place it serves.
    pub help: bool,
}

impl Kind {
    /// The class IRI (`https://w3id.org/kansrijk/def#Offer`).
    pub fn iri(&self) -> String {
        format!("{}{}", self.namespace, self.class)
    }

    /// The namespace of its instances (`https://w3id.org/kansrijk/id/aanbod/`).
    pub fn instances(&self) -> String {
        format!("{ID}{}/", self.slug)
    }
}

const fn kind(class: &'static str, slug: &'static str, prefix: &'static str, searchable: bool, help: bool) -> Kind {
    Kind { namespace: DEF, class, slug, prefix, searchable, help }
}

const FOUND: bool = true;
const NOT_FOUND: bool = false;
const HELP: bool = true;
const NO_HELP: bool = false;

/// Every kind, in the order pages and facets list them: what search finds first.
pub const KINDS: [Kind; 24] = [
    kind("Theme", "thema", "thema", FOUND, NO_HELP),
    kind("RiskFactor", "risicofactor", "risicofactor", FOUND, NO_HELP),
    kind("ProtectiveFactor", "beschermende-factor", "beschermend", FOUND, NO_HELP),
    kind("Programme", "programma", "programma", FOUND, HELP),
    kind("Tool", "instrument", "instrument", FOUND, HELP),
    kind("Guideline", "richtlijn", "richtlijn", FOUND, NO_HELP),
    kind("Document", "document", "document", FOUND, NO_HELP),
    kind("ELearning", "e-learning", "elearning", FOUND, NO_HELP),
    kind("Training", "scholing", "scholing", FOUND, NO_HELP),
    kind("Video", "video", "video", FOUND, NO_HELP),
    kind("Podcast", "podcast", "podcast", FOUND, NO_HELP),
    kind("Organisation", "organisatie", "organisatie", FOUND, NO_HELP),
    kind("Offer", "aanbod", "aanbod", FOUND, HELP),
    kind("Figure", "cijfer", "cijfer", FOUND, NO_HELP),
    kind("PracticeExample", "praktijkvoorbeeld", "praktijkvoorbeeld", FOUND, NO_HELP),
    Kind {
        namespace: SKOS,
        class: "ConceptScheme",
        slug: "schema",
        prefix: "conceptschema",
        searchable: NOT_FOUND,
        help: NO_HELP,
    },
    kind("Role", "rol", "rol", NOT_FOUND, NO_HELP),
    kind("Phase", "fase", "fase", NOT_FOUND, NO_HELP),
    kind("Source", "bron", "bron", NOT_FOUND, NO_HELP),
    kind("Municipality", "gemeente", "gemeente", NOT_FOUND, NO_HELP),
    kind("GGDRegion", "ggd-regio", "ggdregio", NOT_FOUND, NO_HELP),
    kind("Province", "provincie", "provincie", NOT_FOUND, NO_HELP),
    kind("PostcodeArea", "postcode", "postcode", NOT_FOUND, NO_HELP),
    kind("Country", "land", "land", NOT_FOUND, NO_HELP),
];

/// The kinds search finds, in table order.
pub fn searchable() -> impl Iterator<Item = &'static Kind> {
    KINDS.iter().filter(|kind| kind.searchable)
}

/// The kind whose class has the local name `class` (`Offer`).
pub fn by_class(class: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.class == class)
}

/// The kind whose class IRI is `iri`.
pub fn by_iri(iri: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| iri.strip_prefix(kind.namespace) == Some(kind.class))
}

/// The Dutch name of the class with local name `class` (`Offer` → `aanbod`), or `class` itself
/// when it is not a kind.
pub fn dutch_name(class: &str) -> &str {
    by_class(class).map_or(class, |kind| kind.slug)
}

/// The searchable classes as a SPARQL `VALUES` list (`<…def#Theme> <…def#RiskFactor> …`).
pub fn searchable_values() -> String {
    searchable().map(|kind| format!("<{}>", kind.iri())).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn classes_slugs_and_prefixes_are_each_used_once() {
        for field in [|kind: &Kind| kind.class, |kind: &Kind| kind.slug, |kind: &Kind| kind.prefix] {
            let distinct: HashSet<&str> = KINDS.iter().map(field).collect();
            assert_eq!(distinct.len(), KINDS.len());
        }
    }

    #[test]
    fn every_kind_is_a_class_of_the_ontology() {
        let ontology = include_str!("../../ontology/kansrijk.ttl");
        for kind in KINDS.iter().filter(|kind| kind.namespace == DEF) {
            assert!(
                ontology.contains(&format!("\nkr:{}\n    a owl:Class", kind.class)),
                "kr:{} is not in the ontology",
                kind.class
            );
        }
    }

    #[test]
    fn help_is_searchable() {
        assert!(KINDS.iter().filter(|kind| kind.help).all(|kind| kind.searchable));
        assert_eq!(by_iri("https://w3id.org/kansrijk/def#Tool").map(|kind| kind.slug), Some("instrument"));
        assert_eq!(by_iri("http://schema.org/Tool"), None);
    }
}
