//! Publishing the graph as linked data: the document of each dereferenceable IRI in every RDF
//! format ([`linked_data`]), the dataset as a whole (VoID, named graphs, dumps, sitemap:
//! [`dataset`]), and the ontology read as a reference for people ([`ontology`]).

pub mod dataset;
pub mod linked_data;
pub mod ontology;
