"""Exactly once, measured: ≥ 100 randomised SIGKILL trials of the real ``carebase`` processes
against every network's fake with a seeded fault plan (issue 15).

    .venv/bin/python bench/exactly_once.py --trials 100 --seed 1500

Prints the figures (trials, kills, faults fired by kind, duplicates, losses, unconfirmed per
network, wall time) and every problem found; exits 1 when there was a duplicate or a loss.
The harness is :mod:`tests.announce.trials`; a trial is one merge of a scenario of four.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.announce.trials import run_trials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1500)
    parser.add_argument(
        "--deploy-kills", type=int, default=1, help="merges per scenario that kill a deploy"
    )
    parser.add_argument("--out", type=Path, help="keep the projects here (default: temporary)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="exactly-once-") as temporary:
        where = options.out or Path(temporary)
        tally = run_trials(where, options.trials, options.seed, options.deploy_kills)
    print(
        f"command             bench/exactly_once.py --trials {options.trials} "
        f"--seed {options.seed} --deploy-kills {options.deploy_kills}"
    )
    print(tally.table())
    for problem in tally.problems:
        print(f"problem: {problem}")
    return 1 if tally.duplicates or tally.losses else 0


if __name__ == "__main__":
    raise SystemExit(main())
