"""Cold start of the CLI against the floor every analysis pays: a fresh Python that imports underthesea and
word-segments the same file (issue 12, goal ≤ 1.5×).

    python bench/bench_cold.py [--rounds 9] [--example examples/02a-ngan-hang-yeu.txt] [--format json terminal]
                               [--baseline /path/to/another/checkout]

Each round runs, in fresh processes and in alternating order (so both see the same machine load): ``kiemdiem
analyze <example>`` in each format asked for (output thrown away), and ``python -c`` that imports underthesea's
``word_tokenize`` and segments the file's text. The floor marks underthesea's optional translator module absent,
as kiemdiem does (``nlp/__init__.py``), so that neither imports transformers and torch when they happen to be
installed: it is the cost of underthesea on an install without the transformer extra. ``--baseline`` adds the same
analysis run from another checkout (e.g. an archive of the commit before a change), in the same rounds. Prints the
machine, the load average, the median wall time of each command and the ratios; also which heavy modules the CLI
imported. Figures are recorded in docs/BENCHMARKS.md. The CPU time (user + system) of each run is printed as well:
on a machine shared with other jobs it moves less than the wall time, which waits for the CPU.

Bytecode: underthesea and the other installed packages come with their compiled ``__pycache__``, and an installed
or editable kiemdiem writes its own on the first run, as Python does by default. An environment that sets
``PYTHONDONTWRITEBYTECODE`` (some containers and CI images do) would make every timed kiemdiem run compile its own
sources again (about 0.1 s) while the floor reads compiled underthesea: the timed commands therefore run without
that variable, and the untimed warm-up run writes the caches. ``--no-bytecode-cache`` keeps the variable as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXAMPLE = ROOT / "examples" / "02a-ngan-hang-yeu.txt"
FLOOR = (
    "import sys; sys.modules.setdefault('underthesea.pipeline.translate', None); "
    "from underthesea import word_tokenize; word_tokenize(open(sys.argv[1], encoding='utf-8').read())"
)
HEAVY = ("sklearn", "scipy", "joblib", "rich", "typer", "yaml", "jinja2", "openpyxl", "spacy", "torch", "transformers")
_IMPORTED = (
    "import runpy, sys, json, atexit\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted({m.split('.')[0] for m in "
    "sys.modules})) + '\\n'))\n"
    "sys.argv = ['kiemdiem', *sys.argv[1:]]\n"
    "from nlp.cli import main\n"
    "main()\n"
)


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("kiemdiem")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from nlp.cli import main; main()"]


def _env(checkout: Path, keep_bytecode_setting: bool) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    if not keep_bytecode_setting:
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules cached, as on any install (module docstring)
    return env


def _wall(command: list[str], env: dict[str, str], checkout: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=checkout, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _cli_modules(example: Path, output_format: str) -> list[str]:
    """Top-level packages in ``sys.modules`` when a CLI analysis ends."""
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED, "analyze", str(example), "--format", output_format],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES "))
    return json.loads(line.removeprefix("MODULES "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--example", type=Path, default=DEFAULT_EXAMPLE)
    parser.add_argument("--format", nargs="+", default=["json", "terminal"], choices=["json", "terminal"])
    parser.add_argument("--baseline", type=Path, help="another checkout whose CLI is timed in the same rounds")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as the environment sets it"
    )
    args = parser.parse_args(argv)
    example = str(args.example.resolve())
    commands = {"floor (underthesea)": ([sys.executable, "-c", FLOOR, example], ROOT)}
    for output_format in args.format:
        analyze = ["analyze", example, "--format", output_format]
        commands[f"kiemdiem --format {output_format}"] = ([*_cli(), *analyze], ROOT)
        if args.baseline:
            entry = [sys.executable, "-c", "from nlp.cli import main; main()"]
            commands[f"baseline --format {output_format}"] = ([*entry, *analyze], args.baseline.resolve())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"example: {args.example.name}; {args.rounds} rounds, alternating order")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    cached = "PYTHONDONTWRITEBYTECODE" not in _env(ROOT, args.no_bytecode_cache)
    print(
        f"bytecode: {'cached (written by the warm-up run)' if cached else 'not cached (PYTHONDONTWRITEBYTECODE set)'}"
    )
    for command, checkout in commands.values():  # warm the file cache, not counted
        _wall(command, _env(checkout, args.no_bytecode_cache), checkout)
    timings: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_number in range(args.rounds):
        order = names if round_number % 2 == 0 else names[::-1]
        for name in order:
            command, checkout = commands[name]
            wall, used = _wall(command, _env(checkout, args.no_bytecode_cache), checkout)
            timings[name].append(wall)
            cpu[name].append(used)
    floor = statistics.median(timings[names[0]])
    floor_cpu = statistics.median(cpu[names[0]])
    for name in names:
        median = statistics.median(timings[name])
        spread = f"min {min(timings[name]):.3f} max {max(timings[name]):.3f}"
        print(f"{name:<28} median {median:6.3f} s  ({spread})  ratio to floor {median / floor:5.2f}")
    print("CPU time (user + system) of the same runs, less sensitive to other jobs on the machine:")
    for name in names:
        median = statistics.median(cpu[name])
        print(
            f"{name:<28} median {median:6.3f} s  (min {min(cpu[name]):.3f})  ratio to floor {median / floor_cpu:5.2f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    for output_format in args.format:
        modules = _cli_modules(args.example, output_format)
        heavy = [m for m in HEAVY if m in modules]
        print(f"heavy modules imported by --format {output_format}: {', '.join(heavy) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
