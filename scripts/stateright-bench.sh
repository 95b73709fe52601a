#!/usr/bin/env bash
# Builds stateright 0.31's own Paxos example from crates.io in a scratch folder under target/ and
# times its breadth-first and depth-first checks on one thread. Nothing of stateright is kept in
# this repository: the source comes from cargo's registry, and only `main` is replaced, because
# the stock example uses every core and reports whole seconds.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK="$ROOT/target/stateright-bench"
mkdir -p "$WORK/scratch/src"
cat > "$WORK/scratch/Cargo.toml" <<'TOML'
[package]
name = "stateright-scratch"
version = "0.0.0"
edition = "2021"
[dependencies]
stateright = "=0.31.0"
TOML
echo 'fn main() {}' > "$WORK/scratch/src/main.rs"
(cd "$WORK/scratch" && cargo fetch -q)
SRC=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/stateright-0.31.0 | head -1)
rm -rf "$WORK/stateright" && cp -r "$SRC" "$WORK/stateright" && chmod -R u+w "$WORK/stateright"
python3 - "$WORK/stateright" <<'PY'
import sys
root = sys.argv[1]
src = open(f"{root}/examples/paxos.rs").read()
src = src[:src.index("fn main() -> Result<(), pico_args::Error> {")] + '''
fn main() {
    let mode = std::env::args().nth(1).unwrap_or("bfs".into());
    let clients: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let model = PaxosModelCfg { client_count: clients, server_count: 3, network: Network::new_unordered_nonduplicating([]) }.into_model();
    let t = std::time::Instant::now();
    let (unique, total) = if mode == "dfs" {
        let c = model.checker().threads(1).spawn_dfs().join();
        (c.unique_state_count(), c.state_count())
    } else {
        let c = model.checker().threads(1).spawn_bfs().join();
        (c.unique_state_count(), c.state_count())
    };
    let secs = t.elapsed().as_secs_f64();
    // Every generated state is one transition taken (stateright counts a state each time a
    // successor is produced, before de-duplication).
    println!("  stateright {mode}, {clients} clients, 1 thread: {unique} unique states, {total} transitions in {secs:.3} s: {:.0} states/s, {:.0} transitions/s", unique as f64 / secs, total as f64 / secs);
}
'''
open(f"{root}/examples/paxos_st.rs", "w").write(src)
open(f"{root}/Cargo.toml", "a").write('\n[[example]]\nname = "paxos_st"\npath = "examples/paxos_st.rs"\n')
PY
(cd "$WORK/stateright" && cargo build -q --release --example paxos_st 2>/dev/null)
# Usage: stateright-bench.sh [CLIENTS] [RUNS]. Peak memory is the process's, from /usr/bin/time.
CLIENTS=${1:-2}
RUNS=${2:-3}
for mode in bfs dfs; do
  for _ in $(seq "$RUNS"); do
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f "    peak resident memory: %M KB" "$WORK/stateright/target/release/examples/paxos_st" "$mode" "$CLIENTS"
    else
      "$WORK/stateright/target/release/examples/paxos_st" "$mode" "$CLIENTS"
    fi
  done
done
