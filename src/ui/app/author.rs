//! Authoring mode and what comes of it: the draft (edited here, never the run), authored lessons
//! opened from a link or a file, attempts at a challenge, and the grading table.

use super::App;
use super::{alert, news};
use crate::sim::attempt::{self, Row};
use crate::sim::authored::{Authored, LINK_BUDGET};
use crate::sim::lessons::{Lesson, Turn};
use crate::ui::author::Draft;
use crate::ui::files;
use crate::ui::msg::{Author, GoalField, Msg};
use yew::prelude::*;

impl App {
    pub(super) fn on_author(&mut self, ctx: &Context<Self>, m: Author) {
        let t = self.session.timeline();
        match (m, self.draft.as_mut()) {
            (Author::Toggle, _) => {
                // Closing the panel keeps the draft, so a lecturer who closes it loses nothing.
                self.top_menu = None;
                self.authoring = !self.authoring;
                // A log's goals first in Multi-Paxos, as the menu lists them.
                let multi = !t.config().mode.is_single();
                self.draft.get_or_insert_with(|| Draft::for_log(multi));
                self.shared = None;
            }
            (Author::Student(s), _) => self.student = s,
            (Author::ExportAttempt, _) => self.export_attempt(),
            (Author::Grader, _) => {
                self.top_menu = None;
                let open = self.grades.is_none();
                self.close_dialogs();
                self.grades = open.then(Vec::new);
            }
            (Author::Grade(list, fresh), _) => self.grade(ctx, list, fresh),
            (Author::Graded(file, r), _) => {
                let row = match r {
                    Ok(text) => attempt::grade(&file, &text),
                    Err(e) => Row::unreadable(&file, e),
                };
                let rows = self.grades.get_or_insert_with(Vec::new);
                let at = rows.partition_point(|r| r.file <= row.file);
                rows.insert(at, row);
            }
            (_, None) => {}
            (Author::Title(s), Some(d)) => d.title = s,
            (Author::Intro(s), Some(d)) => d.intro = s,
            (Author::Mark, Some(d)) => {
                if let Err(e) = d.mark(t, t.cursor()) {
                    self.notice = alert(e);
                }
            }
            (Author::Caption(k, s), Some(d)) => {
                if let Some(b) = d.beats.get_mut(k) {
                    b.caption = s;
                }
            }
            (Author::Event(k, i), Some(d)) => {
                if let Some(b) = d.beats.get_mut(k).filter(|b| i < b.events.len()) {
                    b.on = i;
                }
            }
            (Author::Remove(k), Some(d)) if k < d.beats.len() => drop(d.beats.remove(k)),
            (Author::Remove(_), Some(_)) => {}
            (Author::Poll, Some(d)) => d.poll(t.cursor() + 1),
            (Author::Highlight(k, names, label), Some(d)) => d.highlight(t, k, &names, &label),
            (Author::Unpoll(i), Some(d)) if i < d.polls.len() => drop(d.polls.remove(i)),
            (Author::Unpoll(_), Some(_)) => {}
            (Author::Challenge(on), Some(d)) => d.challenge = on,
            (Author::Form(f), Some(d)) => set_field(d, f),
            (Author::Turn(k), Some(d)) => match (d.form.goal(), d.beats.get_mut(k)) {
                (_, Some(b)) if b.turn.is_some() => b.turn = None,
                (Ok(goal), Some(b)) => {
                    let prompt = if d.form.prompt.trim().is_empty() { goal.describe() } else { d.form.prompt.clone() };
                    b.turn = Some(Turn { prompt, goal });
                }
                (Err(e), Some(_)) => self.notice = alert(e),
                (_, None) => {}
            },
            (Author::AddGoal, Some(d)) => match d.form.goal() {
                Ok(g) if !d.goals.contains(&g) => d.goals.push(g),
                Ok(_) => {}
                Err(e) => self.notice = alert(e),
            },
            (Author::RemoveGoal(i), Some(d)) if i < d.goals.len() => drop(d.goals.remove(i)),
            (Author::RemoveGoal(_), Some(_)) => {}
            (Author::ShareLink, Some(d)) => {
                let r = d.check().map_err(|e| format!("The lesson cannot be shared yet: {e}."));
                self.shared = Some(r.and_then(|()| share_link(&d.authored(t))));
            }
            (Author::ShareFile, Some(d)) => {
                let a = d.authored(t);
                let r = d
                    .check()
                    .and_then(|()| a.lesson())
                    .and_then(|_| files::download_text("paxoscope-lesson.json", "application/json", &a.to_json()));
                if let Err(e) = r {
                    self.notice = alert(format!("The lesson cannot be saved yet: {e}."));
                }
            }
        }
    }

    /// Opens an authored lesson (checked in full) at step `at`, or at the starting situation of
    /// a challenge. Nothing changes on an error.
    pub(super) fn open_authored(&mut self, a: &Authored, l: Lesson, at: Option<usize>) -> Result<(), String> {
        let code = a.to_link()?;
        let at = at.unwrap_or(0).max(if l.challenge.is_some() { l.commands.len() } else { 0 });
        if at > l.commands.len() {
            return Err(format!("the lesson has {} steps, not {at}", l.commands.len()));
        }
        self.start_lesson(l, at)?;
        self.authored = Some(code);
        Ok(())
    }

    fn export_attempt(&mut self) {
        let Some(c) = self.lesson.as_deref().and_then(attempt::challenge_ref) else {
            return;
        };
        let r = attempt::write(&self.student, &c, self.session.timeline()).and_then(|text| {
            let name: String = self.student.chars().filter(char::is_ascii_alphanumeric).collect();
            files::download_text(&format!("attempt-{name}.json"), "application/json", &text)
        });
        self.notice = match r {
            Ok(()) => news("Your attempt is saved as a file: hand it in to your lecturer."),
            Err(e) => alert(e),
        };
    }

    /// Reads every file handed in (too many, and none is read).
    fn grade(&mut self, ctx: &Context<Self>, list: Vec<web_sys::File>, fresh: bool) {
        let rows: &mut Vec<Row> = self.grades.get_or_insert_with(Vec::new);
        if fresh {
            rows.clear();
        }
        if rows.len() + list.len() > attempt::MAX_FILES {
            self.notice =
                alert(format!("That is too many files to grade at once; the limit is {}.", attempt::MAX_FILES));
            return;
        }
        for f in list {
            let link = ctx.link().clone();
            let name = f.name();
            files::read_text(f, attempt::MAX_BYTES as f64, move |r| {
                link.send_message(Msg::Author(Author::Graded(name, r)))
            });
        }
    }
}

fn set_field(d: &mut Draft, f: GoalField) {
    match f {
        GoalField::Kind(k) => d.form.kind = k,
        GoalField::Node(n) => d.form.node = n,
        GoalField::Value(v) => d.form.value = v,
        GoalField::Number(n) => d.form.number = n.trim().parse().unwrap_or(0),
        GoalField::Prompt(p) => d.form.prompt = p,
    }
}

/// The whole address of the lesson, or why it cannot be a link.
fn share_link(a: &Authored) -> Result<String, String> {
    let code = a.to_link().map_err(|e| format!("The lesson cannot be shared yet: {e}."))?;
    let loc = web_sys::window().map(|w| w.location());
    let origin = loc
        .map(|l| format!("{}{}", l.origin().unwrap_or_default(), l.pathname().unwrap_or_default()))
        .unwrap_or_default();
    let at = if a.challenge.is_some() { format!("at={}", a.commands.len()) } else { "beat=0".into() };
    let url = format!("{origin}#L={code}&{at}");
    if url.len() > LINK_BUDGET {
        return Err(format!(
            "As a link this lesson would be {} characters, more than the {LINK_BUDGET} a chat app or an LMS keeps whole: save it as a file instead.",
            url.len()
        ));
    }
    if let Some(c) = web_sys::window().map(|w| w.navigator().clipboard()) {
        let _ = c.write_text(&url);
    }
    Ok(url)
}
