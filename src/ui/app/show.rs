//! Menus, panels, overlays and notices: what is open, and what the spotlight is on.

use super::alert;
use super::App;
use crate::ui::msg::{Menu, Show, Spot};
use crate::ui::prefs;

impl App {
    /// Returns whether anything on screen changed.
    pub(super) fn on_show(&mut self, s: Show) -> bool {
        match s {
            Show::Menu(m) => self.open_menu(m),
            Show::CloseMenu => {
                self.menu = None;
                self.spotlight = None;
            }
            Show::Help => {
                let open = !self.help;
                self.close_dialogs();
                self.help = open;
            }
            Show::TopMenu(m) => self.top_menu = if self.top_menu == Some(m) { None } else { Some(m) },
            Show::SpaceTime => self.spacetime = !self.spacetime,
            Show::Hover(h) => {
                if self.hover == h {
                    return false;
                }
                self.hover = h;
            }
            Show::Explorer => {
                let open = !self.explorer_open;
                self.close_dialogs();
                self.explorer_open = open;
                self.top_menu = None;
            }
            Show::Metrics => self.toggle_metrics(),
            Show::Presenter => {
                self.presenter = !self.presenter;
                self.spotlight = None;
            }
            Show::Fullscreen => prefs::toggle_fullscreen(),
            Show::Theme => {
                self.theme = self.theme.toggled();
                prefs::save_theme(self.theme);
            }
            Show::Notice(s) => self.notice = alert(s),
            Show::DismissNotice => self.notice = None,
            Show::Resized => {}
            Show::Canvas(w, h) => {
                if (w - self.canvas.0).abs() < 0.5 && (h - self.canvas.1).abs() < 0.5 {
                    return false;
                }
                self.canvas = (w, h);
            }
        }
        true
    }

    /// Closes every dialog that covers the cluster. Opening one dialog closes the others first:
    /// stacked, the one underneath would keep the keyboard focus and the keys a reader expects
    /// to act on the dialog in front. A recording export stays (Escape cancels it).
    pub(super) fn close_dialogs(&mut self) {
        self.help = false;
        self.explorer_open = false;
        self.metrics_open = false;
        self.grades = None;
        if self.export.as_ref().is_none_or(|d| d.recording.is_none()) {
            self.export = None;
        }
    }

    /// The dialog covering the cluster, if any (at most one is open; see `close_dialogs`).
    pub(super) fn dialog(&self) -> Option<&'static str> {
        [
            (self.help, "help"),
            (self.explorer_open, "explorer"),
            (self.metrics_open, "metrics"),
            (self.grades.is_some(), "grades"),
            (self.export.is_some(), "export"),
        ]
        .into_iter()
        .find_map(|(open, name)| open.then_some(name))
    }

    /// After a render: a dialog that has just opened takes the keyboard focus, so Tab and Enter
    /// act inside it rather than on the button behind it that opened it.
    pub(super) fn focus_new_dialog(&mut self) {
        let open = self.dialog();
        if open.is_some() && open != self.focused_dialog {
            if let Some(d) = super::find_html(".overlay[role=dialog]") {
                let _ = d.focus();
            }
        }
        self.focused_dialog = open;
    }

    /// Opens a node's or a message's menu. In presenter mode a click spotlights instead, and the
    /// actions appear in the bottom strip: a menu over the canvas would hide the state it is about.
    fn open_menu(&mut self, m: Menu) {
        if self.presenter {
            let spot = match m {
                Menu::Node(n) => Some(Spot::Node(n)),
                Menu::Message(id) => Some(Spot::Message(id)),
                Menu::Overflow(_) => None,
            };
            if spot.is_some() {
                self.spotlight = if self.spotlight == spot { None } else { spot };
                self.menu = None;
                return;
            }
        }
        self.menu = if self.menu == Some(m) { None } else { Some(m) };
    }
}
