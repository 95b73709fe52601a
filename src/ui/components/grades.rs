//! The grading table: attempt files dropped (files or a whole folder) or picked, each replayed
//! and checked; who reached which goal, and which files were edited or do not replay.

use crate::sim::attempt::Row;
use crate::ui::msg::{on, Author, Msg};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(inline_js = "export function each_dropped(dt, each) {
  const walk = (e) => {
    if (e.isFile) { e.file(each); return; }
    const r = e.createReader();
    const more = () => r.readEntries((es) => { if (es.length) { es.forEach(walk); more(); } });
    more();
  };
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (entries.length) entries.forEach(walk); else [...dt.files].forEach(each);
}")]
extern "C" {
    /// Calls `each` with every file dropped, walking into dropped folders (the entries must be
    /// taken during the drop event; their files arrive later).
    fn each_dropped(dt: &web_sys::DataTransfer, each: &js_sys::Function);
}

fn picked(send: &Callback<Msg>) -> Callback<Event> {
    send.reform(|e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let list = input.files().map(|f| (0..f.length()).filter_map(|i| f.get(i)).collect()).unwrap_or_default();
        input.set_value("");
        Msg::Author(Author::Grade(list, true))
    })
}

fn dropped(send: &Callback<Msg>) -> Callback<DragEvent> {
    let send = send.clone();
    Callback::from(move |e: DragEvent| {
        e.prevent_default();
        let Some(dt) = e.data_transfer() else {
            return;
        };
        send.emit(Msg::Author(Author::Grade(Vec::new(), true)));
        let send = send.clone();
        // Each file is graded as it arrives; the closure lives as long as the folder is read.
        let each = Closure::<dyn Fn(web_sys::File)>::new(move |f: web_sys::File| {
            send.emit(Msg::Author(Author::Grade(vec![f], false)))
        });
        each_dropped(&dt, each.as_ref().unchecked_ref());
        each.forget();
    })
}

fn row(r: &Row) -> Html {
    let (status, class) = match (&r.unreadable, r.problems.is_empty(), r.solved()) {
        (Some(why), _, _) => (format!("unreadable: {why}"), "bad"),
        (None, false, _) => {
            (format!("⚠ {}", r.problems.iter().map(|p| p.describe()).collect::<Vec<_>>().join("; ")), "tampered")
        }
        (None, true, true) => ("✓ solved".into(), "solved"),
        (None, true, false) => ("not yet".into(), "open"),
    };
    let goals = r.goals.iter().map(|(g, ok)| {
        let mark = match ok {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "?",
        };
        html! { <li title={g.describe()}>{format!("{mark} {}", g.describe())}</li> }
    });
    html! { <tr class={class} data-testid="grade-row" data-status={class}>
        <td>{&r.file}</td><td>{&r.student}</td>
        <td>{r.challenge.as_ref().map(|c| c.title.clone()).unwrap_or_default()}</td>
        <td>{r.steps}</td><td><ul class="plain">{ for goals }</ul></td><td>{status}</td>
    </tr> }
}

/// The overlay.
pub fn view(rows: &[Row], send: &Callback<Msg>) -> Html {
    let solved = rows.iter().filter(|r| r.solved()).count();
    let flagged = rows.iter().filter(|r| r.unreadable.is_some() || !r.problems.is_empty()).count();
    html! {
        <div class="overlay" role="dialog" aria-modal="true" tabindex="-1" aria-label="Grade attempts">
            <div class="overlay-card grades" data-testid="grades" ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={dropped(send)}>
                <div class="lesson-head"><h2>{"Grade attempts"}</h2>
                    <button class="ghost" aria-label="Close" onclick={on(send, || Msg::Author(Author::Grader))}>{"✕"}</button></div>
                <p>{"Drop a folder of attempt files here, or pick them. Each run is replayed and every goal checked again; an edited file is flagged."}</p>
                <div class="lesson-nav">
                    <label class="file-button">{"Pick files…"}<input type="file" multiple=true accept=".json" data-testid="grade-files" onchange={picked(send)} /></label>
                    <label class="file-button">{"Pick a folder…"}<input type="file" webkitdirectory=true data-testid="grade-folder" onchange={picked(send)} /></label>
                </div>
                if !rows.is_empty() {
                    <p data-testid="grade-summary">{format!("{} files: {solved} solved, {flagged} flagged.", rows.len())}</p>
                    <div class="grades-scroll"><table>
                        <thead><tr><th>{"File"}</th><th>{"Student"}</th><th>{"Challenge"}</th><th>{"Steps"}</th><th>{"Goals"}</th><th>{"Status"}</th></tr></thead>
                        <tbody>{ for rows.iter().map(row) }</tbody>
                    </table></div>
                }
            </div>
        </div>
    }
}
