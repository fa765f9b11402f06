//! Why a result was placed where it is: typed reasons built from the rules that placed it, so
//! that the why is always true, and their Dutch wording (`Display`) for people.

use std::fmt;

use serde::Serialize;

use super::rules::Attribute;
use crate::search::question::PlaceKind;

/// A place as a reason names it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaceName {
    pub iri: String,
    pub label: String,
    pub kind: PlaceKind,
}

impl fmt::Display for PlaceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PlaceKind::Postcode | PlaceKind::Country => f.write_str(&self.label),
            // "GGD-regio Amsterdam" says its kind itself.
            kind if self.label.to_lowercase().starts_with(&kind.dutch().to_lowercase()) => f.write_str(&self.label),
            kind => write!(f, "{} {}", kind.dutch(), self.label),
        }
    }
}

/// One reason for a result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Reason {
    /// Its name is what the question asks for.
    Named { name: String },
    /// Question words found in one part of it.
    Words { words: Vec<String>, attribute: Attribute },
    /// A question word read as a word of it, forgiving a typo.
    Typo { typed: String, read_as: String },
    /// Of a type the question asks for.
    AskedType { kind: String },
    /// About a concept the question names.
    About { concept: String },
    /// Linked to a concept the question names.
    NearConcept { concept: String, relation: String, asked: String },
    /// Its area is the named place, or lies in it.
    ServesPlace { area: PlaceName, place: PlaceName },
    /// Its area contains the named place.
    ServesRegion { area: PlaceName, place: PlaceName },
    /// Available in the whole country, or not bound to a place.
    National,
    /// Bound to places that do not cover the named one.
    ServesElsewhere { areas: Vec<PlaceName> },
    /// Bound to places, when the question names none.
    Local { areas: Vec<PlaceName> },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Named { name } => write!(f, "heet zo: {name}"),
            Self::Words { words, attribute } => {
                let place = match attribute {
                    Attribute::Label => "in de naam",
                    Attribute::OtherName => "in een andere naam",
                    Attribute::Concept => "als onderwerp",
                    Attribute::Linked => "in wat eraan gekoppeld is",
                    Attribute::Description => "in de beschrijving",
                };
                write!(f, "{place}: {}", words.join(", "))
            }
            Self::Typo { typed, read_as } => write!(f, "{typed} gelezen als {read_as}"),
            Self::AskedType { kind } => write!(f, "gevraagde soort: {kind}"),
            Self::About { concept } => write!(f, "over {concept}"),
            Self::NearConcept { concept, relation, asked } => write!(f, "via {asked}: {concept} ({relation})"),
            Self::ServesPlace { area, place } if area == place => write!(f, "werkgebied: {area}"),
            Self::ServesPlace { area, place } => write!(f, "werkgebied: {area} (in {place})"),
            Self::ServesRegion { area, place } => write!(f, "werkgebied: {area}, waar {} in ligt", place.label),
            Self::National => f.write_str("landelijk beschikbaar"),
            Self::ServesElsewhere { areas } => write!(f, "werkgebied elders: {}", list(areas)),
            Self::Local { areas } => write!(f, "werkgebied: {}", list(areas)),
        }
    }
}

/// At most three places, then how many more.
fn list(areas: &[PlaceName]) -> String {
    let mut shown: Vec<String> = areas.iter().take(3).map(ToString::to_string).collect();
    if areas.len() > 3 {
        shown.push(format!("en {} andere", areas.len() - 3));
    }
    shown.join(", ")
}
