//! The root component: owns the session, turns user intent into `Command`s, and lays out the page.

use super::components::{banner, cluster, controls, help, menu, side};
use super::session::Session;
use crate::paxos::NodeId;
use crate::sim::{Command, Config, MsgId};
use gloo_timers::callback::Interval;
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
}

/// The root component.
pub struct App {
    session: Session,
    menu: Option<Menu>,
    help: bool,
    notice: Option<String>,
    interval: Option<Interval>,
    _keys: Option<Closure<dyn Fn(KeyboardEvent)>>,
}

/// Default seed for a new visitor.
pub const DEFAULT_SEED: u64 = 42;

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let keys = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| link.send_message(Msg::Key(e)));
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
        }
        let session = Session::new(Config::default(), DEFAULT_SEED).expect("the default config is valid");
        App { session, menu: None, help: false, notice: None, interval: None, _keys: Some(keys) }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Step => {
                if let Err(e) = self.session.step() {
                    self.notice = Some(e);
                }
            }
            Msg::Back => {
                self.session.back();
            }
            Msg::Forward => {
                self.session.forward();
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
                    if self.session.can_step() {
                        let _ = self.session.step();
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
            Msg::Open(m) => self.menu = if self.menu == Some(m) { None } else { Some(m) },
            Msg::CloseMenu => self.menu = None,
            Msg::ToggleHelp => self.help = !self.help,
            Msg::Key(e) => return self.key(ctx, e),
            Msg::Notice(s) => self.notice = Some(s),
            Msg::DismissNotice => self.notice = None,
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let s = &self.session;
        let step_ms = if s.playing { s.step_ms() } else { 600.0 / s.speed_factor().max(1.0) };
        let style = format!("--step-ms: {step_ms:.0}ms");
        html! {
            <div class="app" style={style}>
                <header class="topbar">
                    <h1 class="brand">{"Paxoscope"}</h1>
                    <span class="tagline">{"Single-decree Paxos, one message at a time"}</span>
                    <span class="spacer" />
                    <button class="ghost" data-testid="help" onclick={link.callback(|_| Msg::ToggleHelp)} aria-label="Keyboard shortcuts">{"? Help"}</button>
                </header>
                if let Some(n) = &self.notice {
                    <div class="notice" role="alert" data-testid="notice">
                        <span>{n}</span>
                        <button class="ghost" onclick={link.callback(|_| Msg::DismissNotice)} aria-label="Dismiss">{"✕"}</button>
                    </div>
                }
                <main class="stage">
                    <section class="canvas" aria-label="The cluster">
                        { banner::view(s) }
                        <div class="board">
                            { cluster::view(s, self.menu, link) }
                            { menu::view(s, self.menu, link) }
                        </div>
                    </section>
                    { side::view(s, link) }
                </main>
                { controls::view(s, link) }
                if self.help { { help::view(link) } }
            </div>
        }
    }
}

impl App {
    fn restart_timer(&mut self, ctx: &Context<Self>) {
        self.interval = None;
        if self.session.playing {
            let link = ctx.link().clone();
            let ms = self.session.step_ms().round() as u32;
            self.interval = Some(Interval::new(ms, move || link.send_message(Msg::PlayTick)));
        }
    }

    /// Keyboard shortcuts; ignored while typing in a field.
    fn key(&mut self, ctx: &Context<Self>, e: KeyboardEvent) -> bool {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
            .unwrap_or(false);
        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return false;
        }
        let msg = match e.key().as_str() {
            "ArrowRight" => Msg::Step,
            "ArrowLeft" => Msg::Back,
            " " => Msg::TogglePlay,
            "+" | "=" => Msg::Faster,
            "-" | "_" => Msg::Slower,
            "?" => Msg::ToggleHelp,
            "Escape" => {
                self.help = false;
                Msg::CloseMenu
            }
            _ => return false,
        };
        e.prevent_default();
        <Self as Component>::update(self, ctx, msg)
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
