//! The embedding API in the browser: messages from the page that embeds the app become the same
//! messages the buttons send, and every change of step, beat, chosen value, safety or play is
//! posted back to that page. The wire format and its checks live in `ui::embed`.

use super::App;
use crate::sim::link::Link;
use crate::ui::embed::{self, Field, Request, Status};
use crate::ui::msg::{Embed, Guide, Msg, Play};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Listens to `message` events, passing on only those that claim to be ours: other scripts share
/// the channel, and a message for them must not even cost a render.
pub(super) fn listen(ctx: &Context<App>) -> Option<Closure<dyn Fn(web_sys::MessageEvent)>> {
    let link = ctx.link().clone();
    let cb = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let data = e.data();
        let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok().filter(|v| !v.is_undefined());
        let message = match data.as_string() {
            // A string that looks like ours is a mistake worth answering.
            Some(s) if s.starts_with(embed::PREFIX) => {
                Err(format!("send an object such as {{\"type\": {s:?}}}, not the string {s:?}"))
            }
            Some(_) => return,
            None => match get("type").and_then(|t| t.as_string()).filter(|t| t.starts_with(embed::PREFIX)) {
                Some(ty) => Ok(embed::Message {
                    ty,
                    keys: js_sys::Object::keys(data.unchecked_ref::<js_sys::Object>())
                        .iter()
                        .filter_map(|k| k.as_string())
                        .collect(),
                    link: get("link").map(field),
                    beat: get("beat").map(field),
                }),
                None => return,
            },
        };
        let id = if data.is_object() { get("id") } else { None };
        link.send_message(Msg::Embed(Embed::Message { message, id, source: e.source() }));
    });
    web_sys::window()?.add_event_listener_with_callback("message", cb.as_ref().unchecked_ref()).ok()?;
    Some(cb)
}

/// A field as the checks in `ui::embed` see it.
fn field(v: JsValue) -> Field {
    match (v.as_string(), v.as_f64()) {
        (Some(s), _) => Field::Text(s),
        (None, Some(n)) => Field::Number(n),
        (None, None) => Field::Other(
            js_sys::JSON::stringify(&v)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_else(|| "a value JSON cannot show".into()),
        ),
    }
}

/// The window that embeds this one, if any.
pub(super) fn parent() -> Option<web_sys::Window> {
    let w = web_sys::window()?;
    let p = w.parent().ok().flatten()?;
    (!js_sys::Object::is(&p, &w)).then_some(p)
}

/// Posts JSON text to a window, with the `id` of the request it answers. Any origin may read it:
/// it holds nothing but the run on screen, which is also in the address, and a page opened from
/// `file://` has no origin to name.
fn post(to: &JsValue, json: &str, id: Option<&JsValue>) {
    if let Ok(data) = js_sys::JSON::parse(json) {
        if let Some(id) = id {
            let _ = js_sys::Reflect::set(&data, &"id".into(), id);
        }
        let _ = to.unchecked_ref::<web_sys::Window>().post_message(&data, "*");
    }
}

impl App {
    pub(super) fn on_embed(&mut self, ctx: &Context<Self>, e: Embed) {
        match e {
            Embed::Message { message, id, source } => {
                let request = match message.map(|m| embed::request(&m)) {
                    Ok(Some(r)) => r,
                    Ok(None) => return,
                    Err(why) => Err(why),
                };
                let answer = match request.and_then(|r| self.embed_request(ctx, r)) {
                    Ok(()) => {
                        self.sync_address();
                        self.last_status = self.status().to_json();
                        self.last_status.clone()
                    }
                    Err(why) => embed::error_json(&why),
                };
                if let Some(to) = source.map(JsValue::from).or_else(|| parent().map(JsValue::from)) {
                    post(&to, &answer, id.as_ref());
                }
            }
        }
    }

    /// What the state message says now.
    fn status(&self) -> Status {
        let playing = self.session.playing || self.beat_target.is_some();
        Status::of(&self.session, self.lesson.as_deref(), playing, self.last_hash.clone())
    }

    /// Posts the state to the embedding page when it changed, so a deck can follow the run.
    pub(super) fn post_status(&mut self) {
        let Some(p) = self.framed.then(parent).flatten() else { return };
        let json = self.status().to_json();
        if json != self.last_status {
            post(&p, &json, None);
            self.last_status = json;
        }
    }

    /// Does what a request asks, as the matching button would; a request that cannot be done
    /// says why and changes nothing.
    fn embed_request(&mut self, ctx: &Context<Self>, r: Request) -> Result<(), String> {
        let lesson = self.lesson.clone();
        let playing = self.session.playing || self.beat_target.is_some();
        let msg = match r {
            Request::Load(hash) => {
                let link = Link::parse(&hash).map_err(|e| format!("the link could not be opened: {e}"))?;
                self.stop_beat();
                self.open_link(&link).map_err(|e| format!("the link could not be opened: {e}"))?;
                self.presenter = link.presenter;
                self.pause(ctx);
                return Ok(());
            }
            Request::Get => return Ok(()),
            Request::Step | Request::Next if lesson.is_none() && !self.session.can_step() => {
                return Err("nothing to step: no message is in flight and no timer runs".into())
            }
            Request::Back | Request::Prev if self.session.cursor() == 0 => return Err("already at step 0".into()),
            Request::Step => Msg::Play(Play::Step),
            Request::Back => Msg::Play(Play::Back),
            Request::Next if lesson.is_some() => Msg::Guide(Guide::Next),
            Request::Prev if lesson.is_some() => Msg::Guide(Guide::Prev),
            Request::Next => Msg::Play(Play::Step),
            Request::Prev => Msg::Play(Play::Back),
            Request::Beat(b) => {
                let l = lesson.ok_or("no lesson is open: beats belong to lessons")?;
                if b > l.beats.len() {
                    return Err(format!("lesson {:?} has {} beats, not {b}", l.id, l.beats.len()));
                }
                self.reopen(l.beat_end(b));
                return Ok(());
            }
            Request::Play if playing => return Ok(()),
            Request::Play if !self.session.can_step() => return Err("nothing to play: the run has ended".into()),
            Request::Play => Msg::Play(Play::Toggle),
            Request::Pause => {
                self.stop_beat();
                if !self.session.playing {
                    return Ok(());
                }
                Msg::Play(Play::Toggle)
            }
        };
        <Self as Component>::update(self, ctx, msg);
        Ok(())
    }
}
