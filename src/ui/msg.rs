//! Everything the page can ask the root component to do. Components receive a
//! `Callback<Msg>` and send these; they never see the root component itself.

use crate::paxos::NodeId;
use crate::sim::explore::Bounds;
use crate::sim::{Command, Config, MsgId};
use yew::prelude::*;

/// What a click on the canvas opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// Actions for a node.
    Node(NodeId),
    /// Actions for a message in flight (and its copies from the same sender, drawn as one token).
    Message(MsgId),
    /// The messages summed up in a gap's "+N more" chip.
    Overflow(u8),
}

/// Everything the page can ask the root to do, grouped so that each group has a handler of its own.
pub enum Msg {
    /// Moving through the run.
    Play(Play),
    /// Apply a world command (forks in the past).
    Do(Command),
    /// Start over with this config and seed.
    Reset(Config, u64),
    /// Menus, panels, overlays and notices.
    Show(Show),
    /// Following a lesson.
    Guide(Guide),
    /// Links, traces and pictures.
    Share(Share),
    /// The explorer and the metrics experiment.
    Explore(Explore),
    /// Predict mode.
    Predict(Predict),
    /// Authoring, authored lessons, challenges and grading.
    Author(Author),
    /// The page that embeds the app asked for something (docs/embed.md).
    Embed(Embed),
    /// The animated export dialog and its recording.
    Export(Export),
    /// A key went down anywhere.
    Key(KeyboardEvent),
}

/// Authoring mode (it edits only the draft, never the run), challenges and grading.
pub enum Author {
    /// Enter or leave authoring mode.
    Toggle,
    /// The draft's title.
    Title(String),
    /// Its introduction (a challenge's prompt).
    Intro(String),
    /// Mark a beat at the step on screen.
    Mark,
    /// Beat `k`'s caption.
    Caption(usize, String),
    /// Bind beat `k`'s caption to its `i`-th event.
    Event(usize, usize),
    /// Beat `k`'s canvas mark: the nodes named ("A1 A2") and the label, as typed.
    Highlight(usize, String, String),
    /// Remove beat `k`.
    Remove(usize),
    /// Ask the class to predict the next step.
    Poll,
    /// Remove the `i`-th predict question.
    Unpoll(usize),
    /// Make the draft a challenge (or a lesson again).
    Challenge(bool),
    /// A field of the goal menu.
    Form(GoalField),
    /// Add the menu's goal as a "your turn" point after beat `k` (or remove the one there).
    Turn(usize),
    /// Add the menu's goal to the challenge.
    AddGoal,
    /// Remove the challenge's `i`-th goal.
    RemoveGoal(usize),
    /// Make the short link (or say it is too long).
    ShareLink,
    /// Download the lesson file.
    ShareFile,
    /// The student's name for an attempt.
    Student(String),
    /// Download the attempt at the open challenge.
    ExportAttempt,
    /// Show or hide the grading table.
    Grader,
    /// Files dropped or picked for grading; `true` starts a new table.
    Grade(Vec<web_sys::File>, bool),
    /// One of them, read (its name and text).
    Graded(String, Result<String, String>),
}

/// A field of the goal menu.
pub enum GoalField {
    /// Which goal (index into `ui::author::GOALS`).
    Kind(usize),
    /// The node it names.
    Node(String),
    /// The value.
    Value(String),
    /// The round.
    Number(String),
    /// The words for the student.
    Prompt(String),
}

/// Moving through the run.
pub enum Play {
    /// Apply the next event (or redo).
    Step,
    /// Undo one step.
    Back,
    /// Redo one step.
    Forward,
    /// Start or stop auto-play.
    Toggle,
    /// Auto-play timer fired.
    Tick,
    /// Speed up.
    Faster,
    /// Slow down.
    Slower,
    /// Set the speed index.
    SetSpeed(usize),
    /// Jump to a step.
    Seek(usize),
}

/// Menus, panels, overlays and notices.
pub enum Show {
    /// Open (or close again) a menu on the canvas.
    Menu(Menu),
    /// Close any menu.
    CloseMenu,
    /// Show or hide the shortcut overlay.
    Help,
    /// Show or hide a top-bar menu.
    TopMenu(TopMenu),
    /// Show or hide the space-time diagram.
    SpaceTime,
    /// The pointer is over a message (on the canvas or in the diagram), or left it.
    Hover(Option<MsgId>),
    /// Show or hide the explorer.
    Explorer,
    /// Show or hide the metrics.
    Metrics,
    /// Enter or leave presenter mode.
    Presenter,
    /// Enter or leave full screen.
    Fullscreen,
    /// Switch between the light and dark themes.
    Theme,
    /// Show a message to the user.
    Notice(String),
    /// Hide the message.
    DismissNotice,
    /// The window changed size: measure the canvas again.
    Resized,
    /// The canvas measures this many CSS pixels.
    Canvas(f64, f64),
}

/// Following a lesson.
pub enum Guide {
    /// Open a lesson from the start.
    Open(String),
    /// Leave the lesson (keep the run).
    Exit,
    /// Rebuild the lesson's script up to the step where the student left it.
    Resume,
    /// Play everything up to the next beat (or reveal an open question, or, past the last beat,
    /// offer and then open the next lesson).
    Next,
    /// Back to the previous beat.
    Prev,
    /// The next step of playing towards a beat.
    Tick,
    /// Open the lesson after this one.
    NextLesson,
    /// The built-in lessons' text was fetched, or why not.
    Arrived(Result<String, String>),
}

/// Links, traces and pictures.
pub enum Share {
    /// Download the trace JSON.
    ExportTrace,
    /// Import a trace file.
    ImportFile(web_sys::File),
    /// Import trace text (after the file is read).
    ImportText(Result<String, String>),
    /// Download the cluster as SVG.
    ExportSvg,
    /// Download the cluster as PNG.
    ExportPng,
    /// Copy the share link to the clipboard (or show it).
    CopyLink,
    /// The URL hash changed outside the app (a pasted link).
    HashChanged,
    /// Open this address (a link that waited for the lessons' text; the page's own address may
    /// have moved on meanwhile).
    OpenHash(String),
    /// Download the space-time diagram as SVG.
    ExportDiagram,
}

/// The explorer and the metrics experiment.
pub enum Explore {
    /// Start a search with these bounds on the current config; `true` stops at the first rule
    /// broken rather than searching on for harm.
    Start(Bounds, bool),
    /// Run the next slice of the search.
    Slice,
    /// Stop the search.
    Cancel,
    /// Load the counterexample into the timeline and play it.
    LoadCounterexample,
    /// Forget the last search and its verdict.
    Dismiss,
    /// Run the metrics experiment.
    RunExperiment,
}

/// Predict mode.
pub enum Predict {
    /// Turn predict mode on or off.
    Toggle,
    /// Pick choice `i` and reveal at once (a student clicking an answer).
    Answer(usize),
    /// Pick choice `i` without revealing (a poll: number keys, presenter mode).
    Choose(usize),
    /// Reveal the answer and take the step.
    Reveal,
    /// Reveal without picking and take the step.
    Skip,
    /// Show the hint (not in exam mode).
    Hint,
    /// Exam mode on or off.
    Exam,
}

/// A `postMessage` that may be for the embedding API.
pub enum Embed {
    /// A message whose type says it is for us.
    Message {
        /// Its fields, or why it cannot be read.
        message: Result<crate::ui::embed::Message, String>,
        /// Its `id`, to send back with the answer.
        id: Option<wasm_bindgen::JsValue>,
        /// The window to answer.
        source: Option<js_sys::Object>,
    },
}

/// The animated export dialog and its recording.
pub enum Export {
    /// Open the dialog (or close it again, when nothing is recording).
    Open,
    /// Count the range in steps or in the lesson's beats.
    Unit(crate::ui::export::Unit),
    /// The first step or beat of the range.
    From(usize),
    /// The last step or beat of the range.
    To(usize),
    /// Hold each frame for this many seconds (an index into `export::HOLDS`).
    Hold(usize),
    /// Record the range.
    Start,
    /// The recorder is loaded and running; this handle cancels it.
    Started(wasm_bindgen::JsValue),
    /// The recorder wants the app at this step (for the next frame).
    Goto(usize),
    /// Stop recording and keep nothing.
    Cancel,
    /// The recording ended: the video, nothing (cancelled), or why it failed.
    Finished(Result<Option<web_sys::Blob>, String>),
}

/// What the presenter's spotlight is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spot {
    /// A node and its messages.
    Node(NodeId),
    /// A message and its two ends.
    Message(MsgId),
}

/// The drop-down menus of the top bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopMenu {
    /// The lesson list.
    Lessons,
    /// Share, export and import.
    Share,
}

/// A callback that sends a fixed message, whatever the event. Every button shares this one
/// closure type, where `send.reform(|_| ...)` made a closure, a vtable and a drop per button.
pub fn on<T: 'static>(send: &Callback<Msg>, make: fn() -> Msg) -> Callback<T> {
    let send = send.clone();
    Callback::from(move |_: T| send.emit(make()))
}

/// A callback that sends a message only when `f` returns one (a key that is not Enter, a file
/// input left empty).
pub fn when<T: 'static>(send: &Callback<Msg>, f: impl Fn(T) -> Option<Msg> + 'static) -> Callback<T> {
    let send = send.clone();
    Callback::from(move |e: T| {
        if let Some(m) = f(e) {
            send.emit(m);
        }
    })
}
