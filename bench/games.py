"""Benchmark (not a test): the nucleolus of random games, the certified path against the exact LPs.

For 5, 6, 7, 8 and 10 players and several seeds, times ``games.nucleolus`` (the Maschler–Peleg–Shapley
LP sequence, each stage an exact dual simplex in (x, t)) and, in the same run and on the same games,
the first exact implementation (``games._nucleolus_by_exact_lps``: a dense ``Fraction`` tableau per LP),
checks that both give the same Fractions, and prints median and max seconds and the ratio of the
medians. The old path runs in a child process with a time budget per game (it takes minutes from 7
players on); a game over budget counts as "> budget" and the remaining seeds of that size are not run
on the old path. coopgame-py's ``nucleolus_exact`` (a test dependency, Rust) is timed the same way when
it is installed. Targets: ≤ 2 s at 8 players, ≤ 10 s at 10.

    .venv/bin/python -m bench.games [--players 5 6 7 8 10] [--seeds 3] [--old-budget 300]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import random
import statistics
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from benefit_sharing import games

Outcome = tuple[float | None, list[Fraction] | None]  # (seconds or None if over budget, allocation)


def random_game(n: int, seed: int) -> games.CooperativeGame:
    """Even seeds: a project with synergies (v(S) = Σ stand-alone + a random gain growing with |S|);
    odd seeds: integers uniform in [−20, 200] for every coalition (the core is often empty)."""
    rng = random.Random(1000 * n + seed)
    players = tuple(f"P{k + 1}" for k in range(n))
    alone = [rng.randint(0, 100) for _ in players]
    values = {}
    for mask in range(1, 1 << n):
        members = [k for k in range(n) if mask >> k & 1]
        if seed % 2:
            value = rng.randint(-20, 200)
        else:
            size = len(members)
            value = sum(alone[k] for k in members) + rng.randint(0, 20 * size * (size - 1))
        values[frozenset(players[k] for k in members)] = Fraction(value)
    return games.CooperativeGame(players, values)


def _old(game: games.CooperativeGame) -> list[Fraction]:
    x = games._nucleolus_by_exact_lps(game)
    return [x[p] for p in game.players]


def _coopgame(game: games.CooperativeGame) -> list[Fraction]:
    import coopgame

    n = len(game.players)
    values = [game.v(frozenset(game.players[k] for k in range(n) if m >> k & 1)) for m in range(1, 1 << n)]
    domain = "imputation" if game.imputations_exist else "preimputation"
    return list(coopgame.nucleolus_exact(values, domain, "binary")["allocation"])


def _child(fn: Callable, game: games.CooperativeGame, conn) -> None:
    t0 = time.perf_counter()
    x = fn(game)
    conn.send((time.perf_counter() - t0, x))
    conn.close()


def timed_in_child(fn: Callable, game: games.CooperativeGame, budget: float) -> Outcome:
    """Run ``fn(game)`` in a forked child; (seconds, result), or (None, None) past ``budget`` seconds."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, game, child))
    proc.start()
    child.close()
    if parent.poll(budget):
        seconds, x = parent.recv()
        proc.join()
        return seconds, x
    proc.terminate()
    proc.join()
    return None, None


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _summary(times: list[float | None], budget: float) -> tuple[str, str, float | None]:
    done = [t for t in times if t is not None]
    if not times:
        return "—", "—", None
    if len(done) < len(times):
        over = f"> {budget:.0f}"
        median = statistics.median(done) if len(done) * 2 > len(times) else None
        return (f"{median:.2f}" if median is not None else over), over, median
    return f"{statistics.median(done):.3f}", f"{max(done):.3f}", statistics.median(done)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--players", type=int, nargs="+", default=[5, 6, 7, 8, 10])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--old-budget", type=float, default=300.0, help="seconds per game for the old path")
    ap.add_argument("--no-old", action="store_true", help="time the new path only")
    args = ap.parse_args()
    try:
        import coopgame  # noqa: F401

        peer = True
    except ImportError:
        peer = False

    games.nucleolus(random_game(3, 0))  # warm-up
    print(f"CPU: {_cpu()}; {args.seeds} seeds per size; old path budget {args.old_budget:.0f} s per game")
    head = (
        f"{'players':>7} {'new median':>10} {'new max':>8} {'old median':>10} {'old max':>8} {'old/new':>8}"
    )
    if peer:
        head += f" {'coopgame med':>12} {'coopgame max':>12}"
    print(head + "  same as old")
    for n in args.players:
        new_t: list[float] = []
        old_t: list[float | None] = []
        peer_t: list[float | None] = []
        same: list[bool] = []
        for seed in range(args.seeds):
            game = random_game(n, seed)
            t0 = time.perf_counter()
            x, _ = games.nucleolus(game)
            new_t.append(time.perf_counter() - t0)
            xs = [x[p] for p in game.players]
            if not args.no_old and (not old_t or old_t[-1] is not None):
                seconds, old_x = timed_in_child(_old, game, args.old_budget)
                old_t.append(seconds)
                if old_x is not None:
                    same.append(old_x == xs)
            if peer and (not peer_t or peer_t[-1] is not None):
                seconds, peer_x = timed_in_child(_coopgame, game, args.old_budget)
                peer_t.append(seconds)
                if peer_x is not None and peer_x != xs:
                    print(f"  coopgame-py disagrees on {n} players, seed {seed}: {peer_x} vs {xs}")
        old_med, old_max, old_m = _summary(old_t, args.old_budget)
        new_m = statistics.median(new_t)
        if old_m is not None:
            ratio = f"{old_m / new_m:,.0f}×"
        elif old_t:
            ratio = f"> {args.old_budget / new_m:,.0f}×"
        else:
            ratio = "—"
        row = f"{n:>7} {new_m:>10.3f} {max(new_t):>8.3f} {old_med:>10} {old_max:>8} {ratio:>8}"
        if peer:
            peer_med, peer_max, _ = _summary(peer_t, args.old_budget)
            row += f" {peer_med:>12} {peer_max:>12}"
        agree = f"{sum(same)}/{len(same)}" if same else "—"
        print(row + f"  {agree}", flush=True)
    print("targets: ≤ 2 s at 8 players, ≤ 10 s at 10 (new path)")


if __name__ == "__main__":
    main()
