//! The top bar: the name, the lesson menu, share / export / import, and help.

use crate::sim::lessons::{catalog, Lesson};
use crate::sim::Config;
use crate::ui::msg::{on, Author, Export, Guide, Msg, Predict, Share, Show, TopMenu};
use yew::prelude::*;

/// What the unsafe badge means, here and in presenter mode's bar: which rules, so safety can break.
pub fn unsafe_title(c: &Config) -> String {
    format!("{} Safety can break. (Cluster settings, in the side panel, switch it back.)", c.unsafe_words())
}

/// What the bar shows.
pub struct Bar<'a> {
    /// The open drop-down, if any.
    pub open: Option<TopMenu>,
    /// The lesson being followed.
    pub lesson: Option<&'a Lesson>,
    /// The run's config (for the unsafe badge).
    pub config: &'a Config,
    /// Presenter mode on?
    pub presenter: bool,
    /// Predict mode on?
    pub predict: bool,
    /// Dark theme on?
    pub dark: bool,
    /// Ids of the lessons the viewer has finished.
    pub done: &'a [String],
}

/// The Lessons drop-down, finished lessons ticked: in the top bar, and in presenter mode's bar,
/// so a lecturer moves to another lesson without leaving the room's view.
/// `compact`: a "☰" button (presenter mode's bar keeps one row beside a chosen banner).
pub fn lessons_menu(open: bool, compact: bool, lesson: Option<&Lesson>, done: &[String], send: &Callback<Msg>) -> Html {
    let items = catalog().map(|(id, n, title, teaches)| {
        let current = lesson.is_some_and(|l| l.id == id);
        let finished = done.iter().any(|d| d == id);
        html! {
            <li>
                <button class={classes!("lesson-item", current.then_some("current"), finished.then_some("done"))} data-testid={format!("lesson-{id}")}
                        data-done={finished.to_string()} onclick={send.reform(move |_| Msg::Guide(Guide::Open(id.to_string())))}>
                    <span class="lesson-num" aria-label={if finished { format!("{n}, finished") } else { n.to_string() }}>{if finished { "✓".to_string() } else { n.to_string() }}</span>
                    <span><strong>{title}</strong><span class="lesson-teaches">{teaches}</span></span>
                </button>
            </li>
        }
    });
    html! {
        <div class="dropdown">
            <button class={classes!(compact.then_some("ghost"))} data-testid="lessons" aria-expanded={open.to_string()} aria-haspopup="true" aria-label="Lessons" title="Lessons"
                    onclick={on(send, || Msg::Show(Show::TopMenu(TopMenu::Lessons)))}>{if compact { "☰" } else { "Lessons ▾" }}</button>
            if open {
                <ol class="dropdown-menu lessons-menu" data-testid="lessons-menu">{ for items }</ol>
            }
        </div>
    }
}

/// The bar.
pub fn view(bar: &Bar, send: &Callback<Msg>) -> Html {
    let (open, lesson, config) = (bar.open, bar.lesson, bar.config);
    let lessons_open = open == Some(TopMenu::Lessons);
    let share_open = open == Some(TopMenu::Share);
    let on_file = crate::ui::msg::when(send, |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let file = input.files().and_then(|f| f.get(0));
        input.set_value("");
        file.map(|f| Msg::Share(Share::ImportFile(f)))
    });
    html! {
        <header class="topbar">
            <h1 class="brand">{"Paxoscope"}</h1>
            <span class="tagline">{ if bar.config.mode.is_single() { "Single-decree Paxos, one message at a time" } else { "Multi-Paxos: a replicated log, one message at a time" } }</span>
            { lessons_menu(lessons_open, false, lesson, bar.done, send) }
            <div class="dropdown">
                <button data-testid="share" aria-expanded={share_open.to_string()} aria-haspopup="true"
                        onclick={on(send, || Msg::Show(Show::TopMenu(TopMenu::Share)))}>{"Share ▾"}</button>
                if share_open {
                    <div class="dropdown-menu share-menu" data-testid="share-menu">
                        <button onclick={on(send, || Msg::Share(Share::CopyLink))} data-testid="copy-link">{"Copy link to this step"}</button>
                        <button onclick={on(send, || Msg::Share(Share::ExportTrace))} data-testid="export-trace">{"Export trace (JSON)"}</button>
                        <button onclick={on(send, || Msg::Author(Author::Toggle))} data-testid="author-open">{"Author a lesson from this run"}</button>
                        <button onclick={on(send, || Msg::Author(Author::Grader))} data-testid="grade-open">{"Grade challenge attempts…"}</button>
                        <label class="file-button" data-testid="import-label">{"Open trace or lesson file (JSON)…"}
                            <input type="file" accept=".json,application/json" data-testid="import-trace" onchange={on_file} />
                        </label>
                        <button onclick={on(send, || Msg::Share(Share::ExportSvg))} data-testid="export-svg">{"Picture for slides (SVG)"}</button>
                        <button onclick={on(send, || Msg::Share(Share::ExportPng))} data-testid="export-png">{"Picture for slides (PNG)"}</button>
                        <button onclick={on(send, || Msg::Export(Export::Open))} data-testid="export-video">{"Animation for slides (WebM)…"}</button>
                    </div>
                }
            </div>
            <button data-testid="open-spacetime" onclick={on(send, || Msg::Show(Show::SpaceTime))}>{"Space-time"}</button>
            <button data-testid="open-explorer" onclick={on(send, || Msg::Show(Show::Explorer))}>{"Explore"}</button>
            <button data-testid="open-metrics" onclick={on(send, || Msg::Show(Show::Metrics))}>{"Metrics"}</button>
            <button data-testid="predict" aria-pressed={bar.predict.to_string()} onclick={on(send, || Msg::Predict(Predict::Toggle))}
                    title="Predict what happens before each delivery">{"Predict"}</button>
            <button data-testid="presenter" aria-pressed={bar.presenter.to_string()} onclick={on(send, || Msg::Show(Show::Presenter))}
                    title="Presenter mode (P): large type, side panel hidden; F for full screen">{"Presenter"}</button>
            <button class="ghost" data-testid="theme" onclick={on(send, || Msg::Show(Show::Theme))}
                    aria-label={if bar.dark { "Switch to the light theme" } else { "Switch to the dark theme" }}>{if bar.dark { "Light" } else { "Dark" }}</button>
            <span class="spacer" />
            if config.is_unsafe() {
                <span class="unsafe-badge" data-testid="unsafe-badge" title={unsafe_title(config)}>
                    {"⚠ unsafe rules on"}</span>
            }
            <button class="ghost" data-testid="help" onclick={on(send, || Msg::Show(Show::Help))} title="Keyboard shortcuts (?)">{"Help"}</button>
        </header>
    }
}
