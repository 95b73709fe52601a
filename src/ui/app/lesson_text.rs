//! The built-in lessons' text arrives on first use (`sim::lessons::load`): a message that needs
//! it waits, with a notice, while it is fetched, and then runs as if it had just been sent.

use super::promise::{then, words};
use super::{alert, news, App};
use crate::sim::lessons;
use crate::sim::link::Link;
use crate::ui::embed::Field;
use crate::ui::files;
use crate::ui::msg::{Embed, Guide, Msg, Share};
use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// Fetches `builtin.txt` of this build beside the page; the single-file build, which cannot
/// fetch from file://, leaves the text in `window.paxoscopeLessons` instead.
const FETCH: &str = "return window.paxoscopeLessons !== undefined ? Promise.resolve(window.paxoscopeLessons) \
    : fetch(new URL('builtin.txt?v=' + v, document.baseURI)).then((r) => r.ok ? r.text() \
    : Promise.reject(new Error('the server answered ' + r.status)))";

/// Whether the address `hash` (with or without `#`) opens a built-in lesson.
pub(super) fn names_lesson(hash: &str) -> bool {
    Link::parse(hash).is_ok_and(|l| l.lesson.is_some() && l.authored.is_none())
}

/// Whether `msg` builds a built-in lesson, and the message as it should wait if so.
fn needs_lessons(msg: Msg) -> (bool, Msg) {
    let needs = match &msg {
        Msg::Guide(Guide::Open(_) | Guide::NextLesson) => true,
        // The address is read now: the app rewrites it with every step while the text loads.
        Msg::Share(Share::HashChanged) => {
            let h = files::location_hash();
            return if names_lesson(&h) { (true, Msg::Share(Share::OpenHash(h))) } else { (false, msg) };
        }
        Msg::Share(Share::OpenHash(h)) => names_lesson(h),
        // A load request; anything else it asks does not build a lesson.
        Msg::Embed(Embed::Message { message: Ok(m), .. }) => matches!(&m.link, Some(Field::Text(l)) if names_lesson(l)),
        _ => false,
    };
    (needs, msg)
}

impl App {
    /// Hands `msg` back when it can run now; keeps it (the latest such wins) and fetches the
    /// lessons when it needs them first.
    pub(super) fn unless_waiting_for_lessons(&mut self, ctx: &Context<Self>, msg: Msg) -> Option<Msg> {
        if lessons::loaded() {
            return Some(msg);
        }
        let (needs, msg) = needs_lessons(msg);
        if !needs {
            return Some(msg);
        }
        // The menu a lesson was picked from closes at once, as it does when nothing waits; a
        // link shows as it asks (presenter mode, embedded) while it waits, so a projector does
        // not flash the full page first.
        self.top_menu = None;
        if let Some(link) = match &msg {
            Msg::Share(Share::OpenHash(h)) => Link::parse(h).ok(),
            _ => None,
        } {
            self.presenter = link.presenter;
            self.embed |= link.embed;
        }
        if self.waiting_for_lessons.replace(msg).is_none() {
            self.notice = news("Loading the lessons…");
            fetch(ctx);
        }
        None
    }

    /// Whether a link waits for the lessons' text (the address keeps it meanwhile).
    pub(super) fn link_waits(&self) -> bool {
        matches!(self.waiting_for_lessons, Some(Msg::Share(Share::OpenHash(_))))
    }

    /// The fetch settled: the waiting message runs, or the notice says why it cannot.
    pub(super) fn lessons_arrived(&mut self, ctx: &Context<Self>, text: Result<String, String>) {
        let link_waited = self.link_waits();
        let waiting = self.waiting_for_lessons.take();
        match text.and_then(lessons::load) {
            Ok(()) => {
                self.notice = None;
                // Run now, not queued: this very update must not write the address of the run
                // on screen over the link that waited.
                if let Some(m) = waiting {
                    Component::update(self, ctx, m);
                }
            }
            // The link stays in the address bar (the run on screen is still free play's first
            // step), so reloading the page tries again.
            Err(e) if link_waited => {
                self.last_hash = self.address();
                self.notice = alert(format!(
                    "The lessons could not be loaded ({e}), so this link's lesson cannot open: the app shows free play instead. Reload the page to try again."
                ));
            }
            Err(e) => self.notice = alert(format!("The lessons could not be loaded ({e}); nothing was changed.")),
        }
    }
}

fn fetch(ctx: &Context<App>) {
    let arrived = |r| Msg::Guide(Guide::Arrived(r));
    let p = match Function::new_with_args("v", FETCH).call1(&JsValue::NULL, &lessons::DATA_VERSION.into()) {
        Ok(p) => p,
        Err(e) => return ctx.link().send_message(arrived(Err(words(&e)))),
    };
    let (a, b) = (ctx.link().clone(), ctx.link().clone());
    let ok = Closure::once_into_js(move |v: JsValue| {
        a.send_message(arrived(v.as_string().ok_or_else(|| "the file is not text".to_string())))
    });
    let err = Closure::once_into_js(move |e: JsValue| b.send_message(arrived(Err(words(&e)))));
    then(&p, &ok, &err);
}
