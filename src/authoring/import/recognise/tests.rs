//! Recognition on documents read from text.

use super::super::text::parse;
use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn minutes_title_date_and_people() {
    let text = "Vergadering 14 december 2021\n\nAanwezig: An (voorzitter), Bas en Cees\nAfwezig met kennisgeving: Dirk\nGasten:\nEva Jansen (wethouder)\nFrits\n\nOpening\n\nDe voorzitter opent op 12 oktober 2021.\n";
    let (doc, found) = recognise(parse(text), Kind::Minutes);
    assert_eq!(found.title.as_deref(), Some("Vergadering 14 december 2021"));
    assert_eq!(found.date, Some(date(2021, 12, 14)));
    assert_eq!(found.attendees, ["An (voorzitter)", "Bas", "Cees"]);
    assert_eq!(found.absent, ["Dirk"]);
    assert_eq!(found.guests, ["Eva Jansen (wethouder)", "Frits"]);
    assert_eq!(doc.blocks.len(), 2, "{doc:#?}");
}

#[test]
fn minutes_keep_a_first_heading_that_is_not_a_title() {
    let (doc, found) = recognise(parse("Opening\n\nDe voorzitter opent.\n"), Kind::Minutes);
    assert_eq!(found.title, None);
    assert_eq!(doc.blocks.len(), 2);
}

#[test]
fn a_cued_date_further_down() {
    let text = "Verslag\n\nEen.\n\nTwee.\n\nDrie.\n\nVier.\n\nVijf.\n\nOp 12 oktober 2021 sprak men. De vergadering van dinsdag 30 mei 2023 begon laat.\n";
    let (_, found) = recognise(parse(text), Kind::Minutes);
    assert_eq!(found.date, Some(date(2023, 5, 30)));
}

#[test]
fn action_lists_become_actions() {
    let text = "Rondvraag\n\nGeen vragen.\n\nActiepunten\n\n- Wethouder uitnodigen voor 1 februari 2022\n- Data rondsturen\n";
    let (doc, found) = recognise(parse(text), Kind::Minutes);
    assert_eq!(found.actions.len(), 2);
    assert_eq!(found.actions[0].due, Some(date(2022, 2, 1)));
    assert_eq!(found.actions[1].what, "Data rondsturen");
    assert_eq!(doc.blocks.len(), 2, "{doc:#?}");
}

#[test]
fn website_text_is_dropped() {
    let text = "Nieuw lid\n\nDe raad heeft een nieuw lid.\nLees meer\n\nKoppeling naar Jaarverslag in pdf\n\nNieuwsberichten\n\nAdvies armoede\n12 maart 2021\n";
    let (doc, found) = recognise(parse(text), Kind::News);
    assert_eq!(found.title.as_deref(), Some("Nieuw lid"));
    assert_eq!(doc.blocks.len(), 1, "{doc:#?}");
    assert_eq!(found.dropped.len(), 3, "{:?}", found.dropped);
    assert!(found.dropped[0].contains("Nieuwsberichten"));
}

#[test]
fn a_real_news_section_is_kept() {
    let long = "Dit is een lange alinea over het nieuws van de raad, met veel zinnen. ".repeat(3);
    let text = format!("Inleiding\n\nTekst.\n\nNieuws\n\n{long}\n");
    let (doc, found) = recognise(parse(&text), Kind::News);
    assert!(found.dropped.is_empty());
    assert_eq!(doc.blocks.len(), 3);
}

#[test]
fn annual_report_year() {
    let text = "Door de pandemie kwam de raad sporadisch bijeen.\n\nDe activiteiten in 2020:\n\n• zes keer bijeen\n";
    let (_, found) = recognise(parse(text), Kind::AnnualReport);
    assert_eq!(found.year, Some((2020, false)));
    assert_eq!(found.title, None);
}
