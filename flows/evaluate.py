"""`make eval`: extraction quality, measured against gold, printed as tables.

Each part lives beside the stage it measures (eval_quotes, eval_claims,
eval_dedup); this module only runs them in turn.
"""

from __future__ import annotations

import importlib
import sys
import time

# Each part with the arguments `make eval` runs it with.
PARTS = (
    ("flows.eval_quotes", ["--split", "all"]),
    ("flows.eval_claims", ["--cleaned"]),
    ("flows.eval_claims", ["--dev"]),
    ("flows.eval_dedup", []),
)


def main(argv: list[str] | None = None) -> int:
    failed = []
    for name, args in PARTS:
        started = time.perf_counter()
        print(f"\n=== {name} ===", flush=True)
        try:
            importlib.import_module(name).main(args)
        except Exception as exc:  # one broken part must not hide the others' figures
            failed.append(name)
            print(f"{name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
