//! Component tests in headless Chromium (wasm-bindgen-test): mount the real app, click real
//! buttons, and read the DOM.
#![cfg(target_arch = "wasm32")]

use paxoscope::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app. The address is cleared first: apps read their run from the URL hash, and
/// all tests share one page.
fn mount() -> Element {
    let window = web_sys::window().unwrap();
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#")).unwrap();
    let doc = window.document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

async fn settle() {
    yew::scheduler::flush().await;
}

fn q(root: &Element, sel: &str) -> Element {
    root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("no element matches {sel}"))
}

fn count(root: &Element, sel: &str) -> u32 {
    root.query_selector_all(sel).unwrap().length()
}

/// Clicks any element, HTML or SVG, with an event that bubbles like a real one.
async fn click(root: &Element, sel: &str) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    q(root, sel).dispatch_event(&ev).unwrap();
    settle().await;
}

fn attr(root: &Element, sel: &str, name: &str) -> String {
    q(root, sel).get_attribute(name).unwrap_or_default()
}

fn text(root: &Element, sel: &str) -> String {
    q(root, sel).text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn draws_the_default_cluster_as_labelled_nodes() {
    let root = mount();
    settle().await;
    for id in ["C1", "C2", "P1", "P2", "A1", "A2", "A3", "L1"] {
        let n = q(&root, &format!("[data-testid=node-{id}]"));
        assert!(n.text_content().unwrap().contains(id));
    }
    assert_eq!(count(&root, "[data-testid^=node-]"), 8);
    assert_eq!(count(&root, "[data-testid^=msg-]"), 0);
    assert_eq!(q(&root, "[data-testid=invariants]").get_attribute("data-state").as_deref(), Some("ok"));
    assert!(q(&root, "[data-testid=step]").has_attribute("disabled"), "nothing to step before a request");
}

#[wasm_bindgen_test]
async fn a_request_then_a_step_puts_prepares_in_flight() {
    let root = mount();
    settle().await;
    click(&root, "[data-testid=start]").await;
    assert_eq!(count(&root, "[data-testid^=msg-][data-type=request]"), 1);
    click(&root, "[data-testid=step]").await;
    // Copies of one broadcast travel as one token until they part; it names every receiver.
    assert_eq!(count(&root, "[data-testid^=msg-].in-flight[data-type=prepare]"), 1);
    assert_eq!(attr(&root, "[data-testid^=msg-].in-flight[data-type=prepare]", "data-to"), "A1 A2 A3");
    assert!(text(&root, "[data-testid=narration]").contains("starts Phase 1 with ballot 1.1"));
    assert!(text(&root, "[data-testid=counter]").contains("step 2 / 2"));
    click(&root, "[data-testid=back]").await;
    assert!(text(&root, "[data-testid=counter]").contains("step 1 / 2"));
    assert_eq!(count(&root, "[data-testid^=msg-].in-flight[data-type=prepare]"), 0);
}

#[wasm_bindgen_test]
async fn node_menu_crashes_and_restarts() {
    let root = mount();
    settle().await;
    click(&root, "[data-testid=node-A1]").await;
    click(&root, "[data-testid=crash]").await;
    assert!(q(&root, "[data-testid=node-A1]").get_attribute("class").unwrap().contains("crashed"));
    click(&root, "[data-testid=node-A1]").await;
    click(&root, "[data-testid=restart]").await;
    assert!(!q(&root, "[data-testid=node-A1]").get_attribute("class").unwrap().contains("crashed"));
    assert!(text(&root, "[data-testid=narration]").contains("A1 restarts from disk"));
}

async fn set_field(root: &Element, sel: &str, value: &str) {
    let input = q(root, sel).dyn_into::<HtmlInputElement>().unwrap();
    input.set_value(value);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn config_panel_resizes_the_cluster_and_refuses_out_of_range_counts() {
    let root = mount();
    settle().await;
    set_field(&root, "[data-testid=count-acceptor]", "5").await;
    click(&root, "[data-testid=apply]").await;
    assert_eq!(count(&root, "[data-testid^=node-A]"), 5);
    set_field(&root, "[data-testid=count-acceptor]", "12").await;
    click(&root, "[data-testid=apply]").await;
    assert_eq!(count(&root, "[data-testid^=node-A]"), 5, "nothing changed");
    assert!(text(&root, "[data-testid=notice]").contains("acceptors must be between 1 and 9"));
}

#[wasm_bindgen_test]
async fn a_run_in_the_address_is_rebuilt_on_load() {
    let root = mount();
    settle().await;
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#s=42&n=1.1.5.1&run=q-C1-X~t"))
        .unwrap();
    let doc = window.document().unwrap();
    let root2 = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root2).unwrap();
    yew::Renderer::<App>::with_root(root2.clone()).render();
    settle().await;
    assert!(text(&root2, "[data-testid=counter]").contains("step 2 / 2"));
    assert_eq!(count(&root2, "[data-testid^=node-A]"), 5);
    assert_eq!(attr(&root2, "[data-testid^=msg-].in-flight[data-type=prepare]", "data-to"), "A1 A2 A3 A4 A5");
    drop(root);
}
