//! Scripts: command sequences written by intent ("deliver P1's Prepare to A2") rather than by
//! message id. A script runs against a real world as it is built, so every id it records is the
//! one the world really assigned. Lessons and scenario tests are written this way.

use super::command::Step;
use super::command::{Command, Event, MsgId};
use super::config::Config;
use super::narrate::narrate;
use super::network::InFlight;
use super::world::World;
use crate::paxos::{Kind, NodeId, Value};

/// Which in-flight messages a script step means. Unset fields match anything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pick {
    /// Sender.
    pub from: Option<NodeId>,
    /// Receiver.
    pub to: Option<NodeId>,
    /// Message kind.
    pub kind: Option<Kind>,
    /// Multi-Paxos: the slot the message is about.
    pub slot: Option<u8>,
}

impl Pick {
    /// Messages of one kind.
    pub fn kind(kind: Kind) -> Self {
        Pick { kind: Some(kind), ..Pick::default() }
    }
    /// Narrows to a sender.
    pub fn from(mut self, n: NodeId) -> Self {
        self.from = Some(n);
        self
    }
    /// Narrows to a receiver.
    pub fn to(mut self, n: NodeId) -> Self {
        self.to = Some(n);
        self
    }
    /// Narrows to a slot (0-based) of the log.
    pub fn slot(mut self, s: u8) -> Self {
        self.slot = Some(s);
        self
    }
    /// Does `m` match?
    pub fn matches(&self, m: &InFlight) -> bool {
        self.from.is_none_or(|f| f == m.from)
            && self.to.is_none_or(|t| t == m.to)
            && self.kind.is_none_or(|k| k == m.msg.kind())
            && self.slot.is_none_or(|s| m.msg.slot() == Some(s))
    }
}

/// A command sequence under construction, with the world it has produced so far.
#[derive(Clone, Debug)]
pub struct Script {
    world: World,
    commands: Vec<Command>,
    events: Vec<Vec<Event>>,
    narrations: Vec<String>,
    before_last: Option<World>,
    error: Option<String>,
}

impl Script {
    /// A script on a fresh world.
    pub fn new(config: Config, seed: u64) -> Result<Self, String> {
        Ok(Script {
            world: World::new(config, seed)?,
            commands: Vec::new(),
            events: Vec::new(),
            narrations: Vec::new(),
            before_last: None,
            error: None,
        })
    }

    /// The world after the steps so far.
    pub fn world(&self) -> &World {
        &self.world
    }
    /// The commands so far.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }
    /// Events of every step so far.
    pub fn events(&self) -> &[Vec<Event>] {
        &self.events
    }
    /// The narration of every step so far.
    pub fn narrations(&self) -> &[String] {
        &self.narrations
    }
    /// All events so far, flattened.
    pub fn all_events(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().flatten()
    }
    /// The last step with the worlds just before and after it, if there is a step.
    pub fn last_step(&self) -> Option<(&World, Step, &World)> {
        let before = self.before_last.as_ref()?;
        let step = Step { command: self.commands.last()?.clone(), events: self.events.last()?.clone() };
        Some((before, step, &self.world))
    }
    /// The first error, if a step could not be applied.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
    /// Steps so far.
    pub fn len(&self) -> usize {
        self.commands.len()
    }
    /// No steps yet?
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Applies a command. After the first failure, later steps are ignored and the error kept.
    pub fn run(&mut self, cmd: Command) -> &mut Self {
        if self.error.is_some() {
            return self;
        }
        let before = self.world.clone();
        let ev = self.world.apply(cmd.clone());
        if let [Event::Rejected { reason }] = ev.as_slice() {
            let short = super::link::encode_command(&cmd);
            self.error = Some(format!(
                "step {} ({short}) was refused: {}",
                self.commands.len() + 1,
                super::narrate::mid_sentence(reason)
            ));
            return self;
        }
        let step = Step { command: cmd, events: ev };
        self.narrations.push(narrate(&before, &step, &self.world).text);
        self.commands.push(step.command);
        self.events.push(step.events);
        self.before_last = Some(before);
        self
    }

    /// A client asks for its next value (in Multi-Paxos, the next command of its stream).
    pub fn next_command(&mut self, client: NodeId) -> &mut Self {
        let cmd = self.world.next_request(client);
        self.run(cmd)
    }

    /// A client asks for a value.
    pub fn request(&mut self, client: NodeId, value: &str) -> &mut Self {
        match Value::new(value) {
            Ok(value) => self.run(Command::Request { client, value }),
            Err(e) => {
                self.error.get_or_insert(e);
                self
            }
        }
    }

    /// Ids of the in-flight messages that match, by id.
    pub fn find(&self, pick: Pick) -> Vec<MsgId> {
        self.world.in_flight().iter().filter(|m| pick.matches(m)).map(|m| m.id).collect()
    }

    fn first(&mut self, pick: Pick) -> Option<MsgId> {
        let id = self.find(pick).first().copied();
        if id.is_none() && self.error.is_none() {
            let show = |n: Option<NodeId>| n.map_or("any".to_string(), |n| n.to_string());
            self.error = Some(format!(
                "step {}: no {} message from {} to {} is in flight",
                self.commands.len() + 1,
                pick.kind.map_or("any", Kind::name),
                show(pick.from),
                show(pick.to)
            ));
        }
        id
    }

    /// Applies `make(id)` to the oldest matching message (an error if none matches).
    fn on_oldest(&mut self, pick: Pick, make: fn(MsgId) -> Command) -> &mut Self {
        match self.first(pick) {
            Some(id) => self.run(make(id)),
            None => self,
        }
    }

    /// Applies `make(id)` to every message that matches now, oldest first (not to the ones the
    /// steps cause).
    fn on_each(&mut self, pick: Pick, make: fn(MsgId) -> Command) -> &mut Self {
        for id in self.find(pick) {
            self.run(make(id));
        }
        self
    }

    /// Delivers the oldest matching message.
    pub fn deliver(&mut self, pick: Pick) -> &mut Self {
        self.on_oldest(pick, |id| Command::Deliver { id })
    }

    /// Delivers every message that matches now.
    pub fn deliver_all(&mut self, pick: Pick) -> &mut Self {
        self.on_each(pick, |id| Command::Deliver { id })
    }

    /// Drops the oldest matching message.
    pub fn drop_msg(&mut self, pick: Pick) -> &mut Self {
        self.on_oldest(pick, |id| Command::Drop { id })
    }

    /// Drops every message that matches now.
    pub fn drop_all(&mut self, pick: Pick) -> &mut Self {
        self.on_each(pick, |id| Command::Drop { id })
    }

    /// Duplicates the oldest matching message.
    pub fn duplicate(&mut self, pick: Pick) -> &mut Self {
        self.on_oldest(pick, |id| Command::Duplicate { id })
    }

    /// Delivers the oldest message again and again until nothing is in flight (at most `limit`).
    pub fn settle(&mut self, limit: usize) -> &mut Self {
        for _ in 0..limit {
            match self.world.in_flight().first() {
                Some(m) if self.error.is_none() => {
                    let id = m.id;
                    self.run(Command::Deliver { id });
                }
                _ => break,
            }
        }
        self
    }

    /// Ticks `n` times (stops early when nothing is due).
    pub fn ticks(&mut self, n: usize) -> &mut Self {
        for _ in 0..n {
            if !self.world.is_enabled(&Command::Tick) {
                break;
            }
            self.run(Command::Tick);
        }
        self
    }

    /// Finishes: the commands, or the first error.
    pub fn finish(&self) -> Result<Vec<Command>, String> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(self.commands.clone()),
        }
    }
}
