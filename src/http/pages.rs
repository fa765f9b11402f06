//! The few HTML pages of this stage: a home page and the SPARQL query page with example
//! queries that run. Dutch for people; no JavaScript needed.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}\
textarea{width:100%;font-family:monospace;font-size:.95rem}\
button{font-size:1rem;padding:.4rem 1rem}\
pre{background:#f4f4f4;padding:.5rem;overflow:auto}\
a{color:#0b5394}";

/// Example queries shown on the query page: (title, query).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "Thema's met hun Nederlandse naam",
        "SELECT ?thema ?naam WHERE {\n  ?thema a kr:Theme ; skos:prefLabel ?naam .\n  FILTER(lang(?naam) = \"nl\")\n} ORDER BY ?naam",
    ),
    (
        "GGD-regio en provincie van Aalsmeer",
        "SELECT ?gemeente ?ggd ?provincie WHERE {\n  ?g dct:identifier \"GM0358\" ; skos:prefLabel ?gemeente ;\n     schema:containedInPlace ?r, ?p .\n  ?r a kr:GGDRegion ; skos:prefLabel ?ggd .\n  ?p a kr:Province ; skos:prefLabel ?provincie .\n}",
    ),
    (
        "Aanbod in de GGD-regio van postcode 1431",
        "SELECT ?aanbod ?naam ?aanbieder WHERE {\n  ?pc dct:identifier \"1431\" ; schema:containedInPlace ?gemeente .\n  ?gemeente schema:containedInPlace ?regio .\n  ?aanbod a kr:Offer ; schema:areaServed ?regio ; skos:prefLabel ?naam ;\n          schema:provider/skos:prefLabel ?aanbieder .\n}",
    ),
    (
        "Instrumenten per thema",
        "SELECT ?themanaam ?instrumentnaam WHERE {\n  ?instrument a kr:Tool ; kr:theme ?thema ; skos:prefLabel ?instrumentnaam .\n  ?thema skos:prefLabel ?themanaam . FILTER(lang(?themanaam) = \"nl\" && lang(?instrumentnaam) = \"nl\")\n} ORDER BY ?themanaam",
    ),
    ("Aantal gemeenten, GGD-regio's en provincies", "SELECT ?soort (COUNT(?r) AS ?aantal) WHERE {\n  VALUES ?soort { kr:Municipality kr:GGDRegion kr:Province }\n  ?r a ?soort .\n} GROUP BY ?soort"),
];

fn page(title: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} – kansrijk</title><style>{STYLE}</style></head>\
<body><header><nav aria-label=\"Hoofdmenu\"><a href=\"/\">kansrijk</a> · <a href=\"/sparql\">SPARQL</a></nav></header>\
<main>{main}</main><footer><p>Gegevens: factsheet Kansrijke Start voor de Huisartsenpraktijk (VWS, juni 2026) en CBS (CC BY 4.0).</p></footer></body></html>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub async fn home() -> Html<String> {
    Html(page(
        "Kansrijke Start",
        "<h1>kansrijk</h1><p>De kennisgraaf van Kansrijke Start: thema's, instrumenten, organisaties, aanbod en regio's \
voor de eerste 1000 dagen. Bevraag de graaf via het <a href=\"/sparql\">SPARQL-eindpunt</a>.</p>",
    ))
}

pub fn query_page() -> Response {
    let format_options = "<label for=\"format-{i}\">Formaat</label> <select id=\"format-{i}\" name=\"format\">\
<option value=\"json\">JSON</option><option value=\"xml\">XML</option><option value=\"csv\">CSV</option><option value=\"tsv\">TSV</option></select>";
    let mut main = String::from(
        "<h1>SPARQL-eindpunt</h1><p>Dit eindpunt volgt het SPARQL 1.1 Protocol: <code>GET /sparql?query=…</code>, \
<code>POST</code> als formulier of als <code>application/sparql-query</code>. De standaardgraaf is de vereniging van alle \
benoemde grafen. De voorvoegsels kr, schema, skos, dct, prov, owl, rdf, rdfs en xsd zijn al bekend.</p>",
    );
    for (index, (title, query)) in EXAMPLES.iter().enumerate() {
        main.push_str(&format!(
            "<section><h2 id=\"voorbeeld-{index}\">{title}</h2><form method=\"get\" action=\"/sparql\" aria-labelledby=\"voorbeeld-{index}\">\
<label for=\"query-{index}\" class=\"visually-hidden\">Zoekvraag</label><textarea id=\"query-{index}\" name=\"query\" rows=\"7\">{}</textarea>\
<p>{} <button type=\"submit\">Uitvoeren</button></p></form></section>",
            escape(query),
            format_options.replace("{i}", &index.to_string()),
        ));
    }
    Html(page("SPARQL", &main)).into_response()
}

pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "niet gevonden: deze pagina bestaat niet\n",
    )
        .into_response()
}
