//! The canvas: its size on screen, the scenes laid out for it, and the menu over it.

use super::App;
use crate::ui::components::{cluster, menu};
use crate::ui::msg::{Msg, Show};
use crate::ui::scene::{Frame, Scene};
use yew::prelude::*;

impl App {
    pub(super) fn frame(&self) -> Frame {
        if self.export.as_ref().is_some_and(|d| d.recording.is_some()) {
            let (w, h) = crate::ui::export::picture(self.session.world().log().is_some());
            return Frame { w, h, presenter: true };
        }
        Frame { w: self.canvas.0, h: self.canvas.1, presenter: self.presenter }
    }

    /// The cluster and the open menu, laid out for the canvas as it is now. The scene of the step
    /// before is laid out too, so that what arrived at this step glides from where it waited.
    pub(super) fn canvas_view(&self, send: &Callback<Msg>) -> Html {
        let s = &self.session;
        let frame = self.frame();
        let now = Scene::build(s.world(), frame);
        let before = Scene::build(s.before(), frame);
        let marks = cluster::Marks {
            menu: self.menu,
            highlight: self.highlight(),
            hide_answers: self.poll.question.is_some(),
            hover: self.hover,
            spot: self.spotlight,
            asked: self.poll.question.as_ref().and_then(|q| q.msg),
        };
        html! { <>
            { cluster::view(s, &now, &before, &marks, send) }
            { menu::view(s, &now, self.menu, self.lesson.is_none(), send) }
        </> }
    }

    /// The board's classes: `resized` while the frame differs from the one last drawn (see
    /// `App::drawn`), which turns the tokens' motion off for that render.
    pub(super) fn board_class(&self) -> Classes {
        classes!("board", (self.drawn != Some(self.frame())).then_some("resized"))
    }

    /// The lesson's highlight at this step, while the run follows the lesson.
    fn highlight(&self) -> Option<&crate::sim::lessons::Highlight> {
        let l = self.lesson.as_deref()?;
        let at = self.session.cursor();
        (crate::ui::guide::on_script_steps(&self.session, l) >= at).then(|| l.highlight(at)).flatten()
    }

    /// Reads the canvas's size after a render; a change lays everything out again.
    pub(super) fn measure_canvas(&mut self, ctx: &Context<Self>) {
        if let Some(b) = super::find_html(".board") {
            // The exact size, not the rounded client size: the log grid can leave the board a
            // fractional height, and a view box half a pixel off would shrink every text a little.
            let r = b.get_bounding_client_rect();
            let (w, h) = (r.width(), r.height());
            if w > 0.0 && h > 0.0 && ((w - self.canvas.0).abs() >= 0.5 || (h - self.canvas.1).abs() >= 0.5) {
                ctx.link().send_message(Msg::Show(Show::Canvas(w, h)));
            }
        }
    }
}
