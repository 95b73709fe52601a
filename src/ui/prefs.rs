//! Viewer preferences that are not part of a run: the colour theme. They live in the browser's
//! local storage, not in the share link, since they belong to the viewer.

/// Colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark ink on a light page.
    Light,
    /// Light ink on a dark page.
    Dark,
}

impl Theme {
    /// The class the page root gets.
    pub fn class(self) -> &'static str {
        match self {
            Theme::Light => "theme-light",
            Theme::Dark => "theme-dark",
        }
    }

    /// The other one.
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

const KEY: &str = "paxoscope-theme";

/// The saved theme, else the system's preference.
pub fn load_theme() -> Theme {
    let w = web_sys::window();
    let saved = w.as_ref().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(KEY).ok().flatten());
    match saved.as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ => {
            let dark = w
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches());
            if dark {
                Theme::Dark
            } else {
                Theme::Light
            }
        }
    }
}

/// Remembers the theme.
pub fn save_theme(t: Theme) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(KEY, if t == Theme::Dark { "dark" } else { "light" });
    }
}

/// Enters or leaves full screen.
pub fn toggle_fullscreen() {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        } else if let Some(el) = doc.document_element() {
            let _ = el.request_fullscreen();
        }
    }
}

const DONE_KEY: &str = "paxoscope-lessons-done";

/// Ids of the lessons the viewer has finished, as kept in local storage.
pub fn done_lessons() -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(DONE_KEY).ok().flatten())
        .map(|v| v.split(' ').filter(|x| !x.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Remembers that the viewer finished lesson `id`.
pub fn mark_done(id: &str) {
    let mut done = done_lessons();
    if done.iter().any(|d| d == id) {
        return;
    }
    done.push(id.to_string());
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(DONE_KEY, &done.join(" "));
    }
}
