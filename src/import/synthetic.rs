//! A synthetic social map for benchmarks: many offers spread over all municipalities and
//! themes, written as N-Quads into their own named graph (`graph/synthetisch`). Every label
//! says it is synthetic; nothing here is ever loaded by default.

use std::io::{self, Write};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphNameRef, Literal, LiteralRef, NamedNode, QuadRef};

use crate::rdf::vocab::{self, dct, kr, schema, skos};
use crate::store::{KnowledgeStore, StoreError};

/// The named graph that holds synthetic data.
pub fn graph() -> NamedNode {
    vocab::graph_iri("synthetisch")
}

#[derive(Debug, thiserror::Error)]
pub enum SyntheticError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the synthetic data: {0}")]
    Write(#[from] io::Error),
    #[error("the store holds no municipalities or themes to spread offers over")]
    NothingToSpread,
}

fn term(kind: &str, slug: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{kind}/{slug}", vocab::ID))
}

/// Writes `offers` synthetic offers as N-Quads to `out`: one synthetic provider per
/// municipality, offers spread round-robin over municipalities and themes.
pub fn write_offers(store: &KnowledgeStore, offers: usize, out: impl Write) -> Result<(), SyntheticError> {
    let municipalities = store
        .select("SELECT ?m ?name WHERE { ?m a kr:Municipality ; skos:prefLabel ?name FILTER(LANG(?name) = 'nl') } ORDER BY ?m")?;
    let themes =
        store.select("SELECT ?t ?name WHERE { ?t a kr:Theme ; skos:prefLabel ?name FILTER(LANG(?name) = 'nl') } ORDER BY ?t")?;
    let pairs = |rows: Vec<Vec<Option<String>>>| -> Vec<(String, String)> {
        rows.into_iter().filter_map(|row| Some((row.first()?.clone()?, row.get(1)?.clone()?))).collect()
    };
    let (municipalities, themes) = (pairs(municipalities), pairs(themes));
    if municipalities.is_empty() || themes.is_empty() {
        return Err(SyntheticError::NothingToSpread);
    }
    let graph = graph();
    let graph = GraphNameRef::NamedNode(graph.as_ref());
    let mut writer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(out);
    let nl = |text: String| Literal::new_language_tagged_literal_unchecked(text, "nl");
    let source = term("bron", "synthetisch");
    let generator = term("organisatie", "synthetisch-generator");
    for quad in [
        QuadRef::new(&source, rdf::TYPE, kr::SOURCE, graph),
        QuadRef::new(
            &source,
            skos::PREF_LABEL,
            LiteralRef::new_language_tagged_literal_unchecked("Synthetische testgegevens (geen echt aanbod)", "nl"),
            graph,
        ),
        QuadRef::new(
            &source,
            dct::TITLE,
            LiteralRef::new_language_tagged_literal_unchecked("Synthetische testgegevens", "nl"),
            graph,
        ),
        QuadRef::new(
            &source,
            schema::DESCRIPTION,
            LiteralRef::new_language_tagged_literal_unchecked(
                "Door kansrijk gegenereerde testgegevens voor benchmarks. Niets hiervan bestaat echt.",
                "nl",
            ),
            graph,
        ),
        QuadRef::new(&source, dct::PUBLISHER, &generator, graph),
        QuadRef::new(&generator, rdf::TYPE, kr::ORGANISATION, graph),
        QuadRef::new(
            &generator,
            skos::PREF_LABEL,
            LiteralRef::new_language_tagged_literal_unchecked("kansrijk-testgenerator (synthetisch)", "nl"),
            graph,
        ),
        QuadRef::new(
            &generator,
            schema::DESCRIPTION,
            LiteralRef::new_language_tagged_literal_unchecked(
                "Het programma dat de synthetische testgegevens maakt; geen echte organisatie.",
                "nl",
            ),
            graph,
        ),
        QuadRef::new(&generator, dct::SOURCE, &source, graph),
    ] {
        writer.serialize_quad(quad)?;
    }
    for (index, (municipality, name)) in municipalities.iter().enumerate() {
        let organisation = term("organisatie", &format!("synthetisch-{index}"));
        let municipality = NamedNode::new_unchecked(municipality.clone());
        writer.serialize_quad(QuadRef::new(&organisation, rdf::TYPE, kr::ORGANISATION, graph))?;
        writer.serialize_quad(QuadRef::new(
            &organisation,
            skos::PREF_LABEL,
            &nl(format!("Synthetische organisatie in {name}")),
            graph,
        ))?;
        writer.serialize_quad(QuadRef::new(
            &organisation,
            schema::DESCRIPTION,
            &nl("Synthetisch: bestaat niet.".to_owned()),
            graph,
        ))?;
        writer.serialize_quad(QuadRef::new(&organisation, schema::AREA_SERVED, &municipality, graph))?;
        writer.serialize_quad(QuadRef::new(&organisation, dct::SOURCE, &source, graph))?;
    }
    for number in 0..offers {
        let (municipality, place) = &municipalities[number % municipalities.len()];
        let (theme, theme_name) = &themes[(number / municipalities.len()) % themes.len()];
        let offer = term("aanbod", &format!("synthetisch-{number}"));
        let organisation = term("organisatie", &format!("synthetisch-{}", number % municipalities.len()));
        let label = nl(format!("Synthetisch aanbod {number}: {} in {place}", theme_name.to_lowercase()));
        let text =
            nl(format!("Synthetisch testaanbod (bestaat niet) over {} voor gezinnen in {place}.", theme_name.to_lowercase()));
        writer.serialize_quad(QuadRef::new(&offer, rdf::TYPE, kr::OFFER, graph))?;
        writer.serialize_quad(QuadRef::new(&offer, skos::PREF_LABEL, &label, graph))?;
        writer.serialize_quad(QuadRef::new(&offer, schema::DESCRIPTION, &text, graph))?;
        writer.serialize_quad(QuadRef::new(&offer, schema::PROVIDER, &organisation, graph))?;
        writer.serialize_quad(QuadRef::new(
            &offer,
            schema::AREA_SERVED,
            &NamedNode::new_unchecked(municipality.clone()),
            graph,
        ))?;
        writer.serialize_quad(QuadRef::new(&offer, kr::THEME, &NamedNode::new_unchecked(theme.clone()), graph))?;
        writer.serialize_quad(QuadRef::new(&offer, dct::SOURCE, &source, graph))?;
    }
    writer.finish()?;
    Ok(())
}
