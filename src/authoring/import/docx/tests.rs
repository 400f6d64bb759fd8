//! Word documents built in memory, read back into the document model.

use std::io::Write;

use super::*;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A .docx archive with the given parts.
fn docx(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn document(body: &str) -> (&'static str, String) {
    (
        "word/document.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        ),
    )
}

fn run(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn item(num_id: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="Lijstalinea"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>{}</w:p>"#,
        run(text)
    )
}

fn numbering() -> (&'static str, String) {
    (
        "word/numbering.xml",
        format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#
        ),
    )
}

#[test]
fn headings_formatting_links_lists_and_tables() {
    let body = [
        format!(r#"<w:p><w:pPr><w:pStyle w:val="Kop1"/></w:pPr>{}</w:p>"#, run("Armoedebeleid")),
        format!(
            r#"<w:p>{}<w:r><w:rPr><w:b/></w:rPr><w:t>positief</w:t></w:r>{}<w:hyperlink r:id="rId9">{}</w:hyperlink><w:r><w:rPr><w:i/></w:rPr><w:t>. Tom &amp; Jerry&#233;</w:t></w:r></w:p>"#,
            run("De raad is "),
            run(" over "),
            run("het plan")
        ),
        item(1, "eerste punt"),
        item(1, "tweede punt"),
        item(2, "stap een"),
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Actie</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Wie</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Bellen</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>An</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
        r#"<w:p><w:del><w:r><w:delText>geschrapt</w:delText></w:r></w:del></w:p>"#.to_string(),
    ]
    .concat();
    let styles = (
        "word/styles.xml",
        format!(
            r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/></w:style></w:styles>"#
        ),
    );
    let rels = (
        "word/_rels/document.xml.rels",
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.nl/plan?a=1&amp;b=2" TargetMode="External"/></Relationships>"#.to_string(),
    );
    let doc = parse(&docx(&[document(&body), styles, rels, numbering()])).unwrap();
    assert_eq!(doc.blocks.len(), 5, "{doc:#?}");
    assert_eq!(
        doc.blocks[0],
        Block::Heading {
            level: 1,
            content: super::super::document::plain("Armoedebeleid")
        }
    );
    let Block::Paragraph(content) = &doc.blocks[1] else {
        panic!("{doc:#?}")
    };
    let spans: Vec<&Span> = content
        .iter()
        .filter_map(|i| match i {
            Inline::Span(s) => Some(s),
            Inline::Break => None,
        })
        .collect();
    assert_eq!(spans[1].text, "positief");
    assert!(spans[1].bold);
    assert_eq!(
        spans[3].link.as_deref(),
        Some("https://example.nl/plan?a=1&b=2")
    );
    assert_eq!(spans[4].text, ". Tom & Jerryé");
    assert!(spans[4].italic);
    let Block::List(bullets) = &doc.blocks[2] else {
        panic!("{doc:#?}")
    };
    assert_eq!(bullets.len(), 2, "one list for consecutive bullet items");
    assert_eq!(bullets[0].marker, Marker::Bullet);
    assert!(
        matches!(&doc.blocks[3], Block::List(items) if items[0].marker == Marker::Number(None)),
        "a numbered list after a bulleted one is a list of its own"
    );
    let Block::Table(rows) = &doc.blocks[4] else {
        panic!("{doc:#?}")
    };
    assert_eq!(text_of(&rows[1][0]), "Bellen");
}

#[test]
fn bold_short_paragraphs_become_headings() {
    let body = format!(
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Rondvraag</w:t></w:r></w:p><w:p>{}</w:p>"#,
        run("Er zijn geen vragen.")
    );
    let doc = parse(&docx(&[document(&body)])).unwrap();
    assert!(
        matches!(&doc.blocks[0], Block::Heading { level: 1, .. }),
        "{doc:#?}"
    );
}

#[test]
fn not_a_word_document() {
    assert!(matches!(
        parse(b"\x89PNG\r\n\x1a\n"),
        Err(DocxError::NotZip(_))
    ));
    let other_zip = docx(&[("content.xml", "<office/>".to_string())]);
    assert!(matches!(parse(&other_zip), Err(DocxError::NoDocument)));
    let broken = docx(&[document("<w:p><w:r><w:t>open")]);
    assert!(matches!(parse(&broken), Err(DocxError::Damaged { .. })));
}
