//! The root component: owns the session, turns user intent into `Command`s, and lays out the page.
//! Its parts: `input` (keys, play, predict), `sharing` (links, lessons, files), `explore` (the
//! explorer's run).

mod explore;
mod input;
mod sharing;

pub use explore::ExploreRun;

use super::components::{
    cluster, controls, explorer, help, lessons, menu, metrics, predict as predict_card, presenter, side, spacetime,
    topbar,
};
use super::files;
use super::predict::Question;
use super::prefs::{self, Theme};
use super::session::Session;
use crate::paxos::NodeId;
use crate::sim::explore::Bounds;
use crate::sim::lessons::Lesson;
use crate::sim::{Command, Config, MsgId};
use gloo_timers::callback::{Interval, Timeout};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What a click on the canvas opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// Actions for a node.
    Node(NodeId),
    /// Actions for a message in flight.
    Message(MsgId),
}

/// Everything the page can ask the root to do.
pub enum Msg {
    /// Apply the next event (or redo).
    Step,
    /// Undo one step.
    Back,
    /// Redo one step.
    Forward,
    /// Start or stop auto-play.
    TogglePlay,
    /// Auto-play timer fired.
    PlayTick,
    /// Speed up.
    Faster,
    /// Slow down.
    Slower,
    /// Set the speed index.
    SetSpeed(usize),
    /// Jump to a step.
    Seek(usize),
    /// Apply a world command (forks in the past).
    Do(Command),
    /// Start over with this config and seed.
    Reset(Config, u64),
    /// Open a menu.
    Open(Menu),
    /// Close any menu.
    CloseMenu,
    /// Show or hide the shortcut overlay.
    ToggleHelp,
    /// A key went down anywhere.
    Key(KeyboardEvent),
    /// Show a message to the user.
    Notice(String),
    /// Hide the message.
    DismissNotice,
    /// Open a lesson from the start.
    OpenLesson(String),
    /// Leave the lesson (keep the run).
    ExitLesson,
    /// Rebuild the lesson's script up to the step where the student left it.
    ResumeLesson,
    /// Show or hide a top-bar menu.
    ToggleTopMenu(TopMenu),
    /// Download the trace JSON.
    ExportTrace,
    /// Import a trace file.
    ImportFile(web_sys::File),
    /// Import trace text (after the file is read).
    ImportText(Result<String, String>),
    /// Download the cluster as SVG.
    ExportSvg,
    /// Download the cluster as PNG.
    ExportPng,
    /// Copy the share link to the clipboard (or show it).
    CopyLink,
    /// The URL hash changed outside the app (a pasted link).
    HashChanged,
    /// Show or hide the space-time diagram.
    ToggleSpaceTime,
    /// Download the space-time diagram as SVG.
    ExportDiagram,
    /// The pointer is over a message (on the canvas or in the diagram), or left it.
    Hover(Option<MsgId>),
    /// Show or hide the explorer.
    ToggleExplorer,
    /// Start a search with these bounds on the current config.
    ExploreStart(Bounds),
    /// Run the next slice of the search.
    ExploreSlice,
    /// Stop the search.
    ExploreCancel,
    /// Load the counterexample into the timeline and play it.
    LoadCounterexample,
    /// Enter or leave presenter mode.
    TogglePresenter,
    /// Enter or leave full screen.
    ToggleFullscreen,
    /// Switch between the light and dark themes.
    ToggleTheme,
    /// Turn predict mode on or off.
    TogglePredict,
    /// The student picked choice `i` of the question.
    Answer(usize),
    /// Skip the question and just step.
    SkipQuestion,
    /// Show or hide the metrics.
    ToggleMetrics,
    /// Run the metrics experiment.
    RunExperiment,
}

/// What the presenter's spotlight is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spot {
    /// A node and its messages.
    Node(NodeId),
    /// A message and its two ends.
    Message(MsgId),
}

/// The drop-down menus of the top bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopMenu {
    /// The lesson list.
    Lessons,
    /// Share, export and import.
    Share,
}

/// The root component.
pub struct App {
    session: Session,
    lesson: Option<Rc<Lesson>>,
    menu: Option<Menu>,
    top_menu: Option<TopMenu>,
    help: bool,
    notice: Option<String>,
    interval: Option<Interval>,
    last_hash: String,
    spacetime: bool,
    hover: Option<MsgId>,
    explorer_open: bool,
    explore: Option<ExploreRun>,
    slice: Option<Timeout>,
    theme: Theme,
    presenter: bool,
    spotlight: Option<Spot>,
    predict: bool,
    question: Option<Question>,
    feedback: Option<(bool, String)>,
    score: (u32, u32),
    metrics_open: bool,
    experiment: Option<metrics::Experiment>,
    side_to_top: bool,
    _keys: Option<Closure<dyn Fn(KeyboardEvent)>>,
    _hash: Option<Closure<dyn Fn()>>,
}

/// Default seed for a new visitor.
pub const DEFAULT_SEED: u64 = 42;

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let keys = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| link.send_message(Msg::Key(e)));
        let link = ctx.link().clone();
        let hash = Closure::<dyn Fn()>::new(move || link.send_message(Msg::HashChanged));
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
            let _ = w.add_event_listener_with_callback("hashchange", hash.as_ref().unchecked_ref());
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
            explorer_open: false,
            explore: None,
            slice: None,
            theme: prefs::load_theme(),
            presenter: false,
            spotlight: None,
            predict: false,
            question: None,
            feedback: None,
            score: (0, 0),
            metrics_open: false,
            experiment: None,
            side_to_top: false,
            _keys: Some(keys),
            _hash: Some(hash),
        };
        app.load_hash(&files::location_hash());
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Step => {
                if !self.ask_first(ctx) {
                    if let Err(e) = self.session.step() {
                        self.notice = Some(e);
                    }
                    self.feedback = None;
                }
            }
            Msg::Back => {
                self.question = None;
                self.session.back();
            }
            Msg::Forward => {
                if self.session.cursor() < self.session.len() && !self.ask_first(ctx) {
                    self.session.forward();
                    self.feedback = None;
                }
            }
            Msg::TogglePlay => {
                self.session.playing = !self.session.playing && self.session.can_step();
                if !self.session.can_step() {
                    self.notice =
                        Some("Nothing is in flight and no timer is running: ask a client for a value first.".into());
                }
                self.restart_timer(ctx);
            }
            Msg::PlayTick => {
                if self.session.playing {
                    if self.ask_first(ctx) {
                        // A question paused the play.
                    } else if self.session.can_step() {
                        let _ = self.session.step();
                        self.feedback = None;
                        if self.session.narration().is_some_and(|n| n.violated) {
                            // Stop where safety broke, so the moment is not played past.
                            self.session.playing = false;
                            self.restart_timer(ctx);
                            self.side_to_top = true;
                            self.notice = Some("Paused: safety broke at this step. The safety panel says how.".into());
                        }
                    } else {
                        self.session.playing = false;
                        self.restart_timer(ctx);
                    }
                }
            }
            Msg::Faster => {
                self.session.faster();
                self.restart_timer(ctx);
            }
            Msg::Slower => {
                self.session.slower();
                self.restart_timer(ctx);
            }
            Msg::SetSpeed(i) => {
                self.session.speed = i.min(super::session::SPEEDS.len() - 1);
                self.restart_timer(ctx);
            }
            Msg::Seek(n) => self.session.seek(n),
            Msg::Do(cmd) => {
                self.menu = None;
                match self.session.apply(cmd) {
                    Ok(()) => self.notice = None,
                    Err(e) => self.notice = Some(e),
                }
            }
            Msg::Reset(cfg, seed) => match Session::new(cfg, seed) {
                Ok(s) => {
                    self.session = s;
                    self.menu = None;
                    self.notice = None;
                    self.restart_timer(ctx);
                }
                Err(e) => self.notice = Some(e),
            },
            Msg::Open(m) => {
                self.menu = if self.menu == Some(m) { None } else { Some(m) };
                if self.presenter {
                    self.spotlight = self.menu.map(|m| match m {
                        Menu::Node(n) => Spot::Node(n),
                        Menu::Message(id) => Spot::Message(id),
                    });
                }
            }
            Msg::CloseMenu => {
                self.menu = None;
                self.spotlight = None;
            }
            Msg::ToggleHelp => self.help = !self.help,
            Msg::Key(e) => return self.key(ctx, e),
            Msg::Notice(s) => self.notice = Some(s),
            Msg::DismissNotice => self.notice = None,
            Msg::OpenLesson(id) => {
                self.top_menu = None;
                self.open_lesson(&id, 0);
                self.restart_timer(ctx);
            }
            Msg::ExitLesson => self.lesson = None,
            Msg::ResumeLesson => {
                if let Some(l) = self.lesson.clone() {
                    let at = lessons::on_script_steps(&self.session, &l);
                    self.open_lesson(l.id, at);
                }
            }
            Msg::ToggleTopMenu(m) => self.top_menu = if self.top_menu == Some(m) { None } else { Some(m) },
            Msg::ExportTrace => self.export_trace(),
            Msg::ImportFile(file) => self.import_file(ctx, file),
            Msg::ImportText(r) => self.import_text(ctx, r),
            Msg::ExportSvg => {
                self.top_menu = None;
                if let Err(e) = files::export_svg("paxoscope.svg") {
                    self.notice = Some(format!("Export failed: {e}"));
                }
            }
            Msg::ExportPng => {
                self.top_menu = None;
                let link = ctx.link().clone();
                files::export_png("paxoscope.png", move |r| {
                    if let Err(e) = r {
                        link.send_message(Msg::Notice(format!("Export failed: {e}")));
                    }
                });
            }
            Msg::CopyLink => self.copy_link(),
            Msg::ToggleSpaceTime => self.spacetime = !self.spacetime,
            Msg::ExportDiagram => {
                if let Err(e) = files::export_svg_of("svg.spacetime-svg", "paxoscope-spacetime.svg") {
                    self.notice = Some(format!("Export failed: {e}"));
                }
            }
            Msg::Hover(h) => {
                if self.hover == h {
                    return false;
                }
                self.hover = h;
            }
            Msg::ToggleExplorer => {
                self.explorer_open = !self.explorer_open;
                self.top_menu = None;
            }
            Msg::ExploreStart(bounds) => self.explore_start(ctx, bounds),
            Msg::ExploreSlice => self.explore_slice(ctx),
            Msg::ExploreCancel => self.explore_cancel(),
            Msg::LoadCounterexample => self.load_counterexample(ctx),
            Msg::TogglePresenter => {
                self.presenter = !self.presenter;
                self.spotlight = None;
            }
            Msg::ToggleFullscreen => prefs::toggle_fullscreen(),
            Msg::ToggleTheme => {
                self.theme = self.theme.toggled();
                prefs::save_theme(self.theme);
            }
            Msg::TogglePredict => {
                self.predict = !self.predict;
                self.question = None;
                self.feedback = None;
            }
            Msg::Answer(i) => self.answer(i),
            Msg::SkipQuestion => {
                if self.question.take().is_some() {
                    self.feedback = None;
                    self.take_step();
                }
            }
            Msg::ToggleMetrics => self.metrics_open = !self.metrics_open,
            Msg::RunExperiment => self.run_experiment(),
            Msg::HashChanged => {
                let h = files::location_hash();
                if h != self.last_hash {
                    self.load_hash(&h);
                    self.restart_timer(ctx);
                }
            }
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        if std::mem::take(&mut self.side_to_top) {
            // Bring the narration and the safety verdict back into view.
            if let Some(side) =
                web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(".side").ok().flatten())
            {
                side.set_scroll_top(0);
            }
        }
        if self.spacetime {
            // Keep the current step's row in view, as a scrubber would.
            let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("st-scroll"));
            if let Some(el) = el {
                let y = self.session.cursor() as f64 * spacetime::ROW;
                let h = el.client_height() as f64;
                let top = el.scroll_top() as f64;
                if y < top + 20.0 || y > top + h - 20.0 {
                    el.set_scroll_top((y - h / 2.0).max(0.0) as i32);
                }
            }
        }
        // The address always holds the run on screen, so a reload or a shared link loses nothing.
        let h = self.session.link(self.lesson.as_ref().map(|l| l.id)).to_hash();
        if h != self.last_hash {
            files::set_location_hash(&h);
            self.last_hash = h;
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let s = &self.session;
        let step_ms = if s.playing { s.step_ms() } else { 600.0 / s.speed_factor().max(1.0) };
        let style = format!("--step-ms: {}ms", super::format::int(step_ms));
        html! {
            <div class={classes!("app", self.spacetime.then_some("with-drawer"), self.presenter.then_some("presenter"), self.theme.class())} style={style}>
                { topbar::view(&topbar::Bar { open: self.top_menu, lesson: self.lesson.as_deref(), config: self.session.timeline().config(),
                    presenter: self.presenter, predict: self.predict, dark: self.theme == Theme::Dark }, link) }
                if let Some(n) = &self.notice {
                    <div class="notice" role="alert" data-testid="notice">
                        <span>{n}</span>
                        <button class="ghost" onclick={link.callback(|_| Msg::DismissNotice)} aria-label="Dismiss">{"✕"}</button>
                    </div>
                }
                <main class="stage">
                    <section class="canvas" aria-label="The cluster">
                        <div class="board">
                            { cluster::view(s, self.menu, self.lesson.as_deref(), self.hover, self.spotlight, link) }
                            { menu::view(s, self.menu, link) }
                        </div>

                    </section>
                    { side::view(s, self.lesson.as_deref(),
                        self.predict.then(|| predict_card::view(self.question.as_ref(), self.feedback.as_ref(), self.score, link)), link) }
                </main>
                if self.presenter { { presenter::view(s, self.lesson.as_deref(), self.question.as_ref(), link) } }
                if self.spacetime { { spacetime::view(s, self.hover, link) } }
                { controls::view(s, link) }
                if self.explorer_open { { explorer::view(self.session.timeline().config(), self.explore.as_ref(), link) } }
                if self.metrics_open { { metrics::view(&self.session.run_stats(), self.experiment.as_ref(), link) } }
                if self.help { { help::view(link) } }
            </div>
        }
    }
}

/// Installs the panic banner and mounts the app on `<body>`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let text = format!("Paxoscope hit an internal error and stopped: {info}. Reload the page to start again.");
        web_sys::console::error_1(&text.clone().into());
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Ok(el) = doc.create_element("div") {
                el.set_class_name("panic-banner");
                el.set_attribute("role", "alert").ok();
                el.set_attribute("data-testid", "panic").ok();
                el.set_text_content(Some(&text));
                if let Some(body) = doc.body() {
                    let _ = body.prepend_with_node_1(&el);
                }
            }
        }
    }));
    yew::Renderer::<App>::new().render();
}
