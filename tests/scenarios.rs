//! Named scenarios from *Paxos Made Simple*, each driven message by message and checked against
//! the oracle's global view.

use paxoscope::paxos::{Ballot, Kind, NodeId, Phase, Value};
use paxoscope::sim::{Command, Config, Event, Invariant, Pick, Script};

const C1: NodeId = NodeId::client(0);
const C2: NodeId = NodeId::client(1);
const P1: NodeId = NodeId::proposer(0);
const P2: NodeId = NodeId::proposer(1);
const L1: NodeId = NodeId::learner(0);
fn a(i: u8) -> NodeId {
    NodeId::acceptor(i)
}
fn v(s: &str) -> Value {
    Value::new(s).unwrap()
}
fn script(cfg: Config) -> Script {
    Script::new(cfg, 1).unwrap()
}
fn violations(s: &Script) -> Vec<Invariant> {
    s.all_events()
        .filter_map(|e| if let Event::Violated { invariant, .. } = e { Some(*invariant) } else { None })
        .collect()
}
fn chosen_events(s: &Script) -> Vec<(Ballot, Value)> {
    s.all_events()
        .filter_map(|e| if let Event::Chosen { ballot, value } = e { Some((*ballot, *value)) } else { None })
        .collect()
}
fn sent_kinds(s: &Script) -> Vec<&'static str> {
    s.all_events()
        .filter_map(|e| if let Event::Sent { msg, .. } = e { Some(msg.kind().name()) } else { None })
        .collect()
}

#[test]
fn happy_path_runs_every_phase_and_chooses_the_requested_value() {
    let mut s = script(Config::default());
    s.request(C1, "X").settle(100);
    assert_eq!(s.error(), None);
    let w = s.world();
    assert_eq!(w.chosen(), Some((Ballot::new(1, 0), v("X"))));
    assert_eq!(chosen_events(&s).len(), 1, "chosen is emitted exactly once");
    assert_eq!(w.proposers()[0].phase, Phase::Done);
    assert_eq!(w.learners()[0].learned, Some(v("X")));
    assert_eq!(w.clients()[0].outcome, Some(v("X")));
    assert_eq!(w.clients()[1].outcome, Some(v("X")), "the learner announces to every client");
    assert!(w.acceptors().iter().all(|a| a.committed == Some(v("X"))));
    let kinds = sent_kinds(&s);
    let count = |k| kinds.iter().filter(|x| **x == k).count();
    // 1 request, 3 prepares, 3 promises, 3 accepts, 3 votes to P1 and 3 to L1, 3+1 commits,
    // 1 reply, and the learner's announcement to 2 clients.
    assert_eq!(
        [
            count("request"),
            count("prepare"),
            count("promise"),
            count("accept"),
            count("accepted"),
            count("commit"),
            count("reply"),
            count("announce")
        ],
        [1, 3, 3, 3, 6, 4, 1, 2]
    );
    assert!(violations(&s).is_empty());
}

#[test]
fn chosen_is_emitted_at_the_moment_the_majority_accepts() {
    let mut s = script(Config::default());
    s.request(C1, "X").settle_phase1();
    s.deliver(Pick::kind(Kind::Accept).to(a(0)));
    assert!(chosen_events(&s).is_empty(), "one vote of three is not a majority");
    s.deliver(Pick::kind(Kind::Accept).to(a(1)));
    let last = s.events().last().unwrap();
    assert!(last.contains(&Event::Chosen { ballot: Ballot::new(1, 0), value: v("X") }), "{last:?}");
    // Nobody knows yet: the proposer and learner have not seen the votes.
    assert_eq!(s.world().learners()[0].learned, None);
    assert_eq!(s.world().proposers()[0].phase, Phase::Accepting);
}

trait Phase1 {
    fn settle_phase1(&mut self) -> &mut Self;
}
impl Phase1 for Script {
    /// Request, prepares and promises delivered, leaving the Accepts in flight.
    fn settle_phase1(&mut self) -> &mut Self {
        self.deliver_all(Pick::kind(Kind::Request))
            .deliver_all(Pick::kind(Kind::Prepare))
            .deliver_all(Pick::kind(Kind::Promise))
    }
}

#[test]
fn single_acceptor_decides_but_its_crash_stops_everything() {
    let cfg = Config { acceptors: 1, ..Config::default() };
    let mut s = script(cfg);
    s.request(C1, "X").settle(50);
    assert_eq!(s.world().chosen(), Some((Ballot::new(1, 0), v("X"))));
    // A1 crashes. C2 asks P2, which can never assemble even one promise.
    s.run(Command::Crash { node: a(0) });
    s.run(Command::SetLeader { client: C2, leader: P2 }).request(C2, "Y").ticks(400);
    assert_eq!(s.error(), None);
    let p2 = &s.world().proposers()[1];
    assert_ne!(p2.phase, Phase::Done, "no quorum exists without A1");
    assert!(p2.max_round > 3, "P2 keeps retrying on timeouts: round {}", p2.max_round);
    assert_eq!(s.world().clients()[1].outcome, Some(v("X")), "C2 heard the outcome of P1's ballot before the crash");
    assert!(s
        .all_events()
        .any(|e| matches!(e, Event::Dropped { reason: paxoscope::sim::DropReason::ReceiverCrashed, .. })));
    assert!(violations(&s).is_empty());
}

#[test]
fn minority_crash_still_decides() {
    let mut s = script(Config::default());
    s.run(Command::Crash { node: a(2) }).request(C1, "X").ticks(200);
    assert_eq!(s.world().chosen(), Some((Ballot::new(1, 0), v("X"))));
    assert_eq!(s.world().learners()[0].learned, Some(v("X")));
    assert!(violations(&s).is_empty());
}

#[test]
fn majority_crash_blocks_progress_but_stays_safe() {
    let mut s = script(Config::default());
    s.run(Command::Crash { node: a(1) }).run(Command::Crash { node: a(2) }).request(C1, "X").ticks(500);
    assert_eq!(s.error(), None);
    assert_eq!(s.world().chosen(), None, "liveness is lost");
    assert!(s.all_events().filter(|e| matches!(e, Event::TimedOut { .. })).count() >= 5);
    assert!(violations(&s).is_empty(), "safety is not");
    // Restarting one acceptor restores a majority, and the next retry decides.
    s.run(Command::Restart { node: a(1) }).ticks(500);
    assert_eq!(s.world().chosen().map(|c| c.1), Some(v("X")));
}

#[test]
fn p2c_later_ballot_adopts_the_value_a_majority_already_accepted() {
    let mut s = script(Config::default());
    // P1 gets "X" accepted by A1 and A2 in ballot 1.1: "X" is chosen, but nobody has heard.
    s.request(C1, "X").settle_phase1();
    s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
    s.drop_all(Pick::kind(Kind::Accept)).drop_all(Pick::kind(Kind::Accepted));
    assert_eq!(s.world().chosen(), Some((Ballot::new(1, 0), v("X"))));
    // C2 now believes P2 leads and asks for "Y". P2's quorum is A2 and A3; A2 carries "X".
    s.run(Command::SetLeader { client: C2, leader: P2 }).request(C2, "Y");
    s.deliver(Pick::kind(Kind::Request).to(P2));
    assert_eq!(s.world().proposers()[1].ballot, Some(Ballot::new(1, 1)));
    s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1))).deliver(Pick::kind(Kind::Prepare).from(P2).to(a(2)));
    s.deliver(Pick::kind(Kind::Promise).to(P2)).deliver(Pick::kind(Kind::Promise).to(P2));
    assert_eq!(s.error(), None);
    let p2 = &s.world().proposers()[1];
    assert_eq!(p2.proposed, Some(v("X")), "P2 must propose X, not its client's Y");
    assert!(s.find(Pick::kind(Kind::Accept).from(P2)).len() == 3);
    s.settle(200);
    assert_eq!(s.world().learners()[0].learned, Some(v("X")));
    assert_eq!(s.world().clients()[1].outcome, Some(v("X")));
    assert_eq!(chosen_events(&s).len(), 1);
    assert!(violations(&s).is_empty());
}

#[test]
fn a_nack_leads_to_a_retry_with_a_higher_round() {
    let mut s = script(Config::default());
    s.run(Command::SetLeader { client: C2, leader: P2 });
    s.request(C1, "X").request(C2, "Y").deliver_all(Pick::kind(Kind::Request));
    // A1 hears P2's ballot 1.2 first, then P1's lower 1.1.
    s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0)));
    s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
    let nack = s.find(Pick::kind(Kind::Nack).to(P1));
    assert_eq!(nack.len(), 1);
    let w = s.world();
    let m = w.message(nack[0]).unwrap();
    assert_eq!(m.msg, paxoscope::paxos::Msg::Nack { ballot: Ballot::new(1, 0), promised: Ballot::new(1, 1) });
    s.deliver(Pick::kind(Kind::Nack).to(P1));
    let p1 = &s.world().proposers()[0];
    assert_eq!(p1.ballot, Some(Ballot::new(2, 0)), "retry above every round seen");
    assert_eq!(s.find(Pick::kind(Kind::Prepare).from(P1)).len(), 2 + 3, "old and new prepares in flight");
    assert!(violations(&s).is_empty());
}

#[test]
fn a_restarted_acceptor_keeps_its_promise() {
    let mut s = script(Config::default());
    s.run(Command::SetLeader { client: C2, leader: P2 });
    s.request(C2, "Y").deliver(Pick::kind(Kind::Request)).deliver(Pick::kind(Kind::Prepare).to(a(0)));
    assert_eq!(s.world().acceptors()[0].promised, Some(Ballot::new(1, 1)));
    s.run(Command::Crash { node: a(0) }).run(Command::Restart { node: a(0) });
    assert_eq!(s.world().acceptors()[0].promised, Some(Ballot::new(1, 1)), "the promise is on disk");
    s.request(C1, "X").deliver(Pick::kind(Kind::Request).to(P1)).deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
    assert_eq!(s.find(Pick::kind(Kind::Nack).to(P1)).len(), 1, "the old promise still refuses 1.1");
    assert!(violations(&s).is_empty());
}

#[test]
fn an_amnesia_restart_breaks_agreement() {
    let mut cfg = Config::default();
    cfg.amnesia.insert(a(1));
    let mut s = script(cfg);
    // "X" is chosen by A1 and A2 in ballot 1.1.
    s.request(C1, "X").settle_phase1();
    s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
    assert_eq!(s.world().chosen(), Some((Ballot::new(1, 0), v("X"))));
    s.drop_all(Pick::kind(Kind::Accept)).drop_all(Pick::kind(Kind::Accepted));
    // A2 restarts with amnesia: its promise and its vote for "X" are gone.
    s.run(Command::Crash { node: a(1) }).run(Command::Restart { node: a(1) });
    assert!(s
        .events()
        .last()
        .unwrap()
        .iter()
        .any(|e| matches!(e, Event::Violated { invariant: Invariant::PromisesNeverDecrease, .. })));
    // P2 asks A2 and A3, neither of which reports "X", so "Y" is proposed and chosen too.
    s.run(Command::SetLeader { client: C2, leader: P2 }).request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P2));
    s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1))).deliver(Pick::kind(Kind::Prepare).from(P2).to(a(2)));
    s.deliver_all(Pick::kind(Kind::Promise).to(P2));
    assert_eq!(s.world().proposers()[1].proposed, Some(v("Y")));
    s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(1)));
    s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(2)));
    assert_eq!(s.error(), None);
    let last = s.events().last().unwrap();
    assert!(last.contains(&Event::Chosen { ballot: Ballot::new(1, 1), value: v("Y") }));
    assert!(
        last.iter().any(|e| matches!(e, Event::Violated { invariant: Invariant::Agreement, detail } if detail.contains("\"Y\"") && detail.contains("\"X\""))),
        "{last:?}"
    );
    assert_eq!(s.world().oracle().chosen().len(), 2);
}

#[test]
fn lost_and_duplicated_messages_do_no_harm() {
    let mut s = script(Config::default());
    s.request(C1, "X").deliver(Pick::kind(Kind::Request));
    s.duplicate(Pick::kind(Kind::Prepare).to(a(0))).duplicate(Pick::kind(Kind::Prepare).to(a(1)));
    s.drop_msg(Pick::kind(Kind::Prepare).to(a(2)));
    s.deliver_all(Pick::kind(Kind::Prepare));
    s.duplicate(Pick::kind(Kind::Promise)).deliver_all(Pick::kind(Kind::Promise));
    s.drop_msg(Pick::kind(Kind::Accept).to(a(0)));
    s.duplicate(Pick::kind(Kind::Accept)).deliver_all(Pick::kind(Kind::Accept));
    // A lost Commit is harmless too: the learner counts votes itself.
    s.duplicate(Pick::kind(Kind::Accepted).to(L1)).deliver_all(Pick::kind(Kind::Accepted));
    s.drop_all(Pick::kind(Kind::Commit).to(L1));
    s.settle(100);
    assert_eq!(s.error(), None);
    assert_eq!(s.world().chosen(), Some((Ballot::new(1, 0), v("X"))));
    assert_eq!(s.world().learners()[0].learned, Some(v("X")));
    assert_eq!(chosen_events(&s).len(), 1);
    assert!(violations(&s).is_empty());
}

#[test]
fn an_accept_lost_to_everyone_is_recovered_by_the_timeout() {
    let mut s = script(Config::default());
    s.request(C1, "X").settle_phase1().drop_all(Pick::kind(Kind::Accept));
    s.ticks(200);
    let w = s.world();
    assert_eq!(w.chosen(), Some((Ballot::new(2, 0), v("X"))), "the retry in round 2 decides");
    assert!(violations(&s).is_empty());
}

#[test]
fn partition_minority_side_cannot_choose_until_healed() {
    let mut s = script(Config::default());
    // P1 and A1 on one side; everyone else on the other.
    s.run(Command::Partition { groups: vec![vec![C1, P1, a(0)]] });
    s.request(C1, "X").ticks(300);
    assert_eq!(s.world().chosen(), None);
    assert!(s
        .all_events()
        .any(|e| matches!(e, Event::Dropped { reason: paxoscope::sim::DropReason::Partitioned, .. })));
    s.run(Command::Heal).ticks(300);
    assert_eq!(s.world().chosen().map(|c| c.1), Some(v("X")));
    assert!(violations(&s).is_empty());
}

#[test]
fn a_proposer_amnesia_restart_reuses_a_ballot_and_is_caught() {
    let mut cfg = Config::default();
    cfg.amnesia.insert(P1);
    let mut s = script(cfg);
    s.request(C1, "X").deliver(Pick::kind(Kind::Request));
    assert_eq!(s.world().proposers()[0].ballot, Some(Ballot::new(1, 0)));
    s.run(Command::Crash { node: P1 }).run(Command::Restart { node: P1 });
    assert_eq!(s.world().proposers()[0].max_round, 0, "amnesia forgot the round");
    s.request(C1, "X").deliver(Pick::kind(Kind::Request));
    assert_eq!(s.world().proposers()[0].ballot, Some(Ballot::new(1, 0)), "the same ballot again");
    assert!(violations(&s).contains(&Invariant::BallotsUnique));
}

#[test]
fn a_durable_proposer_restart_never_reuses_a_ballot() {
    let mut s = script(Config::default());
    s.request(C1, "X").deliver(Pick::kind(Kind::Request));
    s.run(Command::Crash { node: P1 }).run(Command::Restart { node: P1 });
    s.request(C1, "X").deliver(Pick::kind(Kind::Request).to(P1));
    assert_eq!(s.world().proposers()[0].ballot, Some(Ballot::new(2, 0)));
    s.settle(200);
    assert!(violations(&s).is_empty());
    assert_eq!(s.world().chosen().map(|c| c.1), Some(v("X")));
}
