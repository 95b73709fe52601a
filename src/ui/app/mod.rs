//! The root component: owns the session, turns user intent into `Command`s, and lays out the page.
//! Its parts: `input` (keys, play, predict), `sharing` (links, lessons, files), `explore` (the
//! explorer's run).

mod author;
mod canvas;
mod embed;
mod explore;
mod export;
mod guide;
mod input;
mod lesson_text;
mod play;
mod predict;
mod promise;
mod sharing;
mod show;

use super::components::{
    author as author_panel, controls, embed as embed_view, explorer, export as export_view, grades, help, lessons,
    log_grid, metrics, predict as predict_card, presenter, side, spacetime, topbar,
};
use super::explore_run::ExploreRun;
use super::files;
use super::msg::{on, Guide, Menu, Msg, Play, Share, Show, Spot, TopMenu};
use super::poll::Poll;
use super::prefs::{self, Theme};
use super::session::Session;
use crate::sim::lessons::Lesson;
use crate::sim::{Config, MsgId};
use gloo_timers::callback::{Interval, Timeout};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The root component.
pub struct App {
    session: Session,
    lesson: Option<Rc<Lesson>>,
    menu: Option<Menu>,
    top_menu: Option<TopMenu>,
    help: bool,
    notice: Option<Notice>,
    interval: Option<Interval>,
    last_hash: String,
    spacetime: bool,
    hover: Option<MsgId>,
    canvas: (f64, f64),
    _resize: Option<Closure<dyn Fn()>>,
    explorer_open: bool,
    explore: Option<ExploreRun>,
    /// A counterexample opened from a link (`cx=1`): its cluster, seed and commands. The search
    /// that found it ran elsewhere, so there is no verdict to show, only the run.
    shared_cx: Option<(crate::sim::Config, u64, Vec<crate::sim::Command>)>,
    slice: Option<Timeout>,
    theme: Theme,
    presenter: bool,
    spotlight: Option<Spot>,
    predict: bool,
    poll: Poll,
    beat_target: Option<usize>,
    /// The frame the canvas was last drawn for. When it changes (a resize, presenter mode),
    /// everything is laid out again, and tokens jump to their new places instead of gliding
    /// there over cards that are already in theirs.
    drawn: Option<crate::ui::scene::Frame>,
    /// Playing towards a beat: the timer, and its milliseconds per step (tokens glide in that).
    beat_timer: Option<(Interval, u32)>,
    ask_at_target: bool,
    /// Playing a lesson: ticks still to wait at the beat just reached, so its caption can be read.
    beat_hold: u32,
    /// At the last step of the explorer's counterexample, the next press was told where it
    /// leads; the one after goes on. (A lesson's end offers the next lesson on screen already.)
    end_offer: bool,
    lesson_reached: usize,
    /// A message that builds a built-in lesson, waiting for the lessons' text to arrive.
    waiting_for_lessons: Option<Msg>,
    done: Vec<String>,
    metrics_open: bool,
    experiment: Option<metrics::Experiment>,
    /// Multi-Paxos: the cost of a log, computed when the metrics open (cheap, but not per frame).
    log_cost: Option<Vec<crate::sim::metrics::LogCost>>,
    side_to_top: bool,
    /// A lesson was just opened: the side panel shows its top, the lesson's number, title and
    /// progress (on a tablet, a shared link at beat 6 opened with them scrolled out of sight).
    side_head: bool,
    /// The step whose narration the side panel last brought into view, and whether a predict
    /// question was open then (a question is brought into view when it opens).
    narrated: Option<(usize, bool)>,
    authoring: bool,
    draft: Option<crate::ui::author::Draft>,
    shared: Option<Result<String, String>>,
    authored: Option<String>,
    student: String,
    grades: Option<Vec<crate::sim::attempt::Row>>,
    /// Shown as `#embed`: canvas, words and step controls only.
    embed: bool,
    /// Inside another page's frame, which hears of every change (see `app::embed`).
    framed: bool,
    /// The last state posted to that page.
    last_status: String,
    /// The animated export dialog, when open.
    export: Option<export::Dialog>,
    /// The dialog that last took the keyboard focus (see `focus_new_dialog`).
    focused_dialog: Option<&'static str>,
    _keys: Option<Closure<dyn Fn(KeyboardEvent)>>,
    _hash: Option<Closure<dyn Fn()>>,
    _message: Option<Closure<dyn Fn(web_sys::MessageEvent)>>,
}

/// Default seed for a new visitor.
pub const DEFAULT_SEED: u64 = 42;

/// The line across the top of the page: an alert (something was refused or went wrong) or news
/// (something worked), told apart by colour and by how a screen reader announces it.
struct Notice {
    text: String,
    news: bool,
    /// The step it is about, if any ("Paused: ... at this step"): it shows only there, so it
    /// never stands beside a later step it is not true of.
    at: Option<usize>,
}

/// An alert: something was refused, failed, or needs attention.
fn alert(text: impl Into<String>) -> Option<Notice> {
    Some(Notice { text: text.into(), news: false, at: None })
}

/// An alert about step `at` only.
fn alert_at(text: impl Into<String>, at: usize) -> Option<Notice> {
    Some(Notice { text: text.into(), news: false, at: Some(at) })
}

/// News: something the user asked for worked.
fn news(text: impl Into<String>) -> Option<Notice> {
    Some(Notice { text: text.into(), news: true, at: None })
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let keys = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| link.send_message(Msg::Key(e)));
        let link = ctx.link().clone();
        let hash = Closure::<dyn Fn()>::new(move || link.send_message(Msg::Share(Share::HashChanged)));
        let link = ctx.link().clone();
        let resize = Closure::<dyn Fn()>::new(move || link.send_message(Msg::Show(Show::Resized)));
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
            let _ = w.add_event_listener_with_callback("hashchange", hash.as_ref().unchecked_ref());
            let _ = w.add_event_listener_with_callback("resize", resize.as_ref().unchecked_ref());
        }
        let session = Session::new(Config::default(), DEFAULT_SEED).expect("the default config is valid");
        let mut app = App {
            session,
            lesson: None,
            menu: None,
            top_menu: None,
            help: false,
            notice: None,
            interval: None,
            last_hash: String::new(),
            spacetime: false,
            hover: None,
            canvas: (1000.0, 600.0),
            _resize: Some(resize),
            explorer_open: false,
            explore: None,
            shared_cx: None,
            slice: None,
            theme: prefs::load_theme(),
            presenter: false,
            spotlight: None,
            predict: false,
            poll: Poll::default(),
            beat_target: None,
            drawn: None,
            beat_timer: None,
            ask_at_target: false,
            beat_hold: 0,
            end_offer: false,
            lesson_reached: 0,
            waiting_for_lessons: None,
            done: prefs::done_lessons(),
            metrics_open: false,
            experiment: None,
            log_cost: None,
            side_to_top: false,
            side_head: false,
            narrated: None,
            authoring: false,
            draft: None,
            shared: None,
            authored: None,
            student: String::new(),
            grades: None,
            embed: false,
            framed: embed::parent().is_some(),
            last_status: String::new(),
            export: None,
            focused_dialog: None,
            _keys: Some(keys),
            _hash: Some(hash),
            _message: embed::listen(ctx),
        };
        // A lesson's link waits for the lessons' text (`lesson_text`); any other opens now.
        if let Some(Msg::Share(Share::OpenHash(h))) =
            app.unless_waiting_for_lessons(ctx, Msg::Share(Share::OpenHash(files::location_hash())))
        {
            app.load_hash(&h);
        }
        if app.framed {
            // The embedding page hears the state as soon as the app is up.
            app.sync_address();
            app.post_status();
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let Some(msg) = self.unless_waiting_for_lessons(ctx, msg) else {
            return true;
        };
        // The presenter's spotlight serves one action or one question: doing something or moving
        // through the run ends it, so it never dims the node the next caption is about.
        if matches!(
            msg,
            Msg::Do(_)
                | Msg::Play(Play::Step | Play::Back | Play::Forward | Play::Seek(_) | Play::Toggle)
                | Msg::Guide(
                    Guide::Next | Guide::Prev | Guide::Open(_) | Guide::Exit | Guide::Resume | Guide::NextLesson
                )
        ) {
            self.spotlight = None;
        }
        let redraw = match msg {
            Msg::Play(p) => {
                self.on_play(ctx, p);
                true
            }
            Msg::Do(cmd) => {
                self.on_command(cmd);
                true
            }
            Msg::Reset(cfg, seed) => {
                self.reset(ctx, cfg, seed);
                true
            }
            Msg::Show(s) => self.on_show(s),
            Msg::Guide(g) => {
                self.on_guide(ctx, g);
                true
            }
            Msg::Share(s) => {
                self.on_share(ctx, s);
                true
            }
            Msg::Explore(e) => {
                self.on_explore(ctx, e);
                true
            }
            Msg::Predict(p) => {
                self.on_predict(p);
                true
            }
            Msg::Author(a) => {
                self.on_author(ctx, a);
                true
            }
            Msg::Embed(e) => {
                self.on_embed(ctx, e);
                true
            }
            Msg::Export(e) => {
                self.on_export(ctx, e);
                true
            }
            Msg::Key(e) => self.key(ctx, e),
        };
        self.note_lesson_progress();
        // The address holds the run on screen from the same turn, so a link copied right after a
        // key press holds that step; a link waiting for the lessons' text stays until it opens.
        if !self.link_waits() {
            self.sync_address();
        }
        self.post_status();
        redraw
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        self.drawn = Some(self.frame());
        self.measure_canvas(ctx);
        self.focus_new_dialog();
        let to_top = std::mem::take(&mut self.side_to_top);
        let now = (self.session.cursor(), self.poll.question.is_some());
        // An open question still comes first: it is what the student must read next.
        if std::mem::take(&mut self.side_head) && !now.1 {
            self.narrated = Some(now);
            if let Some(side) = find_html(".side") {
                side.set_scroll_top(0);
            }
        } else if to_top || self.narrated != Some(now) {
            // Answered: the question before had the panel scrolled to it.
            let answered = self.narrated.is_some_and(|(_, asked)| asked) && !now.1;
            self.narrated = Some(now);
            narration_in_view(to_top, now.1, answered);
        }
        if self.spacetime {
            // Keep the current step's row in view, as a scrubber would.
            let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("st-scroll"));
            if let Some(el) = el {
                // The drawing is zoomed in presenter mode (see `.app.presenter .spacetime-svg`).
                let zoom = if self.presenter { spacetime::PRESENTER_ZOOM } else { 1.0 };
                let y = self.session.cursor() as f64 * spacetime::ROW * zoom;
                let h = el.client_height() as f64;
                let top = el.scroll_top() as f64;
                if y < top + 20.0 || y > top + h - 20.0 {
                    el.set_scroll_top((y - h / 2.0).max(0.0) as i32);
                }
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let send = &ctx.link().callback(|m: Msg| m);
        let s = &self.session;
        let step_ms = match (&self.beat_timer, s.playing) {
            (Some((_, ms)), _) => f64::from(*ms),
            (None, true) => s.step_ms(),
            (None, false) => 600.0 / s.speed_factor().max(1.0),
        };
        let style = format!("--step-ms: {}ms", super::format::int(step_ms));
        let follow = self.lesson.as_deref().map(|l| lessons::Follow {
            s,
            l,
            asking: self.poll.question.is_some(),
            beat_playing: self.beat_target.is_some(),
            student: &self.student,
        });
        // A lesson's own predict questions show even with predict mode off; the authoring panel
        // goes above them.
        let asking = (self.predict || self.poll.question.is_some()) && !self.presenter;
        let draft = self.draft.as_ref().filter(|_| self.authoring && !self.presenter);
        let extra = (asking || draft.is_some()).then(|| {
            html! { <>
                { draft.map(|d| author_panel::view(d, s, self.shared.as_ref(), send)).unwrap_or_default() }
                if asking { { predict_card::view(&self.poll, self.lesson.is_some(), send) } }
            </> }
        });
        if self.embed {
            return self.embed_view(follow.as_ref(), send);
        }
        html! {
            <div class={classes!("app", self.spacetime.then_some("with-drawer"), self.presenter.then_some("presenter"), self.theme.class())} style={style}>
                if self.presenter {
                    { presenter::header(s, follow.as_ref(), self.counterexample_title(), (self.top_menu == Some(TopMenu::Lessons), &self.done), send) }
                } else {
                    { topbar::view(&topbar::Bar { open: self.top_menu, lesson: self.lesson.as_deref(), config: self.session.timeline().config(),
                        presenter: self.presenter, predict: self.predict, dark: self.theme == Theme::Dark, done: &self.done }, send) }
                }
                { self.notice_view(send) }
                <main class="stage">
                    <section class={classes!("canvas", s.world().log().is_some().then_some("with-log"))} aria-label="The cluster">
                        <div class={self.board_class()}>
                            { self.canvas_view(send) }
                        </div>
                        { log_grid::view(s.world()) }
                    </section>
                    if !self.presenter { { side::view(s, follow.as_ref(), extra, self.explore_card(send), self.log_hidden(), send) } }
                </main>
                if self.presenter { { presenter::strip(s, follow.as_ref(), &self.poll, self.spotlight, self.counterexample_intro().as_deref(), send) } }
                if self.spacetime { { spacetime::view(s, self.hover, send) } }
                if !self.presenter { { controls::view(s, self.lesson.is_none() && self.on_counterexample().is_none(), self.predict || self.lesson.is_some(), send) } }
                if self.explorer_open { { explorer::view(self.session.timeline().config(), self.explore.as_ref(), send) } }
                if self.metrics_open { { metrics::view(&self.session.run_stats(), self.across(), send) } }
                if self.help { { help::view(send) } }
                if let Some(rows) = &self.grades { { grades::view(rows, send) } }
                { self.export_dialog(send) }
            </div>
        }
    }
}

impl App {
    /// The notice, unless it is about another step than the one on screen.
    fn notice_view(&self, send: &Callback<Msg>) -> Html {
        let Some(n) = self.notice.as_ref().filter(|n| n.at.is_none_or(|at| at == self.session.cursor())) else {
            return Html::default();
        };
        html! {
            <div class={classes!("notice", n.news.then_some("news"))} role={if n.news { "status" } else { "alert" }} data-testid="notice">
                <span>{&n.text}</span>
                <button class="ghost" onclick={on(send, || Msg::Show(Show::DismissNotice))} aria-label="Dismiss">{"✕"}</button>
            </div>
        }
    }

    fn export_dialog(&self, send: &Callback<Msg>) -> Html {
        let Some(d) = &self.export else { return Html::default() };
        let v = export_view::View {
            unit: d.unit,
            from: d.from,
            to: d.to,
            hold: d.hold,
            progress: d.recording.as_ref().map(|r| (r.done, r.total)),
            status: d.status.as_deref(),
            steps: self.session.len(),
            beats: self.lesson.as_deref().map(|l| l.beats.len()),
        };
        export_view::view(&v, send)
    }

    /// The embedded page: the canvas, then the words and the step controls.
    fn embed_view(&self, follow: Option<&lessons::Follow>, send: &Callback<Msg>) -> Html {
        let full = self.last_hash.split('&').filter(|f| *f != "embed").collect::<Vec<_>>().join("&");
        let strip = embed_view::Strip {
            follow,
            playing: self.session.playing || self.beat_target.is_some(),
            full: format!("./#{full}"),
        };
        html! {
            <div class={classes!("app", "embed", self.presenter.then_some("presenter"), self.theme.class())}>
                { self.notice_view(send) }
                <main class="stage">
                    <section class="canvas" aria-label="The cluster">
                        <div class={self.board_class()}>{ self.canvas_view(send) }</div>
                    </section>
                </main>
                { embed_view::view(&self.session, &strip, send) }
            </div>
        }
    }
}

/// The page's first element that `selector` matches, as an HTML element.
fn find_html(selector: &str) -> Option<web_sys::HtmlElement> {
    let doc = web_sys::window().and_then(|w| w.document())?;
    doc.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Brings the side panel's narration into view after the step changes (after a pause for harm,
/// from the panel's top, so the safety verdict shows too). Where the panel sits under the canvas
/// (a tablet) it is short, and what stands above the narration (a lesson's card, the author's
/// panel) can push the words about the step on screen out of sight: the panel then scrolls just
/// enough to show them, never past their top nor past the top of a lesson's caption, which is
/// what the step is about. An open predict question (`asking`) is what the student must read
/// next instead: the panel scrolls to it, or Step seemed to do nothing on a tablet, the question
/// below the panel's edge, and the next press skipped it unseen. Once it is `answered`, the
/// lesson's beat number and caption stay in view with the answer (or come back, when the
/// question's scroll pushed them above the panel's top).
fn narration_in_view(to_top: bool, asking: bool, answered: bool) {
    let doc = web_sys::window().and_then(|w| w.document());
    let find = |sel: &str| doc.as_ref().and_then(|d| d.query_selector(sel).ok().flatten());
    let target = if asking { ".side [data-testid=predict-card]" } else { ".side [data-testid=narration]" };
    let (Some(side), Some(words)) = (find(".side"), find(target)) else { return };
    if to_top {
        side.set_scroll_top(0);
    }
    let (panel, n) = (side.get_bounding_client_rect(), words.get_bounding_client_rect());
    let top_of = |r: web_sys::DomRect| r.top() - panel.top() - 4.0;
    // Just answered, the beat's number stays with its caption and the answer: scrolled past
    // it, the student lost their place in the lesson.
    let head = find(".side [data-testid=lesson-progress]").filter(|_| answered);
    if let Some(above) = head.as_ref().map(|h| top_of(h.get_bounding_client_rect())).filter(|t| *t < 0.0) {
        side.set_scroll_top(side.scroll_top() + above.floor() as i32);
        return;
    }
    let bottom = panel.top() + f64::from(side.client_top() + side.client_height());
    let below = n.bottom() - bottom;
    if below > 0.0 {
        let limit = if answered { head } else { find(".side [data-testid=caption]") };
        let caption = limit.filter(|_| !asking).map_or(f64::INFINITY, |c| top_of(c.get_bounding_client_rect()));
        let room = top_of(n).min(caption);
        side.set_scroll_top(side.scroll_top() + below.min(room).max(0.0).ceil() as i32);
    }
}

/// Mounts the app on `<body>`. A panic aborts the browser build at once, with no hook to run:
/// index.html's handler shows the banner when the trap reaches the page.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
