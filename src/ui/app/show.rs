//! Menus, panels, overlays and notices: what is open, and what the spotlight is on.

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
            Show::Metrics => self.metrics_open = !self.metrics_open,
            Show::Presenter => {
                self.presenter = !self.presenter;
                self.spotlight = None;
            }
            Show::Fullscreen => prefs::toggle_fullscreen(),
            Show::Theme => {
                self.theme = self.theme.toggled();
                prefs::save_theme(self.theme);
            }
            Show::Notice(s) => self.notice = Some(s),
            Show::DismissNotice => self.notice = None,
        }
        true
    }

    fn open_menu(&mut self, m: Menu) {
        self.menu = if self.menu == Some(m) { None } else { Some(m) };
        if self.presenter {
            self.spotlight = self.menu.map(|m| match m {
                Menu::Node(n) => Spot::Node(n),
                Menu::Message(id) => Spot::Message(id),
            });
        }
    }
}
