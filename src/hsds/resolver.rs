//! The [`Resolver`] for real imports: region and theme names read from the store. A name that
//! several regions share (Utrecht, Groningen) means the municipality, then the postcode area,
//! the GGD region, the province; a CBS code is never ambiguous.

use std::collections::HashMap;

use oxigraph::model::NamedNode;

use super::Resolver;
use crate::store::{KnowledgeStore, StoreError};

/// Region classes, the most specific (preferred for a shared name) first.
const REGION_PRIORITY: [&str; 5] = ["Municipality", "PostcodeArea", "GGDRegion", "Province", "Country"];

pub struct StoreResolver {
    regions: HashMap<String, (usize, NamedNode)>,
    themes: HashMap<String, NamedNode>,
}

impl StoreResolver {
    pub fn from_store(store: &KnowledgeStore) -> Result<Self, StoreError> {
        let mut regions: HashMap<String, (usize, NamedNode)> = HashMap::new();
        let rows = store.select(
            "SELECT ?region ?class ?name WHERE {
                ?region a kr:Region , ?class .
                { ?region skos:prefLabel ?name } UNION { ?region skos:altLabel ?name } UNION { ?region dct:identifier ?name }
            }",
        )?;
        for row in rows {
            let [Some(region), Some(class), Some(name)] = &row[..] else { continue };
            let local = class.rsplit('#').next().unwrap_or_default();
            let Some(priority) = REGION_PRIORITY.iter().position(|candidate| *candidate == local) else { continue };
            let entry = regions.entry(normalise(name)).or_insert((priority, NamedNode::new_unchecked(region)));
            if priority < entry.0 {
                *entry = (priority, NamedNode::new_unchecked(region));
            }
        }
        let mut themes = HashMap::new();
        let rows = store.select(
            "SELECT ?theme ?name WHERE { ?theme a kr:Theme . { ?theme skos:prefLabel ?name } UNION { ?theme skos:altLabel ?name } }",
        )?;
        for row in rows {
            if let [Some(theme), Some(name)] = &row[..] {
                themes.entry(normalise(name)).or_insert_with(|| NamedNode::new_unchecked(theme));
            }
        }
        Ok(Self { regions, themes })
    }
}

/// Lower case, single spaces, without a leading "gemeente".
fn normalise(name: &str) -> String {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let words = match words.split_first() {
        Some((first, rest)) if first == "gemeente" && !rest.is_empty() => rest,
        _ => &words[..],
    };
    words.join(" ")
}

impl Resolver for StoreResolver {
    fn region(&self, name: &str) -> Option<NamedNode> {
        self.regions.get(&normalise(name)).map(|(_, region)| region.clone())
    }

    fn theme(&self, term: &str) -> Option<NamedNode> {
        self.themes.get(&normalise(term)).cloned()
    }
}
