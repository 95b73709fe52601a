//! Bugs planted on purpose, for the explorer's mutation test only. They are switched on in unit
//! tests and compiled out of everything else: [`planted`] is a constant `false` outside tests.
//! Each one is a classic way to get Paxos wrong; the test checks that the explorer's default
//! bounds (or the smallest bounds named for the bug) catch it.

/// A classic mistake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bug {
    /// The proposer adopts the value of the *lowest*-numbered proposal reported.
    AdoptLowest,
    /// The proposer counts promise messages, not distinct acceptors.
    CountMessages,
    /// An acceptor forgets its vote (not its promise) when it crashes.
    ForgetVoteOnCrash,
    /// An acceptor promises without reporting the proposal it accepted.
    PromiseWithoutVote,
    /// The proposer sends Accept after its first promise, without a quorum.
    AcceptWithoutQuorum,
}

#[cfg(test)]
thread_local! {
    static ON: std::cell::Cell<Option<Bug>> = const { std::cell::Cell::new(None) };
}

/// Plants `bug` (or none) for the rest of this test thread.
#[cfg(test)]
pub fn plant(bug: Option<Bug>) {
    ON.with(|c| c.set(bug));
}

/// Is `bug` planted? Always false outside unit tests.
#[inline]
pub fn planted(bug: Bug) -> bool {
    #[cfg(test)]
    {
        ON.with(|c| c.get() == Some(bug))
    }
    #[cfg(not(test))]
    {
        let _ = bug;
        false
    }
}
