//! Files for machines: the RSS feeds and robots.txt (the sitemap is in `sitemap.rs`).

use chrono::NaiveDate;
use rss::extension::atom::{AtomExtensionBuilder, Link as AtomLink};

use super::OutputFile;
use super::view::Views;
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::i18n::UrlWord;
use crate::site::Site;

/// How many news items the feed carries.
const FEED_ITEMS: usize = 50;

/// An RFC 822 date as RSS wants it; items are dated at midnight UTC of their day.
fn rfc822(date: NaiveDate) -> String {
    date.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().to_rfc2822())
        .unwrap_or_default()
}

/// Every feed: `/feed.xml` with the news, one with the advice, and one per policy area.
pub fn all(site: &Site, views: &Views<'_>) -> Vec<Result<OutputFile, Diagnostic>> {
    some(site, views, |_, _| true)
}

/// The feeds of [`all`] that `wanted` picks, asked with the policy area of each (none
/// for the news and advice feeds) and the items it shows, newest first: a feed shows
/// nothing else of the site but its configuration.
pub fn some(
    site: &Site,
    views: &Views<'_>,
    wanted: impl Fn(Option<&str>, &[usize]) -> bool,
) -> Vec<Result<OutputFile, Diagnostic>> {
    let mut feeds = Vec::new();
    let news = site.of_kind(Kind::News);
    if wanted(None, newest(news)) {
        let title = views.t("nav_news");
        feeds.push(feed(site, views, "feed.xml".into(), &title, news, ""));
    }
    let advice = site.of_kind(Kind::Advice);
    if wanted(None, newest(advice)) {
        let page = site.section_path(UrlWord::Advice);
        let title = views.t("nav_advice");
        feeds.push(feed(
            site,
            views,
            format!("{page}feed.xml"),
            &title,
            advice,
            &page,
        ));
    }
    for (key, items) in &site.policy_areas {
        if !wanted(Some(key), newest(items)) {
            continue;
        }
        let page = format!("{}{key}/", site.section_path(UrlWord::PolicyAreas));
        let title = views.policy_area_name(key).to_string();
        feeds.push(feed(
            site,
            views,
            format!("{page}feed.xml"),
            &title,
            items,
            &page,
        ));
    }
    feeds
}

/// The items a feed of `items` shows.
fn newest(items: &[usize]) -> &[usize] {
    &items[..items.len().min(FEED_ITEMS)]
}

/// An RSS 2.0 feed at `path` of the newest `items`, with absolute links and permalinks
/// as guids; `page` is the HTML page the feed belongs to.
fn feed(
    site: &Site,
    views: &Views<'_>,
    path: String,
    title: &str,
    items: &[usize],
    page: &str,
) -> Result<OutputFile, Diagnostic> {
    let rss_items: Vec<rss::Item> = newest(items)
        .iter()
        .map(|&i| {
            let entry = &site.entries[i];
            let link = site.absolute(&entry.path);
            let card = views.card(i);
            rss::ItemBuilder::default()
                .title(Some(entry.item.title.clone()))
                .link(Some(link.clone()))
                // The description is HTML to feed readers; the summary is plain text.
                .description(Some(escape_markup(card.summary())))
                .guid(Some(
                    rss::GuidBuilder::default()
                        .value(link)
                        .permalink(true)
                        .build(),
                ))
                .pub_date(entry.item.date.map(rfc822))
                .categories(
                    entry
                        .item
                        .topics
                        .iter()
                        .map(|t| rss::CategoryBuilder::default().name(t.clone()).build())
                        .collect::<Vec<_>>(),
                )
                .build()
        })
        .collect();
    let self_link = AtomLink {
        href: site.absolute(&path),
        rel: "self".into(),
        mime_type: Some("application/rss+xml".into()),
        ..Default::default()
    };
    let newest = items
        .first()
        .and_then(|&i| site.entries[i].item.date)
        .map(rfc822);
    let channel = rss::ChannelBuilder::default()
        .title(format!("{} – {title}", site.config.title))
        .link(site.absolute(page))
        .description(
            site.config
                .description
                .clone()
                .unwrap_or_else(|| site.config.title.clone()),
        )
        .language(Some(site.config.language.code().to_string()))
        .pub_date(newest.clone())
        .last_build_date(newest)
        .atom_ext(Some(
            AtomExtensionBuilder::default()
                .links(vec![self_link])
                .build(),
        ))
        .items(rss_items)
        .build();
    let mut xml = channel
        .pretty_write_to(Vec::new(), b' ', 2)
        .map_err(|e| Diagnostic::error(&path, format!("cannot write the feed: {e}")))?;
    xml.push(b'\n');
    Ok(OutputFile {
        path: path.into(),
        contents: super::Contents::bytes(xml),
    })
}

/// `/robots.txt`: everything may be indexed; the sitemap is named.
pub fn robots(site: &Site) -> OutputFile {
    OutputFile::rendered(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            site.absolute("sitemap.xml")
        ),
    )
}

/// Plain text as HTML or XML text: `<`, `>` and `&` escaped.
pub(super) fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_dates() {
        let date = NaiveDate::from_ymd_opt(2021, 12, 14).unwrap();
        assert_eq!(rfc822(date), "Tue, 14 Dec 2021 00:00:00 +0000");
    }
}
