//! Browser glue for files and pictures: download a text file, read a chosen file, and turn the
//! cluster SVG into a standalone SVG or a PNG for slides. Failures come back as messages.

use crate::ui::format::px;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

fn err(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

fn document() -> Result<web_sys::Document, String> {
    web_sys::window().and_then(|w| w.document()).ok_or_else(|| "no document".to_string())
}

/// Offers `text` as a download called `name`.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(err)?;
    download_blob(name, &blob)
}

/// Offers `blob` as a download called `name`.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(err)?;
    let a: web_sys::HtmlAnchorElement = document()?.create_element("a").map_err(err)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads a chosen file as text, refusing files over `limit` bytes before reading them.
pub fn read_text(file: web_sys::File, limit: f64, done: impl FnOnce(Result<String, String>) + 'static) {
    if file.size() > limit {
        done(Err(format!(
            "{} is {} KB; the limit is {} KB.",
            file.name(),
            (file.size() / 1024.0) as u64,
            (limit / 1024.0) as u64
        )));
        return;
    }
    let reader = match web_sys::FileReader::new() {
        Ok(r) => r,
        Err(e) => return done(Err(err(e))),
    };
    let r2 = reader.clone();
    let cb = Closure::once(move |_: web_sys::Event| {
        done(r2.result().ok().and_then(|v| v.as_string()).ok_or_else(|| "the file could not be read as text".into()))
    });
    reader.set_onloadend(Some(cb.as_ref().unchecked_ref()));
    cb.forget(); // fires once; the reader owns it until then
    if let Err(e) = reader.read_as_text(&file) {
        web_sys::console::error_1(&e);
    }
}

/// Every CSS rule of the page, so an exported SVG looks as it does on screen.
fn page_css() -> String {
    let mut css = String::new();
    if let Ok(doc) = document() {
        let sheets = doc.style_sheets();
        for i in 0..sheets.length() {
            let Some(sheet) = sheets.item(i).and_then(|s| s.dyn_into::<web_sys::CssStyleSheet>().ok()) else {
                continue;
            };
            if let Ok(rules) = sheet.css_rules() {
                for j in 0..rules.length() {
                    if let Some(r) = rules.item(j) {
                        css.push_str(&r.css_text());
                        css.push('\n');
                    }
                }
            }
        }
    }
    css
}

/// An SVG on the page as a standalone document, styles inlined, `width` × `height` pixels.
fn standalone_svg(selector: &str, width: &str, height: &str) -> Result<String, String> {
    let svg = document()?.query_selector(selector).map_err(err)?.ok_or("that picture is not on screen")?;
    let view = svg.get_attribute("viewBox").unwrap_or_else(|| "0 0 1000 600".into());
    Ok(wrap_svg(&svg.inner_html(), &view, width, height, &svg.get_attribute("class").unwrap_or_default(), ""))
}

fn wrap_svg(inner: &str, view: &str, width: &str, height: &str, class: &str, extra: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view}\" width=\"{width}\" height=\"{height}\" class=\"{class}\">\
         <style><![CDATA[{}\n.token {{ transition: none !important; animation: none !important; }}]]></style>\
         <rect width=\"100%\" height=\"100%\" fill=\"#f7f7f4\"/>{inner}{extra}</svg>",
        page_css().replace("]]>", "")
    )
}

/// Words cut into lines of at most `max` characters.
fn lines(text: &str, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match out.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= max => {
                l.push(' ');
                l.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The cluster as a standalone SVG document, as it rests: without the ghosts of messages that
/// just arrived or were lost, and with `footer` (the step and its words) under it. Returns the
/// document and its size.
// Numbers are written with `format::px`, not f64's Display (see `ui::embed::number`).
pub fn cluster_svg(footer: &str) -> Result<(String, f64, f64), String> {
    let (copy, w, h) = resting_cluster()?;
    let font = 18.0;
    let text = lines(footer, ((w - 40.0) / (font * 0.6)) as usize);
    let foot_h = 20.0 + text.len() as f64 * font * 1.3;
    let rows: String = text
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let y = h + 14.0 + (i as f64 + 1.0) * font * 1.3;
            format!(
                "<text x=\"20\" y=\"{}\" font-size=\"18\" class=\"export-footer\">{}</text>",
                y as i64,
                escape_xml(l)
            )
        })
        .collect();
    let extra = format!(
        "<line x1=\"0\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#16161a\" stroke-width=\"2\"/>{rows}",
        px(w),
        y = px(h)
    );
    let total_h = h + foot_h;
    let doc = wrap_svg(
        &copy.inner_html(),
        &format!("0 0 {} {}", px(w), px(total_h)),
        &px(w * 2.0),
        &px(total_h * 2.0),
        &copy.get_attribute("class").unwrap_or_default(),
        &extra,
    );
    Ok((doc, w * 2.0, total_h * 2.0))
}

/// A copy of the cluster on screen without the ghosts of messages that just arrived or were
/// lost, and its size.
fn resting_cluster() -> Result<(web_sys::Element, f64, f64), String> {
    let svg = document()?.query_selector("svg.cluster").map_err(err)?.ok_or("the cluster is not on screen")?;
    let copy: web_sys::Element = svg.clone_node_with_deep(true).map_err(err)?.unchecked_into();
    while let Some(g) = copy.query_selector(".ghost").map_err(err)? {
        g.remove();
    }
    let view = svg.get_attribute("viewBox").unwrap_or_else(|| "0 0 1000 600".into());
    // The browser's parseFloat: Rust's f64 parser is 4 KB of wasm for this one line.
    let dims: Vec<f64> = view.split(' ').map(js_sys::parse_float).filter(|x| x.is_finite()).collect();
    Ok((copy, dims.get(2).copied().unwrap_or(1000.0), dims.get(3).copied().unwrap_or(600.0)))
}

/// The cluster as it rests, at twice its size with no footer: a frame of an animated export,
/// whose recorder burns in the words itself.
pub fn frame_svg() -> Result<String, String> {
    let (copy, w, h) = resting_cluster()?;
    let (pw, ph) = (px(w * 2.0), px(h * 2.0));
    Ok(wrap_svg(
        &copy.inner_html(),
        &format!("0 0 {} {}", px(w), px(h)),
        &pw,
        &ph,
        &copy.get_attribute("class").unwrap_or_default(),
        "",
    ))
}

/// Downloads the cluster as SVG.
pub fn export_svg(name: &str, footer: &str) -> Result<(), String> {
    download_text(name, "image/svg+xml", &cluster_svg(footer)?.0)
}

/// Downloads any SVG on the page (by selector) at its own size.
pub fn export_svg_of(selector: &str, name: &str) -> Result<(), String> {
    let svg = document()?.query_selector(selector).map_err(err)?.ok_or("that picture is not on screen")?;
    let (w, h) = (svg.get_attribute("width").unwrap_or_default(), svg.get_attribute("height").unwrap_or_default());
    download_text(name, "image/svg+xml", &standalone_svg(selector, &w, &h)?)
}

/// Renders the cluster SVG onto a canvas at twice its size and downloads it as PNG.
pub fn export_png(name: &str, footer: &str, done: impl FnOnce(Result<(), String>) + 'static) {
    let (svg, pw, ph) = match cluster_svg(footer) {
        Ok(s) => s,
        Err(e) => return done(Err(e)),
    };
    let run = || -> Result<(), String> {
        let img = web_sys::HtmlImageElement::new().map_err(err)?;
        let url = format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(&svg));
        let name = name.to_string();
        let img2 = img.clone();
        let cb = Closure::once(move |_: web_sys::Event| {
            let result = (|| -> Result<(), String> {
                let canvas: web_sys::HtmlCanvasElement =
                    document()?.create_element("canvas").map_err(err)?.unchecked_into();
                canvas.set_width(pw as u32);
                canvas.set_height(ph as u32);
                let ctx: web_sys::CanvasRenderingContext2d =
                    canvas.get_context("2d").map_err(err)?.ok_or("no 2d context")?.unchecked_into();
                ctx.draw_image_with_html_image_element_and_dw_and_dh(&img2, 0.0, 0.0, pw, ph).map_err(err)?;
                let data = canvas.to_data_url_with_type("image/png").map_err(err)?;
                let a: web_sys::HtmlAnchorElement = document()?.create_element("a").map_err(err)?.unchecked_into();
                a.set_href(&data);
                a.set_download(&name);
                a.click();
                Ok(())
            })();
            done(result);
        });
        img.set_onload(Some(cb.as_ref().unchecked_ref()));
        cb.forget(); // fires once
        img.set_src(&url);
        Ok(())
    };
    if let Err(e) = run() {
        web_sys::console::error_1(&JsValue::from_str(&e));
    }
}

/// The page's URL hash without `#`.
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Replaces the URL hash without adding a history entry.
pub fn set_location_hash(hash: &str) {
    if let Some(w) = web_sys::window() {
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{hash}")));
        }
    }
}
