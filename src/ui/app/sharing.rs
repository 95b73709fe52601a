//! Getting runs in and out of the app: share links in the address, lessons, trace files, and the
//! clipboard. Bad input leaves the session as it was and says why.

use super::App;
use super::{alert, news};
use crate::sim::authored::Authored;
use crate::sim::link::{Asked, Link};
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
                if let Err(e) = files::export_svg("paxoscope.svg", &self.picture_footer()) {
                    self.notice = alert(format!("Export failed: {e}"));
                }
            }
            Share::ExportPng => {
                self.top_menu = None;
                let link = ctx.link().clone();
                files::export_png("paxoscope.png", &self.picture_footer(), move |r| {
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
            Share::OpenHash(h) => {
                self.load_hash(&h);
                self.restart_timer(ctx);
            }
            Share::ExportDiagram => {
                if let Err(e) = files::export_svg_of("svg.spacetime-svg", "paxoscope-spacetime.svg") {
                    self.notice = alert(format!("Export failed: {e}"));
                }
            }
        }
    }

    /// The words under an exported picture: the step, and the lesson's caption or the narration.
    fn picture_footer(&self) -> String {
        let s = &self.session;
        let at = s.cursor();
        let words = self
            .lesson
            .as_deref()
            .filter(|l| !crate::ui::guide::place(s, l).off)
            .and_then(|l| l.beat_at(at).map(|(k, b)| format!("Lesson {}, beat {k}: {}", l.number, b.caption)))
            .or_else(|| s.narration().map(|n| n.text.clone()))
            .unwrap_or_default();
        format!("Step {at}. {words}")
    }

    /// Keeps the address equal to the run on screen, so a reload or a shared link loses nothing.
    /// A lesson followed as written is just its id and beat (or step).
    pub(super) fn sync_address(&mut self) {
        let h = self.address();
        if h != self.last_hash {
            files::set_location_hash(&h);
            self.last_hash = h;
        }
    }

    /// The address of what is on screen.
    pub(super) fn address(&self) -> String {
        let mut link = match &self.lesson {
            Some(l) if crate::ui::guide::future_is_script(&self.session, l) => {
                let cur = self.session.cursor();
                let beat = if cur == 0 { Some(0) } else { l.beat_at(cur).map(|(k, _)| k) };
                match &self.authored {
                    Some(code) => Link::of_authored(code, cur, beat),
                    None => Link::of_lesson(&l.id, cur, beat),
                }
            }
            _ => match &self.authored {
                Some(code) => Link { authored: Some(code.clone()), ..self.session.link(None) },
                None => self.session.link(self.lesson.as_ref().map(|l| l.id.as_str())),
            },
        };
        link.presenter = self.presenter;
        link.predict = self.predict;
        // An answer shows until the next step: the link holds it while it is on screen.
        let answered = self.poll.outcome.as_ref().filter(|o| o.at + 1 == self.session.cursor());
        link.ask = match (&self.poll.question, answered) {
            (Some(_), _) => Asked::Open,
            (None, Some(o)) => Asked::Answered(o.picked),
            (None, None) => Asked::No,
        };
        link.embed = self.embed;
        link.counterexample = self.on_counterexample().is_some();
        link.to_hash()
    }

    /// Downloads everything recorded as a trace file.
    pub(super) fn export_trace(&mut self) {
        self.top_menu = None;
        let json = self.session.trace().to_json_compact();
        if let Err(e) = files::download_text("paxoscope-trace.json", "application/json", &json) {
            self.notice = alert(format!("Export failed: {e}"));
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
        if let Some(text) = r.as_deref().ok().filter(|t| Authored::is_lesson_file(t)) {
            let opened = Authored::from_json(text).and_then(|(a, l)| self.open_authored(&a, l, None));
            if let Err(e) = opened {
                self.notice = alert(format!("This lesson file could not be opened ({e}); nothing was changed."));
            }
            return;
        }
        match r.and_then(|text| TraceFile::parse(&text)).and_then(|t| Session::from_trace(&t)) {
            Ok(s) => {
                self.session = s;
                self.lesson = None;
                self.authored = None;
                self.notice = news(format!("Imported a trace of {} steps; every event matched.", self.session.len()));
            }
            Err(e) => self.notice = alert(format!("Import refused, nothing changed: {e}")),
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
        self.notice = news(if copied {
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
        // A page opened on a bad link has nothing to keep: it says what it shows instead.
        let fresh = self.session.is_empty() && self.lesson.is_none();
        let unchanged = if fresh { "the app opens in free play instead" } else { "nothing was changed" };
        let link = match Link::parse(hash) {
            Ok(link) => link,
            Err(e) => return self.notice = alert(format!("This link could not be opened ({e}); {unchanged}.")),
        };
        let opened = self.open_link(&link);
        // Presenter mode and embedding are how the link is shown: a fresh page keeps them even
        // when what the link names cannot be opened.
        if opened.is_ok() || fresh {
            self.presenter = link.presenter;
            // Predict mode as the link has it: a reload, a prepared lecture and a shared
            // question keep it (it was dropped silently, the question with it).
            if self.predict != link.predict {
                self.predict = link.predict;
                self.poll.clear();
            }
            // Once embedded, always: the embedding page may load links without the flag.
            self.embed |= link.embed;
            self.spotlight = None;
        }
        match (opened.is_ok(), link.ask) {
            (true, Asked::Open) => self.ask_again(),
            (true, Asked::Answered(pick)) => self.answer_again(pick),
            (true, Asked::Unreadable) => {
                self.notice = alert("Part of this link could not be read: its q=, which says whether a question or its answer was showing (1, r, or r and the pick, as r2). The rest of it is open.")
            }
            (true, Asked::No) | (false, _) => {}
        }
        if let Err(e) = opened {
            // A reason that is a sentence of its own ends in a full stop: not inside the brackets.
            self.notice = alert(format!("This link could not be opened ({}); {unchanged}.", e.trim_end_matches('.')));
        }
    }

    /// Opens what a link describes: a lesson at a beat or a step, or a run (perhaps inside a
    /// lesson). Nothing changes on an error.
    pub(super) fn open_link(&mut self, link: &Link) -> Result<(), String> {
        if let (true, Some(id)) = (link.is_lesson_script(), &link.lesson) {
            let l = crate::sim::lessons::build(id)?;
            let at = match link.beat {
                Some(b) if b <= l.beats.len() => l.beat_end(b),
                Some(b) => return Err(format!("lesson {id:?} has {} beats, not {b}", l.beats.len())),
                None => link.cursor,
            };
            if at > l.commands.len() {
                return Err(format!("lesson {id:?} has {} steps, not {at}", l.commands.len()));
            }
            self.open_lesson(id, at);
            return Ok(());
        }
        let authored = link.authored.as_deref().map(Authored::from_link).transpose()?;
        if let (true, Some((a, l))) = (link.is_lesson_script(), &authored) {
            let at = match link.beat {
                Some(b) if b <= l.beats.len() => l.beat_end(b),
                Some(b) => return Err(format!("the lesson has {} beats, not {b}", l.beats.len())),
                None => link.cursor,
            };
            return self.open_authored(a, l.clone(), Some(at));
        }
        let s = Session::from_link(link)?;
        self.session = s;
        self.shared_cx = link.counterexample.then(|| (link.config.clone(), link.seed, link.commands.clone()));
        self.lesson = match authored {
            Some((_, l)) => Some(l),
            None => link.lesson.as_deref().and_then(|id| crate::sim::lessons::build(id).ok()),
        }
        .map(Rc::new);
        self.authored = link.authored.clone().filter(|_| self.lesson.is_some());
        // Outside presenter mode nothing else says what the run is (presenter mode's strip does).
        self.notice = self
            .shared_cx
            .as_ref()
            .filter(|_| !link.presenter)
            .and_then(|(_, _, c)| news(super::explore::shared_intro(self.session.timeline(), c.len())));
        Ok(())
    }
}
