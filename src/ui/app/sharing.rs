//! Getting runs in and out of the app: share links in the address, lessons, trace files, and the
//! clipboard. Bad input leaves the session as it was and says why.

use super::App;
use crate::sim::link::Link;
use crate::sim::TraceFile;
use crate::ui::files;
use crate::ui::msg::{Msg, Share, Show};
use crate::ui::session::Session;
use std::rc::Rc;
use yew::prelude::*;

impl App {
    pub(super) fn on_share(&mut self, ctx: &Context<Self>, s: Share) {
        match s {
            Share::ExportTrace => self.export_trace(),
            Share::ImportFile(file) => self.import_file(ctx, file),
            Share::ImportText(r) => self.import_text(ctx, r),
            Share::ExportSvg => {
                self.top_menu = None;
                if let Err(e) = files::export_svg("paxoscope.svg") {
                    self.notice = Some(format!("Export failed: {e}"));
                }
            }
            Share::ExportPng => {
                self.top_menu = None;
                let link = ctx.link().clone();
                files::export_png("paxoscope.png", move |r| {
                    if let Err(e) = r {
                        link.send_message(Msg::Show(Show::Notice(format!("Export failed: {e}"))));
                    }
                });
            }
            Share::CopyLink => self.copy_link(),
            Share::HashChanged => {
                let h = files::location_hash();
                if h != self.last_hash {
                    self.load_hash(&h);
                    self.restart_timer(ctx);
                }
            }
            Share::ExportDiagram => {
                if let Err(e) = files::export_svg_of("svg.spacetime-svg", "paxoscope-spacetime.svg") {
                    self.notice = Some(format!("Export failed: {e}"));
                }
            }
        }
    }

    /// Keeps the address equal to the run on screen, so a reload or a shared link loses nothing.
    pub(super) fn sync_address(&mut self) {
        let h = self.session.link(self.lesson.as_ref().map(|l| l.id)).to_hash();
        if h != self.last_hash {
            files::set_location_hash(&h);
            self.last_hash = h;
        }
    }

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
        files::read_text(file, crate::sim::trace::MAX_BYTES as f64, move |r| {
            link.send_message(Msg::Share(Share::ImportText(r)))
        });
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
