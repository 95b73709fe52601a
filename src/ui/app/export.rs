//! Animated export in the browser: the dialog's state, and the recording, which `static/export.js`
//! does (loaded only when it is used). The recorder moves the app from step to step through
//! `Export::Goto`, the same seek the scrubber uses, and the app goes back where it was afterwards.

use super::promise::{then, words};
use super::App;
use crate::ui::export::{self, Unit, HOLDS};
use crate::ui::files;
use crate::ui::msg::{Export, Msg};
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// The dialog: the range, the hold, and the recording under way or the last outcome.
pub(crate) struct Dialog {
    pub unit: Unit,
    pub from: usize,
    pub to: usize,
    pub hold: usize,
    pub recording: Option<Recording>,
    /// The last outcome, or why the range cannot be exported.
    pub status: Option<String>,
}

/// A recording under way.
pub(crate) struct Recording {
    pub done: usize,
    pub total: usize,
    name: String,
    back_to: usize,
    handle: Option<JsValue>,
    cancelled: bool,
    _goto: Closure<dyn Fn(u32)>,
    _snapshot: Closure<dyn Fn() -> Result<JsValue, JsValue>>,
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &k.into(), v);
}

impl App {
    pub(super) fn on_export(&mut self, ctx: &Context<Self>, e: Export) {
        match e {
            Export::Open => self.toggle_export_dialog(),
            Export::Unit(u) => self.export_defaults(u),
            Export::From(n) => self.edit_export(|d| d.from = n),
            Export::To(n) => self.edit_export(|d| d.to = n),
            Export::Hold(i) => self.edit_export(|d| d.hold = i.min(HOLDS.len() - 1)),
            Export::Start => self.start_export(ctx),
            Export::Started(handle) => self.export_started(ctx, handle),
            Export::Goto(n) => {
                if let Some(r) = self.recording() {
                    // The recorder asks for each frame's step in turn: that is its progress.
                    r.done += 1;
                    self.session.seek(n);
                }
            }
            Export::Cancel => self.cancel_export(),
            Export::Finished(r) => self.export_finished(r),
        }
    }

    fn recording(&mut self) -> Option<&mut Recording> {
        self.export.as_mut().and_then(|d| d.recording.as_mut())
    }

    /// Opens the dialog on the whole run (or the whole lesson), or closes it when idle.
    fn toggle_export_dialog(&mut self) {
        self.top_menu = None;
        if self.export.as_ref().is_some_and(|d| d.recording.is_some()) {
            return;
        }
        if self.export.take().is_none() {
            self.close_dialogs();
            let beats = self.lesson.as_deref().is_some_and(|l| !crate::ui::guide::place(&self.session, l).off);
            self.export_defaults(if beats { Unit::Beats } else { Unit::Steps });
        }
    }

    fn export_defaults(&mut self, unit: Unit) {
        let (from, to) = match (unit, self.lesson.as_deref()) {
            (Unit::Beats, Some(l)) => (1, l.beats.len()),
            _ => (0, self.session.len().min(export::MAX_FRAMES - 1)),
        };
        let hold = self.export.as_ref().map_or(1, |d| d.hold);
        self.export = Some(Dialog { unit, from, to, hold, recording: None, status: None });
    }

    fn edit_export(&mut self, f: impl FnOnce(&mut Dialog)) {
        if let Some(d) = self.export.as_mut().filter(|d| d.recording.is_none()) {
            f(d);
            d.status = None;
        }
    }

    /// Checks the range, stops anything that moves the run, and loads and starts the recorder.
    fn start_export(&mut self, ctx: &Context<Self>) {
        let Some(d) = self.export.as_ref().filter(|d| d.recording.is_none()) else { return };
        let (unit, from, to, hold) = (d.unit, d.from, d.to, HOLDS[d.hold]);
        let shots = match export::shots(&self.session, self.lesson.as_deref(), unit, from, to) {
            Ok(s) => s,
            Err(e) => {
                if let Some(d) = self.export.as_mut() {
                    d.status = Some(e);
                }
                return;
            }
        };
        // Nothing else may move the run, and an open question must not hide words in the frames.
        self.pause(ctx);
        self.stop_beat();
        self.poll.clear();
        self.menu = None;
        let list = Array::new();
        for s in &shots {
            let o = Object::new();
            set(&o, "step", &(s.step as u32).into());
            set(&o, "label", &s.label.as_str().into());
            set(&o, "caption", &s.caption.as_str().into());
            list.push(&o);
        }
        let link = ctx.link().clone();
        let goto = Closure::<dyn Fn(u32)>::new(move |n: u32| link.send_message(Msg::Export(Export::Goto(n as usize))));
        let snapshot = Closure::<dyn Fn() -> Result<JsValue, JsValue>>::new(|| {
            files::frame_svg().map(JsValue::from).map_err(|e| js_sys::Error::new(&e).into())
        });
        let opts = Object::new();
        set(&opts, "shots", &list);
        set(&opts, "holdMs", &(hold * 1000.0).into());
        set(&opts, "goto", goto.as_ref());
        set(&opts, "snapshot", snapshot.as_ref());
        let what = match unit {
            Unit::Steps => "steps",
            Unit::Beats => "beats",
        };
        let prefix = self.lesson.as_deref().map_or("paxoscope".to_string(), |l| format!("paxoscope-{}", l.id));
        let recording = Recording {
            done: 0,
            total: shots.len(),
            name: format!("{prefix}-{what}-{from}-{to}.webm"),
            back_to: self.session.cursor(),
            handle: None,
            cancelled: false,
            _goto: goto,
            _snapshot: snapshot,
        };
        if let Some(d) = self.export.as_mut() {
            (d.recording, d.status) = (Some(recording), None);
        }
        load_and_record(ctx, opts);
    }

    fn export_started(&mut self, ctx: &Context<Self>, handle: JsValue) {
        let Some(r) = self.recording() else { return };
        if r.cancelled {
            cancel(&handle);
        }
        r.handle = Some(handle.clone());
        let done = Reflect::get(&handle, &"done".into()).unwrap_or(JsValue::UNDEFINED);
        finish_with(ctx, Promise::resolve(&done).into(), |v| Ok(v.dyn_into::<web_sys::Blob>().ok()));
    }

    fn cancel_export(&mut self) {
        if let Some(r) = self.recording() {
            r.cancelled = true;
            if let Some(h) = &r.handle {
                cancel(h);
            }
        }
    }

    /// Downloads the video (unless cancelled) and goes back to the step the run was at.
    fn export_finished(&mut self, r: Result<Option<web_sys::Blob>, String>) {
        let Some(d) = self.export.as_mut() else { return };
        let Some(rec) = d.recording.take() else { return };
        d.status = Some(match r {
            Ok(Some(blob)) if !rec.cancelled => match files::download_blob(&rec.name, &blob) {
                Ok(()) => format!(
                    "Saved {}: {} frame{}, {} KB.",
                    rec.name,
                    rec.total,
                    if rec.total == 1 { "" } else { "s" },
                    crate::ui::format::int(blob.size() / 1024.0)
                ),
                Err(e) => format!("The video could not be saved: {e}"),
            },
            Ok(_) => "Cancelled: nothing was saved.".to_string(),
            Err(e) => format!("Export failed: {e}"),
        });
        self.session.seek(rec.back_to);
    }
}

fn cancel(handle: &JsValue) {
    if let Ok(f) = Reflect::get(handle, &"cancel".into()).and_then(|f| f.dyn_into::<Function>()) {
        let _ = f.call0(handle);
    }
}

/// Sends `Finished` when `p` settles: `ok` reads its value; a rejection becomes the error's words.
fn finish_with(
    ctx: &Context<App>,
    p: JsValue,
    ok: impl FnOnce(JsValue) -> Result<Option<web_sys::Blob>, String> + 'static,
) {
    let (a, b) = (ctx.link().clone(), ctx.link().clone());
    let on_ok = Closure::once_into_js(move |v: JsValue| a.send_message(Msg::Export(Export::Finished(ok(v)))));
    let on_err = Closure::once_into_js(move |e: JsValue| b.send_message(Msg::Export(Export::Finished(Err(words(&e))))));
    then(&p, &on_ok, &on_err);
}

/// Imports `export.js` (in the single-file build, the data: URL it left for it) and starts it.
fn load_and_record(ctx: &Context<App>, opts: Object) {
    let import = Function::new_no_args(
        "return import(window.paxoscopeExportModule || new URL('export.js', document.baseURI).href)",
    );
    let p = match import.call0(&JsValue::NULL) {
        Ok(p) => p,
        Err(e) => return ctx.link().send_message(Msg::Export(Export::Finished(Err(words(&e))))),
    };
    let link = ctx.link().clone();
    let started = Closure::once_into_js(move |m: JsValue| -> Result<JsValue, JsValue> {
        let record: Function = Reflect::get(&m, &"record".into())?.dyn_into()?;
        let handle = record.call1(&JsValue::NULL, &opts)?;
        link.send_message(Msg::Export(Export::Started(handle)));
        Ok(JsValue::UNDEFINED)
    });
    // A failed import (offline before the first use, say) or a throw in `record` ends the export.
    let link = ctx.link().clone();
    let failed = Closure::once_into_js(move |e: JsValue| {
        link.send_message(Msg::Export(Export::Finished(Err(format!("the recorder could not start: {}", words(&e))))))
    });
    let p = then(&p, &started, &JsValue::UNDEFINED);
    then(&p, &JsValue::UNDEFINED, &failed);
}
