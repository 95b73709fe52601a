//! Moving through the run: step, back, forward, play and its speed, seek; and world commands.

use super::App;
use super::{alert, alert_at, news};
use crate::sim::{Command, Config};
use crate::ui::msg::Play;
use crate::ui::session::{Session, SPEEDS};
use yew::prelude::*;

impl App {
    pub(super) fn on_play(&mut self, ctx: &Context<Self>, p: Play) {
        match p {
            // A press of step or back while playing takes control: play stops, so a clicker's
            // PageUp is not undone by the next tick.
            Play::Step => {
                self.stop_playing(ctx);
                self.step(ctx);
            }
            Play::Back => {
                self.stop_playing(ctx);
                if !self.back_to_question() {
                    self.poll.clear();
                    self.session.back();
                }
            }
            Play::Forward => {
                if self.session.cursor() < self.session.len() && !self.ask_first(ctx) {
                    self.session.forward();
                    self.poll.outcome = None;
                }
            }
            // Playing on past an open question revealed it and played on at once, before the
            // room could read the answer (a clicker's blank-screen key sends "." or "b").
            Play::Toggle if self.poll.question.is_some() && !self.session.playing => {
                self.notice =
                    news("A question is open: answer it first (Step or PageDown reveals the answer), then play.");
            }
            Play::Toggle => {
                self.beat_hold = 0;
                self.session.playing = !self.session.playing && self.session.can_step();
                if !self.session.can_step() {
                    self.notice =
                        alert("Nothing is in flight and no timer is running: ask a client for a value first.");
                }
                self.restart_timer(ctx);
            }
            Play::Tick => self.play_tick(ctx),
            Play::Faster => self.set_speed(ctx, self.session.speed + 1),
            Play::Slower => self.set_speed(ctx, self.session.speed.saturating_sub(1)),
            Play::SetSpeed(i) => self.set_speed(ctx, i),
            Play::Seek(n) => self.session.seek(n),
        }
    }

    /// One step; in predict mode the first press asks, the second reveals.
    pub(super) fn step(&mut self, ctx: &Context<Self>) {
        if self.poll.question.is_some() {
            self.reveal_step();
            return;
        }
        if self.lesson.is_none() && self.hold_at_counterexample_end() {
            return;
        }
        // A lecturer with only a clicker can start a fresh run: in presenter mode the first
        // press is the side panel's start button (C1 asks for "X", or in Multi-Paxos for the
        // first command of its stream).
        if self.presenter && self.lesson.is_none() && self.session.is_empty() && !self.session.can_step() {
            self.on_command(self.session.world().next_request(crate::paxos::NodeId::client(0)));
            return;
        }
        if !self.ask_first(ctx) {
            if let Err(e) = self.advance() {
                self.notice = alert(e);
            }
            self.poll.outcome = None;
        }
    }

    /// The command the next step (Step, Play, a revealed prediction) applies: the recorded
    /// future's next one, or the world's own next step (a tick) at its end and at a lesson's
    /// "your turn", where the run becomes the student's.
    pub(super) fn next_command(&self) -> Command {
        let s = &self.session;
        match s.timeline().steps().get(s.cursor()) {
            Some(step) if !self.takes_over() => step.command.clone(),
            _ => Command::Tick,
        }
    }

    /// Takes the next step (see [`App::next_command`]).
    pub(super) fn advance(&mut self) -> Result<(), String> {
        self.step_by(self.takes_over())
    }

    /// One step: the world's own next one done by hand (`by_hand`), or the recording's next.
    pub(super) fn step_by(&mut self, by_hand: bool) -> Result<(), String> {
        if by_hand {
            self.session.apply(Command::Tick)
        } else {
            self.session.step()
        }
    }

    fn goal_reached(&self) -> bool {
        let l = self.lesson.as_deref();
        l.and_then(|l| crate::ui::guide::goal_progress(&self.session, l)).is_some_and(|p| p.reached)
    }

    pub(super) fn takes_over(&self) -> bool {
        self.lesson.as_deref().is_some_and(|l| crate::ui::guide::at_turn(&self.session, l))
    }

    /// Stops play (and its timer).
    pub(super) fn pause(&mut self, ctx: &Context<Self>) {
        self.session.playing = false;
        self.restart_timer(ctx);
    }

    /// A step or back press: play stops, and news (a confirmation such as "the counterexample is
    /// loaded: it plays from step 0") goes, since the user has moved on from it.
    fn stop_playing(&mut self, ctx: &Context<Self>) {
        if self.notice.as_ref().is_some_and(|n| n.news) {
            self.notice = None;
        }
        if self.session.playing {
            self.pause(ctx);
        }
    }

    fn set_speed(&mut self, ctx: &Context<Self>, i: usize) {
        self.session.speed = i.min(SPEEDS.len() - 1);
        self.restart_timer(ctx);
    }

    /// One step of auto-play. It stops at the end, at a question, where a rule or safety broke,
    /// and in a lesson at a "your turn" and at the script's end, so the moment is not played past.
    fn play_tick(&mut self, ctx: &Context<Self>) {
        if !self.session.playing || self.ask_first(ctx) {
            return;
        }
        if self.beat_hold > 0 {
            self.beat_hold -= 1;
            return;
        }
        if !self.session.can_step() || self.lesson_holds_play(false) {
            self.pause(ctx);
            return;
        }
        let reached = self.goal_reached();
        // At a "your turn" the room's own run may have nothing to do until someone acts (lesson
        // 13: "click C1 to send X3"): play stops and says why, where it ticked on silently.
        if let Err(e) = self.advance() {
            self.pause(ctx);
            self.notice = alert(e);
            return;
        }
        self.poll.outcome = None;
        // The room's own run pauses as it reaches the turn's goal: the moment to discuss it.
        if self.lesson_holds_play(true) || (!reached && self.goal_reached()) {
            self.pause(ctx);
            return;
        }
        self.beat_hold = self.lesson.as_deref().map_or(0, |l| crate::ui::guide::caption_hold(&self.session, l));
        if self.session.narration().is_some_and(|n| n.violated) {
            self.pause(ctx);
            self.side_to_top = true;
            // A switched-off rule breaking is worth a pause too, but it is not yet harm.
            let harm = self.session.world().oracle().violations().iter().any(|(i, _)| i.is_harm());
            self.notice = alert_at(
                if harm {
                    "Paused: safety broke at this step; the safety verdict says how."
                } else {
                    "Paused: a switched-off rule broke at this step (no harm yet); play on to see the harm it allows."
                },
                self.session.cursor(),
            );
        }
    }

    /// In a lesson, play keeps to the script: it does not step past the script's end into free
    /// play, and (`arrived`: after a step) it stops at a beat that hands over to the student, so
    /// it never does their "your turn" for them. Off the script the student drives, and play too.
    fn lesson_holds_play(&self, arrived: bool) -> bool {
        let Some(l) = self.lesson.as_deref() else { return false };
        // At a "your turn" play is the room's own run, even at the script's end.
        if crate::ui::guide::place(&self.session, l).off || (!arrived && self.takes_over()) {
            return false;
        }
        let cur = self.session.cursor();
        cur >= l.commands.len() || (arrived && l.turn(cur).is_some())
    }

    /// A world command from a menu or a form (forks when in the past).
    pub(super) fn on_command(&mut self, cmd: Command) {
        self.menu = None;
        match self.session.apply(cmd) {
            Ok(()) => self.notice = None,
            Err(e) => self.notice = alert(e),
        }
    }

    /// Starts over with `cfg` and `seed`; a config out of range changes nothing.
    pub(super) fn reset(&mut self, ctx: &Context<Self>, cfg: Config, seed: u64) {
        // In a lesson the script replays on the new settings, so a student who switches a rule
        // off sees, step by step, what it changes (and Reset with the lesson's own settings is
        // the lesson from its start). A challenge starts from its situation, not from a script.
        let script = self.lesson.as_deref().filter(|l| l.challenge.is_none()).map(|l| l.commands.clone());
        let made = match script {
            Some(commands) => Session::replaying(cfg, seed, &commands),
            None => Session::new(cfg, seed),
        };
        match made {
            Ok(s) => {
                // Nothing of the old run may go on acting on the new one.
                self.stop_beat();
                self.poll.clear();
                self.end_offer = false;
                self.session = s;
                self.menu = None;
                self.notice = None;
                // In a lesson the card's caption says what the replay is: the panel shows it,
                // not the settings form it was scrolled to.
                self.side_to_top |= self.lesson.is_some();
                self.restart_timer(ctx);
            }
            Err(e) => self.notice = alert(e),
        }
    }
}
