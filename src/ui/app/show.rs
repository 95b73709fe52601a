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
            Show::Help => self.help = !self.help,
            Show::TopMenu(m) => self.top_menu = if self.top_menu == Some(m) { None } else { Some(m) },
            Show::SpaceTime => self.spacetime = !self.spacetime,
            Show::Hover(h) => {
                if self.hover == h {
                    return false;
                }
                self.hover = h;
            }
            Show::Explorer => {
                self.explorer_open = !self.explorer_open;
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
