//! The web pages from the HTTP service (in process), as a browser without JavaScript gets them: the home page with
//! the search box and the themes, the results page with the understood place and the why, the
//! page of a municipality with what serves it, and clear errors for bad input.

mod common;
use common::App;

fn page(server: &App, path: &str) -> (u16, String) {
    let response = server.get(path).header("Accept", "text/html").send();
    (response.status().as_u16(), response.text())
}

#[test]
fn pages_for_people_work_without_javascript() {
    let server = App::new();

    let (status, home) = page(&server, "/");
    assert_eq!(status, 200);
    assert!(home.contains("<form method=\"get\" action=\"/zoeken\" role=\"search\">"), "a plain search form");
    assert!(home.contains("<label for=\"vraag\">"), "the search box has a label");
    assert!(home.contains("href=\"/id/thema/geldzorgen\""), "the themes are listed");
    assert!(!home.contains("<script src"), "no JavaScript needed");

    let (status, results) = page(&server, "/zoeken?q=aanbod+voor+tienerzwangerschap+in+Aalsmeer");
    assert_eq!(status, 200);
    assert!(results.contains("Gezocht in <a href=\"/id/gemeente/gm0358\">Aalsmeer</a>"), "the understood place is shown");
    assert!(results.contains("name=\"plaats\"") && results.contains("Andere plaats"), "and can be changed");
    assert!(results.contains("href=\"/id/aanbod/prenataal-huisbezoek-gm0358\""), "the local offer is found");
    assert!(results.contains("Waarom: "), "each result says why");

    let (_, utrecht) = page(&server, "/zoeken?q=geldzorgen+Utrecht");
    assert!(utrecht.contains("Bedoelt u de provincie"), "the other meaning of an ambiguous place is offered");
    let (_, province) = page(&server, "/zoeken?q=geldzorgen&plaats=provincie+Utrecht");
    assert!(province.contains("(provincie, PV26)"), "and following it searches there");

    let (_, tools) = page(&server, "/zoeken?q=geldzorgen&type=instrument");
    assert!(tools.contains("href=\"/id/instrument/geldfit\"") && !tools.contains("· thema<"), "the type filter holds");

    let (status, aalsmeer) = page(&server, "/id/gemeente/gm0358");
    assert_eq!(status, 200);
    assert!(aalsmeer.contains("Aanbod, programma's en instrumenten voor Aalsmeer"));
    assert!(aalsmeer.contains("href=\"/id/aanbod/nu-niet-zwanger-amsterdam\""), "offers of its GGD region cover it");
    assert!(aalsmeer.contains("href=\"/id/postcode/1431\""), "its postcodes are listed");

    let (_, theme) = page(&server, "/id/thema/geldzorgen");
    assert!(theme.contains("href=\"/id/instrument/geldfit\""), "a theme page lists its tools");
    assert!(theme.contains("Aanbod bij dit thema in uw gemeente"), "and asks for a place");

    let (status, about) = page(&server, "/over");
    assert_eq!(status, 200);
    assert!(about.contains("CC BY 4.0") && about.contains("CBS"));
}

#[test]
fn bad_input_on_the_results_page_gets_a_clear_400() {
    let server = App::new();
    let long = "a".repeat(3_000);
    assert_eq!(page(&server, &format!("/zoeken?q={long}")).0, 400);
    let (status, body) = page(&server, "/zoeken?q=geldzorgen&type=onzin");
    assert_eq!(status, 400);
    assert!(body.contains("onbekend type"), "{body}");
    assert_eq!(page(&server, "/zoeken?q=%FF%FE").0, 400);
    let (status, empty) = page(&server, "/zoeken?q=");
    assert_eq!(status, 200, "an empty question shows the form");
    assert!(empty.contains("name=\"q\""));
}
