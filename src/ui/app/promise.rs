//! Settling JavaScript promises into messages: the recorder's import and the lessons' fetch.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `p.then(ok, err)`, called through the object so that closures handed over as plain JS values
/// (freed once called) can be used.
pub(super) fn then(p: &JsValue, ok: &JsValue, err: &JsValue) -> JsValue {
    Reflect::get(p, &"then".into())
        .and_then(|f| f.dyn_into::<Function>())
        .and_then(|f| f.call2(p, ok, err))
        .unwrap_or(JsValue::UNDEFINED)
}

/// What a rejection or a throw says: its message, or the string thrown.
pub(super) fn words(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| "unknown error".into())
}
