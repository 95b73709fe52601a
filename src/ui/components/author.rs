//! The authoring panel, beside the canvas: beats marked on the run with their captions and the
//! event each is bound to, "your turn" goals from a menu, predict questions, or a challenge's
//! goals; then the lesson as a link or a file. It edits only the draft.

use crate::sim::authored::LINK_BUDGET;
use crate::ui::author::{Draft, DraftBeat, GOALS, LOG_GOALS};
use crate::ui::msg::{on, Author, GoalField, Msg};
use crate::ui::session::Session;
use yew::prelude::*;

fn input(send: &Callback<Msg>, f: impl Fn(String) -> Author + 'static) -> Callback<InputEvent> {
    send.reform(move |e: InputEvent| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        Msg::Author(f(el.value()))
    })
}

fn select(send: &Callback<Msg>, f: impl Fn(String) -> Author + 'static) -> Callback<Event> {
    send.reform(move |e: Event| {
        let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
        Msg::Author(f(el.value()))
    })
}

fn button(send: &Callback<Msg>, id: &str, label: String, m: impl Fn() -> Author + 'static) -> Html {
    html! { <button class="small" data-testid={id.to_string()} onclick={send.reform(move |_| Msg::Author(m()))}>{label}</button> }
}

/// The goal menu: which predicate, and the node, value or round it takes.
fn goal_menu(d: &Draft, s: &Session, send: &Callback<Msg>) -> Html {
    let f = &d.form;
    let (_, role, value, number) = GOALS[f.kind.min(GOALS.len() - 1)];
    let multi = !s.timeline().config().mode.is_single();
    let order = LOG_GOALS.filter(|_| multi).chain((0..GOALS.len()).filter(|i| !LOG_GOALS.contains(i)));
    let kinds = order.map(|i| html! { <option value={i.to_string()} selected={i == f.kind}>{GOALS[i].0}</option> });
    let nodes = s.timeline().config().nodes().filter(|n| Some(n.role) == role).map(|n| {
        let name = n.to_string();
        html! { <option value={name.clone()} selected={f.node == name}>{name.clone()}</option> }
    });
    html! { <div class="goal-menu">
        <select data-testid="author-goal-kind" aria-label="Goal" onchange={select(send, |v| Author::Form(GoalField::Kind(v.parse().unwrap_or(0))))}>{ for kinds }</select>
        if role.is_some() {
            <select data-testid="author-goal-node" aria-label="Node" onchange={select(send, |v| Author::Form(GoalField::Node(v)))}>
                <option value="" selected={f.node.is_empty()}>{"node…"}</option>{ for nodes }</select>
        }
        if value { <input data-testid="author-goal-value" size="6" placeholder="value" value={f.value.clone()} oninput={input(send, |v| Author::Form(GoalField::Value(v)))} /> }
        if let Some(what) = number { <input data-testid="author-goal-number" type="number" min="1" placeholder={what} aria-label={what} value={if f.number == 0 { String::new() } else { f.number.to_string() }} oninput={input(send, |v| Author::Form(GoalField::Number(v)))} /> }
        if !d.challenge { <input data-testid="author-goal-prompt" placeholder="prompt for the student (optional)" value={f.prompt.clone()} oninput={input(send, |v| Author::Form(GoalField::Prompt(v)))} /> }
    </div> }
}

fn beats(d: &Draft, recorded: usize, send: &Callback<Msg>) -> Html {
    let rows = d.beats.iter().enumerate().map(|(k, b)| {
        let events = b.events.iter().enumerate().map(|(i, c)| html! { <option value={i.to_string()} selected={i == b.on}>{c.to_string()}</option> });
        let turn = match &b.turn {
            Some(t) => format!("✕ your turn: {}", t.goal.describe()),
            // Names the goal it will add, so it is plain that the goal menu is filled in first.
            None => match d.form.goal() {
                Ok(g) => format!("+ your turn: {}", g.describe()),
                Err(_) => "+ your turn (fill in the goal menu first)".into(),
            },
        };
        html! { <li class="author-beat" data-testid="author-beat">
            <div class="lesson-head"><strong>{format!("Beat {} · step {}", k + 1, b.end)}</strong>
                { button(send, "author-remove", "✕".into(), move || Author::Remove(k)) }</div>
            <select aria-label="The event the caption is about" data-testid="author-event" onchange={select(send, move |v| Author::Event(k, v.parse().unwrap_or(0)))}>{ for events }</select>
            <textarea data-testid="author-caption" rows="2" placeholder="Caption for this beat" value={b.caption.clone()}
                      oninput={send.reform(move |e: InputEvent| { let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into(); Msg::Author(Author::Caption(k, el.value())) })} />
            { highlight(k, b, send) }
            { button(send, "author-turn", turn, move || Author::Turn(k)) }
        </li> }
    });
    // A question about a step the run has not taken yet cannot be shared: say so now, not only
    // when the lecturer shares.
    let polls = d.polls.iter().enumerate().map(|(i, p)| html! { <li data-testid="author-poll-item">{format!("Predict step {p} ")}
        if *p > recorded { <span class="author-warn" data-testid="author-poll-unrecorded">{format!("(not recorded yet: step past step {p} before sharing) ")}</span> }
        if d.unasked(*p) { <span class="author-warn" data-testid="author-poll-unasked">{format!("(after the last beat, so never asked: mark a beat at step {p} or later) ")}</span> }
        { button(send, "author-unpoll", "✕".into(), move || Author::Unpoll(i)) }</li> });
    html! { <><ol class="author-beats">{ for rows }</ol><ul class="author-polls">{ for polls }</ul></> }
}

/// Beat `k`'s canvas mark: which nodes, and why, kept as typed; a name the cluster lacks is
/// said under the fields at once.
fn highlight(k: usize, b: &DraftBeat, send: &Callback<Msg>) -> Html {
    let (names, label) = b.mark.clone();
    let (n2, l2) = (names.clone(), label.clone());
    html! { <div class="author-highlight">
        <input data-testid="author-highlight-nodes" size="7" placeholder="mark: A1 A2" aria-label="Nodes to mark on the canvas"
               value={names} oninput={input(send, move |v| Author::Highlight(k, v, l2.clone()))} />
        <input data-testid="author-highlight-label" placeholder="why (shown on the canvas)" aria-label="Why they are marked"
               value={label} oninput={input(send, move |v| Author::Highlight(k, n2.clone(), v))} />
        if let Some(e) = &b.mark_error { <span class="author-warn" data-testid="author-highlight-error">{e}</span> }
    </div> }
}

fn share(shared: Option<&Result<String, String>>, send: &Callback<Msg>) -> Html {
    let out = match shared {
        Some(Ok(url)) => html! { <>
            <input readonly=true data-testid="author-link" value={url.clone()} aria-label="The lesson's link" />
            <p class="muted small">{format!("{} characters (at most {LINK_BUDGET}); copied to the clipboard.", url.len())}</p>
        </> },
        Some(Err(e)) => html! { <p class="author-error" role="alert" data-testid="author-link-error">{e}</p> },
        None => Html::default(),
    };
    html! { <div class="author-share">
        { button(send, "author-share-link", "Share as link".into(), || Author::ShareLink) }
        { button(send, "author-share-file", "Save as file".into(), || Author::ShareFile) }
        { out }
    </div> }
}

/// A challenge has no beats or predict questions; ticking it must not seem to throw away the
/// ones already marked, so the panel says where they went.
fn set_aside(d: &Draft) -> Html {
    let (beats, polls) = (d.beats.len(), d.polls.len());
    if !d.challenge || beats + polls == 0 {
        return Html::default();
    }
    let what = match (beats, polls) {
        (b, 0) => crate::ui::verdict::count(b as u64, "beat", "beats"),
        (0, p) => crate::ui::verdict::count(p as u64, "predict question", "predict questions"),
        (b, p) => format!(
            "{} and {}",
            crate::ui::verdict::count(b as u64, "beat", "beats"),
            crate::ui::verdict::count(p as u64, "predict question", "predict questions")
        ),
    };
    html! { <p class="muted small" data-testid="author-set-aside">
        {format!("A challenge has no beats: the {what} you marked {}", match beats + polls {
            1 => "is set aside, not saved with it, and comes back when Challenge is unticked.",
            _ => "are set aside, not saved with it, and come back when Challenge is unticked.",
        })}
    </p> }
}

/// The panel.
pub fn view(d: &Draft, s: &Session, shared: Option<&Result<String, String>>, send: &Callback<Msg>) -> Html {
    let cur = s.cursor();
    // The next step as Step would take it: the recorded one, or the world's next event.
    let next = s.timeline().steps().get(cur).map_or(crate::sim::Command::Tick, |st| st.command.clone());
    let can_poll = !d.challenge && crate::ui::predict::question(s.world(), &next).is_some();
    let goals = d.goals.iter().enumerate().map(|(i, g)| html! { <li>{g.describe()}{" "}{ button(send, "author-remove-goal", "✕".into(), move || Author::RemoveGoal(i)) }</li> });
    html! {
        <section class="panel author" data-testid="author-panel" aria-label="Authoring">
            <div class="lesson-head"><h2>{"Authoring"}</h2>
                <button class="ghost small" data-testid="author-close" aria-label="Leave authoring" onclick={on(send, || Msg::Author(Author::Toggle))}>{"✕"}</button></div>
            <p class="muted small">{"Drive the run as usual; this panel only writes the lesson, it never changes the run."}</p>
            <input data-testid="author-title" placeholder="Title" value={d.title.clone()} oninput={input(send, Author::Title)} />
            <label class="check small"><input type="checkbox" data-testid="author-challenge" checked={d.challenge}
                onchange={send.reform(move |e: Event| { let el: web_sys::HtmlInputElement = e.target_unchecked_into(); Msg::Author(Author::Challenge(el.checked())) })} />
                {format!("Challenge: students start at step {cur} and reach the goals")}</label>
            <input data-testid="author-intro" placeholder={if d.challenge { "What to do" } else { "Introduction (shown at step 0)" }}
                   value={d.intro.clone()} oninput={input(send, Author::Intro)} />
            if !d.challenge {
                <div class="lesson-nav">
                    { button(send, "author-mark", format!("Mark beat at step {cur}"), || Author::Mark) }
                    <button class="small" data-testid="author-poll" disabled={!can_poll} onclick={on(send, || Msg::Author(Author::Poll))}
                            title="The next step must be a delivery">{format!("Predict step {}", cur + 1)}</button>
                </div>
                { beats(d, s.timeline().len(), send) }
            }
            { set_aside(d) }
            { goal_menu(d, s, send) }
            if d.challenge {
                { button(send, "author-add-goal", "+ add this goal".into(), || Author::AddGoal) }
                <ul data-testid="author-goals">{ for goals }</ul>
            }
            { share(shared, send) }
        </section>
    }
}
