//! Presenter mode: a slim bar on top (lesson, beat progress, off-script, chosen, safety) and a
//! strip along the bottom in large type (the lesson's words or the narration, a poll, "your
//! turn", the next lesson), so the cluster gets the rest of the screen. A clicker drives it all:
//! PageDown plays to the next beat (or reveals a poll's answer), PageUp goes back a beat, and the
//! number keys vote.

use super::lessons::{self as card, Follow};
use super::predict::{choices, outcome};
use crate::paxos::{NodeId, Role};
use crate::sim::{Command, MsgId, World};
use crate::ui::guide::NextPress;
use crate::ui::msg::{on, Guide, Msg, Play, Predict, Show, Spot};
use crate::ui::poll::Poll;
use crate::ui::session::Session;
use yew::prelude::*;

/// The bar on top.
/// `explored` names the run when it is the explorer's counterexample.
/// `lessons`: the Lessons menu is open; `done`: the lessons finished.
pub fn header(
    s: &Session,
    follow: Option<&Follow>,
    explored: Option<String>,
    (lessons, done): (bool, &[String]),
    send: &Callback<Msg>,
) -> Html {
    let (safety, safety_text) = crate::ui::format::safety(s.world().oracle().violations());
    let title = match (follow, explored) {
        (Some(f), _) if f.l.is_authored() => f.l.title.clone(),
        (Some(f), _) => format!("Lesson {} · {}", f.l.number, f.l.title),
        (None, Some(e)) => e,
        (None, None) => "Paxoscope · free play".into(),
    };
    html! {
        <header class="presenter-bar" data-testid="presenter-bar">
            <span class="pres-title" data-testid="presenter-title" title={title.clone()}>{title}</span>
            <span class="spacer" />
            { super::banner::view(s, true) }
            // Kept together, so a wrap never leaves the exit button alone on a row.
            <span class="pres-state">
                { super::topbar::lessons_menu(lessons, true, follow.map(|f| f.l), done, send) }
                // The room is told a rule is off, as the top bar tells one reader (in fewer words,
                // so the bar keeps one row at 1280 px beside a split chosen banner).
                if s.timeline().config().is_unsafe() {
                    <span class="unsafe-badge" data-testid="presenter-unsafe" title={super::topbar::unsafe_title(s.timeline().config())}>{"⚠ rules off"}</span>
                }
                <span class={classes!("strip-safety", safety)} data-testid="presenter-safety">{safety_text}</span>
                <button class="ghost" data-testid="presenter-exit" onclick={on(send, || Msg::Show(Show::Presenter))}
                        title="Leave presenter mode (P)">{"✕"}</button>
            </span>
        </header>
    }
}

/// What the strip says: a poll, its answer, the lesson's words or the narration (before the
/// first step, `intro` if there is one: the explorer's verdict on the counterexample loaded).
fn words(s: &Session, follow: Option<&Follow>, poll: &Poll, intro: Option<&str>, send: &Callback<Msg>) -> Html {
    if let Some(q) = &poll.question {
        return html! { <div class="strip-question" data-testid="strip-question">
            <p class="strip-text"><strong>{&q.prompt}</strong></p>
            { choices(poll, false, send) }
            // A pick by key showed only as an outline, read as the focus ring: the words say it.
            <p class="strip-hint" data-testid="strip-hint">{match poll.choice.and_then(|i| q.choices.get(i).map(|c| (i + 1, c))) {
                Some((k, c)) => format!("Picked: {k} {c}. PageDown reveals the answer; another key changes the pick."),
                None => format!("Vote with 1 to {}; PageDown reveals the answer.", q.choices.len()),
            }}</p>
        </div> };
    }
    // After a reveal the answer shows as a smaller line under the lesson's words, so the
    // beat's caption, the sentence the lesson is built around, is never replaced.
    // The room's running score goes with it: the side panel, which shows it to one reader, is
    // hidden in presenter mode.
    let answer = || {
        poll.outcome.as_ref().map(|o| {
            let (right, asked) = poll.score;
            html! { <div class="strip-answer">{ outcome(o) }
                if asked > 0 { <span class="strip-score" data-testid="strip-score">{format!("Room: {right} of {asked} right")}</span> }
            </div> }
        })
    };
    // `run`: the room's own run at a "your turn", where the turn's box takes a row or two more.
    // Its narration (five lines of 26 px for a Multi-Paxos re-proposal) is set smaller, so the
    // canvas keeps more of its room (it had shrunk to 11 px type); it is never cut, as its last
    // sentence can be the exercise's answer.
    let narration = |run: bool| {
        let text = match (s.narration(), intro) {
            (Some(n), _) => n.text.clone(),
            (None, Some(verdict)) => format!("{verdict} PageDown steps through it."),
            (None, None) if !s.is_empty() => "Press PageDown to replay the run step by step.".to_string(),
            (None, None) if follow.is_none() => format!(
                "Press PageDown and C1 asks for {}; or click a client to choose its value.",
                crate::ui::format::requested(&s.world().next_request(NodeId::client(0)))
            ),
            (None, None) => "Press PageDown to step; click a client to ask for a value.".to_string(),
        };
        html! { <p class={classes!("strip-text", run.then_some("strip-run"))} data-testid="strip-narration">{text}</p> }
    };
    // A challenge has no beats: its prompt and goals (ticked as they are reached) stay in view
    // for the whole class, with the narration of the step on screen.
    if let Some((f, c)) = follow.and_then(|f| f.l.challenge.as_ref().map(|c| (f, c))) {
        let (goals, _) = card::challenge_goals(f, c);
        return html! { <>
            <p class="strip-text strip-challenge" data-testid="strip-challenge"><strong>{"Challenge: "}</strong>
                {if c.prompt.is_empty() { "reach the goals from here." } else { &c.prompt }}</p>
            <div class="strip-goals">{ goals }</div>
            { narration(false) }
        </> };
    }
    match follow {
        // The lesson's one-line summary before its first step.
        Some(f) if s.cursor() == 0 && !crate::ui::guide::place(f.s, f.l).off => html! { <>
            <div class="strip-caption">{ card::caption(f, send) }</div>
            <p class="strip-hint">{"PageDown plays the first beat."}</p>
        </> },
        Some(f) if crate::ui::guide::place(f.s, f.l).beat.is_some() => html! { <>
            <div class="strip-caption">{ card::caption(f, send) }</div>
            { answer().unwrap_or_default() }
        </> },
        // Acting on a "your turn": its box below says what to do and how it goes, so the strip
        // gives the narration and leaves the room to the box.
        Some(f) if crate::ui::guide::active_turn(f.s, f.l).is_some() => narration(true),
        // While a press plays on to the next beat, one line stands: each step's narration,
        // a new one every few tenths of a second, flickered past the room unread (13 in lesson
        // 14's second beat). Paused or stepped by hand, the narration shows again.
        Some(f) if f.beat_playing && poll.outcome.is_none() => html! {
            <p class="strip-text strip-between" data-testid="strip-between">
                {format!("Playing on to beat {}…", crate::ui::guide::place(f.s, f.l).done + 1)}</p>
        },
        Some(f) if crate::ui::guide::place(f.s, f.l).off => html! { <>
            <div class="strip-caption">{ card::caption(f, send) }</div>
            { narration(false) }
        </> },
        Some(_) | None => answer().unwrap_or_else(|| narration(false)),
    }
}

/// Buttons for what the spotlight is on, so no menu opens over the canvas.
fn spot_actions(w: &World, spot: Option<Spot>, heal: bool, send: &Callback<Msg>) -> Html {
    let button = |label: String, cmd: Command| {
        let why = w.check(&cmd).err();
        let disabled = why.is_some();
        html! { <button class="small" {disabled} title={why.unwrap_or_default()}
        onclick={send.reform(move |_| Msg::Do(cmd.clone()))}>{label}</button> }
    };
    // While the network is cut, Heal stays in the strip where the room acts (free play, a "your
    // turn", off the script): presenter mode hides the side panel's button, and lesson 9's "your
    // turn" begins with "click Heal". On the script's beats it would only tempt a stray click.
    let heal = (heal && w.check(&Command::Heal).is_ok()).then(|| button("Heal the partition".into(), Command::Heal));
    let items: Vec<Html> = match spot {
        Some(Spot::Node(n)) => node_actions(w, n, &button),
        Some(Spot::Message(id)) => message_actions(w, id, &button),
        None if heal.is_some() => vec![],
        None => return Html::default(),
    };
    let items = items.into_iter().chain(heal);
    html! { <div class="spot-actions" data-testid="spot-actions">{ for items }
    // A bare ✕, so three receivers' buttons still fit one row at 1280 px.
    if spot.is_some() {
        <button class="small ghost" aria-label="Clear spotlight" title="Clear spotlight"
                onclick={on(send, || Msg::Show(Show::CloseMenu))}>{"✕"}</button>
    }</div> }
}

fn node_actions(w: &World, n: NodeId, button: &dyn Fn(String, Command) -> Html) -> Vec<Html> {
    let mut v = vec![if w.is_up(n) {
        button(format!("Crash {n}"), Command::Crash { node: n })
    } else {
        button(format!("Restart {n}"), Command::Restart { node: n })
    }];
    match n.role {
        Role::Proposer => v.push(button(format!("Time out {n}"), Command::Timeout { node: n })),
        Role::Client => {
            let request = w.next_request(n);
            v.push(button(format!("{n} asks for {}", crate::ui::format::requested(&request)), request))
        }
        Role::Acceptor | Role::Learner => {}
    }
    v
}

fn message_actions(w: &World, id: MsgId, button: &dyn Fn(String, Command) -> Html) -> Vec<Html> {
    let Some(m) = w.message(id) else {
        return vec![];
    };
    let copies = crate::ui::scene::tokens::copies_of(w, id);
    if copies.len() == 1 {
        let what = format!("{} to {}", m.msg.label(), m.to);
        return vec![
            button(format!("Deliver {what}"), Command::Deliver { id }),
            button("Drop it".into(), Command::Drop { id }),
            button("Duplicate it".into(), Command::Duplicate { id }),
        ];
    }
    // One token stands for a copy per receiver: each copy gets its own buttons, named by its
    // receiver, so "deliver to A2 first" can be done from the clicker's strip too.
    let mut v = Vec::new();
    for c in copies {
        let Some(to) = w.message(c).map(|m| m.to) else { continue };
        v.push(html! { <span class="spot-copy" data-testid={format!("spot-copy-{to}")}>
            { button(format!("Deliver to {to}"), Command::Deliver { id: c }) }
            { button("Drop".into(), Command::Drop { id: c }) }
            { button("Duplicate".into(), Command::Duplicate { id: c }) }
        </span> });
    }
    v
}

/// The strip along the bottom.
pub fn strip(
    s: &Session,
    follow: Option<&Follow>,
    poll: &Poll,
    spot: Option<Spot>,
    intro: Option<&str>,
    send: &Callback<Msg>,
) -> Html {
    let lesson = follow.is_some();
    let back = move |_| if lesson { Msg::Guide(Guide::Prev) } else { Msg::Play(Play::Back) };
    let next = move |_| if lesson { Msg::Guide(Guide::Next) } else { Msg::Play(Play::Step) };
    let reveal = poll.question.is_some();
    let (label, title) = match follow.map(|f| (crate::ui::guide::next_press(f.s, f.l), f.l)) {
        Some((NextPress::Beat, _)) => ("Beat ▶", "Play to the next beat (PageDown)".into()),
        Some((NextPress::Next, l)) => crate::ui::guide::next_words(l, "PageDown"),
        Some((NextPress::Resume, _)) => ("Resume ▶", "Back to the lesson, and on to its next beat (PageDown)".into()),
        Some((NextPress::Step, _)) | None => ("Step ▶", "One step (PageDown)".into()),
    };
    html! {
        <div class="presenter-strip" data-testid="presenter-strip" aria-live="polite">
            <div class="strip-main">
                { words(s, follow, poll, intro, send) }
                // An open question has the strip and PageDown (which reveals): the turn's
                // "PageDown skips it" would contradict it, so the turn waits for the answer.
                { follow.filter(|_| !reveal).map(|f| card::turn(f, send, true)).unwrap_or_default() }
                { follow.map(|f| card::end(f, send, true)).unwrap_or_default() }
                // The spotlight's actions are one row under the words, in the room the strip
                // keeps for a third line: stacked by the clicker's buttons they made the strip
                // grow, the canvas shrink, and the token just clicked jump away from the pointer.
                { spot_actions(s.world(), spot, follow.is_none_or(|f| f.place().off || crate::ui::guide::at_turn(f.s, f.l)), send) }
            </div>
            <div class="strip-nav">
                // Beat progress sits by the clicker's buttons, leaving the top bar room for the
                // title and the chosen banner on one line.
                { follow.map(card::progress).unwrap_or_else(|| html! {
                    // Outside a lesson the room still needs to know which step is on screen.
                    // The clicker's "." plays and pauses: the room sees which it is.
                    <span class="lesson-step" data-testid="strip-step">{format!("step {} / {}", s.cursor(), s.len())}
                        if s.playing { <span class="beat-playing">{" · playing"}</span> }
                    </span>
                }) }
                <button data-testid="strip-back" aria-label="Back" onclick={send.reform(back)}>{"◀"}</button>
                if reveal {
                    <button class="primary" data-testid="strip-reveal" onclick={on(send, || Msg::Predict(Predict::Reveal))}>{"Reveal"}</button>
                } else {
                    <button class="primary" data-testid="strip-next" {title} onclick={send.reform(next)}>{label}</button>
                }
            </div>
        </div>
    }
}
