//! Getting runs in and out of the app: share links in the address, lessons, trace files, and the
//! clipboard. Bad input leaves the session as it was and says why.

use super::{App, Msg};
use crate::sim::link::Link;
use crate::sim::TraceFile;
use crate::ui::files;
use crate::ui::session::Session;
use std::rc::Rc;
use yew::prelude::*;

impl App {
    /// Downloads everything recorded as a trace file.
    pub(super) fn export_trace(&mut self) {
        self.top_menu = None;
        let json = self.session.trace().to_json_compact();
        if let Err(e) = files::download_text("paxoscope-trace.json", "application/json", &json) {
            self.notice = Some(format!("Export failed: {e}"));
        }
    }

    /// Reads a chosen trace file (refusing huge ones before reading).
    pub(super) fn import_file(&mut self, ctx: &Context<Self>, file: web_sys::File) {
        self.top_menu = None;
        let link = ctx.link().clone();
        files::read_text(file, crate::sim::trace::MAX_BYTES as f64, move |r| link.send_message(Msg::ImportText(r)));
    }

    /// Replays an imported trace; any mismatch leaves the current run untouched.
    pub(super) fn import_text(&mut self, ctx: &Context<Self>, r: Result<String, String>) {
        match r.and_then(|text| TraceFile::parse(&text)).and_then(|t| Session::from_trace(&t)) {
            Ok(s) => {
                self.session = s;
                self.lesson = None;
                self.notice = Some(format!("Imported a trace of {} steps; every event matched.", self.session.len()));
            }
            Err(e) => self.notice = Some(format!("Import refused, nothing changed: {e}")),
        }
        self.restart_timer(ctx);
    }

    /// Puts the address of this exact step in the clipboard.
    pub(super) fn copy_link(&mut self) {
        self.top_menu = None;
        let url = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let copied = web_sys::window()
            .map(|w| w.navigator().clipboard())
            .map(|c| {
                let _ = c.write_text(&url);
            })
            .is_some();
        self.notice = Some(if copied {
            "The link to this exact step is in your clipboard (it is also the page's address).".into()
        } else {
            format!("Share this address: {url}")
        });
    }

    /// Loads a lesson: its whole script is recorded as the future, and the view moves to `at`.
    pub(super) fn open_lesson(&mut self, id: &str, at: usize) {
        match crate::sim::lessons::build(id).and_then(|l| {
            Session::from_commands(l.config.clone(), l.seed, &l.commands, at.min(l.commands.len())).map(|s| (l, s))
        }) {
            Ok((l, s)) => {
                self.session = s;
                self.lesson = Some(Rc::new(l));
                self.menu = None;
                self.notice = None;
            }
            Err(e) => self.notice = Some(format!("The lesson could not be opened: {e}")),
        }
    }

    /// Opens whatever a share link describes; a damaged link leaves the session as it is.
    pub(super) fn load_hash(&mut self, hash: &str) {
        self.last_hash = hash.to_string();
        if hash.is_empty() {
            return;
        }
        let link = match Link::parse(hash) {
            Ok(l) => l,
            Err(e) => {
                self.notice = Some(format!("This link could not be opened ({e}); nothing was changed."));
                return;
            }
        };
        match (&link.lesson, link.commands.is_empty()) {
            (Some(id), true) => self.open_lesson(id, 0),
            _ => match Session::from_link(&link) {
                Ok(s) => {
                    self.session = s;
                    self.lesson =
                        link.lesson.as_deref().and_then(|id| crate::sim::lessons::build(id).ok()).map(Rc::new);
                    self.notice = None;
                }
                Err(e) => self.notice = Some(format!("This link could not be opened ({e}); nothing was changed.")),
            },
        }
    }
}
