//! The lesson card: the lesson's title and beat progress, the lesson's own words at each beat,
//! "your turn" points with their goal checked as the student acts, the way back when they have
//! left the script, and the way on to the next lesson. The presenter strip shows the same parts.

use crate::sim::lessons::{self, Lesson};
use crate::ui::guide::{goal_progress, place, Place};
use crate::ui::msg::{on, Author, Guide, Msg};
use crate::ui::session::Session;
use yew::prelude::*;

/// What the lesson parts need to know.
pub struct Follow<'a> {
    /// The run.
    pub s: &'a Session,
    /// The lesson.
    pub l: &'a Lesson,
    /// A question is open: words that could give its answer away are hidden.
    pub asking: bool,
    /// A press is playing the run on to the next beat, a step every few tenths of a second.
    pub beat_playing: bool,
    /// The name a student puts on a challenge attempt.
    pub student: &'a str,
}

impl Follow<'_> {
    pub fn place(&self) -> Place<'_> {
        place(self.s, self.l)
    }
}

/// "Beat 3 of 16" and a bar.
pub fn progress(f: &Follow) -> Html {
    // A challenge has no beats and no script to be off: it counts the steps taken from its
    // starting situation instead.
    if f.l.challenge.is_some() {
        let taken = f.s.cursor().saturating_sub(f.l.commands.len());
        return html! { <div class="lesson-step" data-testid="lesson-progress">{format!("{taken} step{} taken", if taken == 1 { "" } else { "s" })}</div> };
    }
    let p = f.place();
    // While a beat plays, the bar fills through it step by step.
    let playing_beat = between(f, &p);
    let part = playing_beat.map_or(0.0, |(done, of)| done as f64 / of.max(1) as f64);
    let pct = if p.total == 0 { 0.0 } else { (p.done as f64 + part).min(p.total as f64) / p.total as f64 * 100.0 };
    html! { <>
        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax={p.total.to_string()}
             aria-valuenow={p.done.to_string()} aria-label="Lesson progress">
            <span style={format!("width: {}%", crate::ui::format::px(pct))}></span></div>
        // On other settings no beat of the lesson is reached, however far the run goes: "beat 0
        // of 17" stood there to the end, as if nothing had happened.
        <div class="lesson-step" data-testid="lesson-progress">
            {if crate::ui::guide::same_cluster(f.s, f.l) { format!("beat {} of {}", p.done, p.total) } else { "other settings".into() }}
            if p.off { <span class="off-badge" data-testid="off-script">
                {if crate::ui::guide::active_turn(f.s, f.l).is_some() { " · your turn" } else { " · off script" }}</span> }
            { playing(playing_beat, p.done + 1) }
            // "." (a clicker's play key) plays on through the beats: the room sees that it does.
            if f.s.playing { <span class="beat-playing" data-testid="lesson-playing">{" · playing"}</span> }
        </div>
        // Presenter mode's short form of the above (the card has room for the long one): the
        // room sees that a beat is still playing, and which, before a second press ends it. A
        // question asked on the way to a beat keeps the counter: nothing plays while it waits,
        // and "▶ to beat 5" where "beat 4 of 17" stood read as if something did.
        if playing_beat.is_some() && !f.asking {
            <div class="beat-to" data-testid="beat-to">{format!("▶ to beat {}", p.done + 1)}</div>
        }
    </> }
}

/// Between beats, how far the next one has played: " · 2 of 4 steps to beat 5". It counts the
/// beat's own steps, so it never reads as the run's step number, which the footer shows.
fn playing(between: Option<(usize, usize)>, beat: usize) -> Html {
    match between {
        Some((done, of)) => {
            html! { <span class="beat-playing" data-testid="beat-playing">{format!(" · {done} of {of} steps to beat {beat}")}</span> }
        }
        None => Html::default(),
    }
}

/// Between beats on the script: the next beat's steps played so far, and how many it has.
fn between(f: &Follow, p: &Place) -> Option<(usize, usize)> {
    let cur = f.s.cursor();
    if p.off || p.beat.is_some() || cur == 0 {
        return None;
    }
    let end = f.l.next_beat_end(cur)?;
    let start = f.l.previous_beat_end(cur);
    Some((cur - start, end - start))
}

/// The lesson's words at this step: the beat's caption, or what the student is doing.
pub fn caption(f: &Follow, send: &Callback<Msg>) -> Html {
    let p = f.place();
    let cur = f.s.cursor();
    if p.off {
        let t = f.s.timeline();
        let same = t.config() == &f.l.config && t.seed() == f.l.seed;
        // Acting on a "your turn" is what the lesson asked for, not leaving it: the goal's
        // status below says how it goes, and offers the way back.
        if let Some((_, at)) = crate::ui::guide::active_turn(f.s, f.l).filter(|_| same) {
            let beat = f.l.beats.iter().position(|b| b.end == at).map_or(0, |k| k + 1);
            return html! { <p class="caption off" data-testid="caption">
                {format!("Your turn: you drive the cluster, and the narration tells each step. The lesson waits at beat {beat}.")}
            </p> };
        }
        let how = if !same && !f.s.is_empty() {
            let n = f.l.commands.len();
            // The script's steps that replayed, not the run's length: stepping on adds more.
            let steps = f.s.timeline().steps().iter().zip(&f.l.commands);
            let k = steps.take_while(|(s, c)| s.command == **c).count();
            let applied = if k == n { format!("all {n}") } else { format!("{k} of its {n}") };
            format!("You are exploring on your own: the cluster's settings are not the lesson's.{} The lesson's script replays on them ({applied} steps apply), so each step shows what your settings change. ", changed_settings(f))
        } else if !same {
            format!(
                "You are exploring on your own: the cluster's settings are not the lesson's.{} ",
                changed_settings(f)
            )
        } else if cur > p.on_script {
            let beat = match p.done {
                0 => "before its first beat".to_string(),
                d => format!("after beat {d}"),
            };
            format!(
                "You are exploring on your own: the run left the lesson's script {beat}, at step {}. ",
                p.on_script + 1
            )
        } else {
            "You are exploring on your own: you have taken over the run, and the lesson waits. ".to_string()
        };
        return html! { <p class="caption off" data-testid="caption">
            {how}
            <button class="link" data-testid="lesson-resume-inline" onclick={on(send, || Msg::Guide(Guide::Resume))}>{"Resume the lesson"}</button>
            {" to go back to the last beat you reached."}
        </p> };
    }
    if f.asking {
        return html! { <p class="caption hidden-for-question" data-testid="caption">{"Predict first: the lesson's words come back once the answer is revealed."}</p> };
    }
    match p.beat {
        Some((_, b)) => html! { <p class="caption" data-testid="caption">{&b.caption}</p> },
        None if cur == 0 => html! { <p class="caption intro" data-testid="caption">{&f.l.teaches}</p> },
        None => match f.l.next_beat_end(cur) {
            Some(end) => html! { <p class="caption between" data-testid="caption">
            {format!("On the way to beat {}, which comes at step {end}. The narration tells each step.", p.done + 1)}</p> },
            None => Html::default(),
        },
    }
}

/// What was changed, named (" Changed: Nacks off; seed 9 (the lesson's 1)." and each unsafe switch
/// beyond the lesson's own; lesson 13 switches one): "settings are not the lesson's" alone left a
/// student guessing which.
fn changed_settings(f: &Follow) -> String {
    let t = f.s.timeline();
    let (mine, theirs) = (t.config(), &f.l.config);
    let mut changed = mine.changes_from(theirs);
    if t.seed() != f.l.seed {
        let sep = if changed.is_empty() { "" } else { "; " };
        changed = format!("{changed}{sep}seed {} (the lesson's {})", t.seed(), f.l.seed);
    }
    let mut words = if changed.is_empty() { String::new() } else { format!(" Changed: {changed}.") };
    if (&mine.mutations, &mine.amnesia) != (&theirs.mutations, &theirs.amnesia) && mine.is_unsafe() {
        words = format!("{words} {}", mine.unsafe_words());
    }
    words
}

/// What Resume does to the student's own run, said where it is pressed.
const RESUME_TITLE: &str = "Back to the lesson at the last beat you reached; your own steps since are discarded";

/// A "your turn" prompt at its beat, or, once the student acts, whether the goal is reached.
/// `presenter`: the box is in presenter mode's strip, which has no Step nor Resume of its own,
/// so the box offers them (the side panel's card has both already).
pub fn turn(f: &Follow, send: &Callback<Msg>, presenter: bool) -> Html {
    let p = f.place();
    if !p.off {
        let Some(t) = f.l.turn(f.s.cursor()) else {
            return Html::default();
        };
        // At the last beat there is nothing left to skip to: the goal is an extra, and the
        // lesson is complete either way (its end note shows beside this one).
        // In few words: in presenter mode every line this box takes comes off the canvas.
        let (goal, skip) = if f.l.next_beat_end(f.s.cursor()).is_some() {
            ("Goal", " Beat ▶ (PageDown) skips it.")
        } else {
            ("Goal (optional)", "")
        };
        return html! { <div class="your-turn" data-testid="your-turn" role="note">
            <strong>{"Your turn. "}</strong>{capitalized(t.prompt.trim_start_matches("Your turn: "))}
            // A prompt that is the goal's own words (an authored turn with none typed) is not
            // said twice.
            if t.prompt.trim_start_matches("Your turn: ").eq_ignore_ascii_case(&t.goal.describe()) {
                <span class="goal">{if skip.is_empty() { " (optional)" } else { skip }}</span>
            } else {
                <span class="goal">{format!(" {goal}: {}.{skip}", t.goal.describe())}</span>
            }
            // The turn begins with the room's own step: PageDown (Beat ▶) would skip it.
            if presenter {
                {" "}<button class="small" data-testid="turn-step" title="One step of your own run (Shift+PageDown); . plays on"
                        onclick={on(send, || Msg::Play(crate::ui::msg::Play::Step))}>{"Step ▶"}</button>
                // A clicker has no Step button: its "." plays the room's run, and the room is told.
                {" or . to play"}
            }
        </div> };
    }
    let Some(progress) = goal_progress(f.s, f.l) else {
        return Html::default();
    };
    // The turn's own words stay up until the goal is reached, and the lesson resumes after
    // it: only a turn at the last beat leads on to the next lesson.
    let prompt = crate::ui::guide::active_turn(f.s, f.l).map(|(t, _)| t.prompt.trim_start_matches("Your turn: "));
    let last = crate::ui::guide::active_turn(f.s, f.l).is_some_and(|(_, at)| f.l.next_beat_end(at).is_none());
    let next = lessons::next_after(&f.l.id).filter(|_| last && progress.reached);
    // Some goals need a click (Heal, a crash) that no run makes: a room playing on with "." must
    // be told, or the run goes on for ever with nothing on screen saying why.
    let taken = crate::ui::guide::active_turn(f.s, f.l).map_or(0, |(_, at)| f.s.cursor().saturating_sub(at));
    let long = (!progress.reached && taken >= LONG_RUN).then(|| {
        format!("{taken} steps and the goal is not reached: playing on may never reach it. PageUp goes back to the turn's beat; or pause and do what the turn asks.")
    });
    html! { <div class={classes!("your-turn", "goal-status", if progress.reached { "reached" } else { "pending" })}
                 data-testid="goal-status" data-reached={progress.reached.to_string()} role="status">
        if let (Some(prompt), false) = (prompt, progress.reached) {
            <p class="turn-prompt" data-testid="turn-prompt">{capitalized(prompt)}</p>
        }
        <strong>{if progress.reached { "Goal reached. " } else { "Not yet. " }}</strong>{&progress.why}
        if let Some(long) = long {
            <p class="turn-long" data-testid="turn-long">{long}</p>
        }
        if presenter || next.is_some() {
            <div class="lesson-nav">
                if presenter {
                    // Until the goal is reached a clicker's PageUp does this (see `prev_beat`); the
                    // button says so, or a lecturer with no pointer had no way out they could see.
                    <button class={classes!(next.is_none().then_some("primary"))} data-testid="goal-resume"
                            title={RESUME_TITLE} onclick={on(send, || Msg::Guide(Guide::Resume))}>
                        {if progress.reached { "Resume the lesson" } else { "Resume the lesson (PageUp)" }}</button>
                }
                if next.is_some() {
                    <button class="primary" data-testid="goal-next-lesson" onclick={on(send, || Msg::Guide(Guide::NextLesson))}>{"Next lesson ▶"}</button>
                }
            </div>
        }
    </div> }
}

/// Steps of the student's own run after which an unreached goal says that playing on may not
/// reach it. The built-in turns' scripted answers take at most 67 (tests/lesson_turns.rs prints
/// them), so a room on its way to a goal is not told to stop.
const LONG_RUN: usize = 100;

/// Past the last beat: the lesson is done, and the next one is a key away. `button` offers the
/// next lesson here too (the card has it in its own buttons already).
pub fn end(f: &Follow, send: &Callback<Msg>, button: bool) -> Html {
    let p = f.place();
    if !p.complete || f.l.next_beat_end(f.s.cursor()).is_some() {
        return Html::default();
    }
    let next = lessons::next_after(&f.l.id).and_then(|id| lessons::catalog().find(|c| c.0 == id));
    html! { <div class="lesson-end" data-testid="lesson-end" role="status">
        <strong>{"✓ Lesson complete."}</strong>
        { match next {
            // A lecturer's own lesson stands alone: there is no next one to offer.
            _ if f.l.is_authored() => html! { {format!(" That is the end of \u{201c}{}\u{201d}. PageUp goes back a beat.", f.l.title)} },
            // Presenter mode's strip keeps it to one line (every line comes off the canvas): the
            // button names the lesson, and its title follows.
            Some((_, n, title, _)) if button => html! { <>
                {" Next: "}
                <button class="primary" data-testid="lesson-next-lesson" onclick={on(send, || Msg::Guide(Guide::NextLesson))}>{format!("Lesson {n} ▶")}</button>
                {format!(" {title}.")}
            </> },
            // At a last beat that is a "your turn", "complete" right under the task read as if it
            // were done already: it is the lesson that is, and the task is there to try first.
            Some((_, n, title, _)) if f.l.turn(f.s.cursor()).is_some() => {
                html! { {format!(" The task above is yours to try first. Then: lesson {n}, {title} (PageDown).")} }
            }
            Some((_, n, title, _)) => html! { {format!(" Next: lesson {n}, {title} (PageDown).")} },
            None => html! { {" That was the last lesson: the cluster is yours."} },
        } }
    </div> }
}

/// A challenge's goals, each checked from the starting situation on, and whether the run on
/// screen still starts from that situation (only then do the checks mean anything).
pub fn challenge_goals(f: &Follow, c: &lessons::Challenge) -> (Html, bool) {
    let start = f.l.commands.len();
    let t = f.s.timeline();
    let fresh = crate::sim::attempt::challenge_ref(f.l).is_some_and(|r| crate::sim::attempt::starts_as(&r, t));
    let progress =
        if fresh && t.cursor() >= start { crate::sim::attempt::check_goals(&c.goals, t, start) } else { vec![] };
    let goals = c.goals.iter().enumerate().map(|(i, g)| {
        let p = progress.get(i);
        let ok = p.is_some_and(|p| p.reached);
        html! { <li class={if ok { "reached" } else { "pending" }} data-testid="challenge-goal" data-reached={ok.to_string()}>
            {format!("{} {}", if ok { "✓" } else { "○" }, capitalized(&g.describe()))}
            if let Some(p) = p { <span class="muted">{format!(" ({})", p.why)}</span> }
        </li> }
    });
    (html! { <ul class="plain challenge-goals">{ for goals }</ul> }, fresh && t.cursor() >= start)
}

/// A challenge: its prompt, its goals, and the attempt to hand in.
fn challenge(f: &Follow, c: &lessons::Challenge, send: &Callback<Msg>) -> Html {
    let start = f.l.commands.len();
    let (goals, fresh) = challenge_goals(f, c);
    let name = send.reform(|e: InputEvent| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        Msg::Author(Author::Student(el.value()))
    });
    html! { <section class="panel lesson-card" data-testid="lesson-card" aria-label={format!("Challenge: {}", f.l.title)}>
        <div class="lesson-head">
            <h2>{"Challenge"}</h2>
            <button class="ghost small" data-testid="lesson-exit" onclick={on(send, || Msg::Guide(Guide::Exit))} aria-label="Leave the challenge">{"✕"}</button>
        </div>
        <h3 class="lesson-title">{&f.l.title}</h3>
        <p class="caption" data-testid="caption">{if c.prompt.is_empty() { "Reach the goals from here." } else { &c.prompt }}</p>
        { goals }
        if !fresh {
            <p class="muted" data-testid="challenge-restart">{format!("Your run must start from the challenge's {start} steps: ")}
                <button class="link" onclick={on(send, || Msg::Guide(Guide::Resume))}>{"restart the challenge"}</button></p>
        }
        <div class="lesson-nav">
            <input data-testid="student-name" placeholder="Your name" value={f.student.to_string()} oninput={name} />
            <button class="primary" data-testid="export-attempt" onclick={on(send, || Msg::Author(Author::ExportAttempt))}>{"Hand in attempt"}</button>
        </div>
    </section> }
}

/// The card, at the top of the side panel.
pub fn view(f: &Follow, send: &Callback<Msg>) -> Html {
    let l = f.l;
    if let Some(c) = &l.challenge {
        return challenge(f, c, send);
    }
    let p = f.place();
    let cur = f.s.cursor();
    html! {
        <section class="panel lesson-card" data-testid="lesson-card" aria-label={format!("Lesson {}: {}", l.number, l.title)}>
            <div class="lesson-head">
                <h2>{if l.is_authored() { "Your lecturer's lesson".to_string() } else { format!("Lesson {} of {}", l.number, lessons::COUNT) }}</h2>
                <button class="ghost small" data-testid="lesson-exit" onclick={on(send, || Msg::Guide(Guide::Exit))} aria-label="Leave the lesson">{"✕"}</button>
            </div>
            <h3 class="lesson-title">{&l.title}</h3>
            { progress(f) }
            { caption(f, send) }
            { turn(f, send, false) }
            { end(f, send, false) }
            <div class="lesson-nav">
                <button data-testid="lesson-prev" disabled={cur == 0 && lessons::previous_before(&l.id).is_none()}
                        onclick={on(send, || Msg::Guide(Guide::Prev))}
                        title={if p.off { "One step back (PageUp)" } else { "Back to the previous beat (PageUp); at the start, to the end of the lesson before" }}>
                    {if p.off { "◀ Back" } else { "◀ Beat" }}</button>
                if p.off {
                    <button class="primary" data-testid="lesson-resume" onclick={on(send, || Msg::Guide(Guide::Resume))}
                            title={RESUME_TITLE}>{"Resume lesson"}</button>
                } else if p.complete && l.next_beat_end(cur).is_none() {
                    if lessons::next_after(&l.id).is_some() {
                        <button class="primary" data-testid="lesson-next" onclick={on(send, || Msg::Guide(Guide::NextLesson))}>{"Next lesson ▶"}</button>
                    } else {
                        // The last lesson (or a lecturer's own): the run stays, the lesson's card goes.
                        <button class="primary" data-testid="lesson-next" onclick={on(send, || Msg::Guide(Guide::Exit))}
                                title="Leave the lesson and keep playing with this cluster">{"Free play ▶"}</button>
                    }
                } else {
                    <button class="primary" data-testid="lesson-next" onclick={on(send, || Msg::Guide(Guide::Next))}
                            title="Play to the next beat (PageDown or →)">{"Beat ▶"}</button>
                }
            </div>
        </section>
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    // ASCII only: Unicode case tables would add kilobytes to the download for one letter.
    c.next().map(|f| std::iter::once(f.to_ascii_uppercase()).chain(c).collect()).unwrap_or_default()
}
