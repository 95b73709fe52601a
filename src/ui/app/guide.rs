//! Following a lesson: opening one, leaving it, and resuming its script.

use super::App;
use crate::ui::components::lessons;
use crate::ui::msg::Guide;
use crate::ui::session::Session;
use std::rc::Rc;
use yew::prelude::*;

impl App {
    pub(super) fn on_guide(&mut self, ctx: &Context<Self>, g: Guide) {
        match g {
            Guide::Open(id) => {
                self.top_menu = None;
                self.open_lesson(&id, 0);
                self.restart_timer(ctx);
            }
            Guide::Exit => self.lesson = None,
            Guide::Resume => {
                if let Some(l) = self.lesson.clone() {
                    let at = lessons::on_script_steps(&self.session, &l);
                    self.open_lesson(l.id, at);
                }
            }
        }
    }

    /// Loads a lesson: its whole script is recorded as the future, and the view moves to `at`.
    pub(super) fn open_lesson(&mut self, id: &str, at: usize) {
        match crate::sim::lessons::build(id).and_then(|l| {
            Session::from_commands(l.config.clone(), l.seed, &l.commands, at.min(l.commands.len())).map(|s| (l, s))
        }) {
            Ok((l, s)) => {
                self.session = s;
                self.lesson = Some(Rc::new(l));
                self.menu = None;
                self.notice = None;
            }
            Err(e) => self.notice = Some(format!("The lesson could not be opened: {e}")),
        }
    }
}
