"""Smoke-test an installed gcli from outside the source tree: ``--help`` of every command and subcommand.

Run with the interpreter of the virtualenv that holds the installed wheel, from a folder that is not the
checkout. Walks the click tree of ``gcli.cli`` (loading the lazy commands) and runs ``gcli PATH --help`` for each
command as a separate process through the installed ``gcli`` script, then ``python -m gcli --version``; any exit
status other than 0, output without a usage line, or a traceback fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click


def command_paths(group: click.Group, ctx: click.Context, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path below ``group`` (the group's own path first)."""
    paths = [prefix]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"gcli {' '.join((*prefix, name))} is listed but cannot be loaded"
        if isinstance(command, click.Group):
            paths += command_paths(command, click.Context(command, parent=ctx, info_name=name), (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def main() -> int:
    from gcli.cli import cli

    script = Path(sys.executable).parent / "gcli"
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    paths = command_paths(cli, click.Context(cli, info_name="gcli"))
    failures = 0
    for path in paths:
        done = subprocess.run([str(script), *path, "--help"], capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0 or "Usage: gcli" not in done.stdout or "Traceback" in done.stderr:
            failures += 1
            print(f"FAILED: gcli {' '.join(path)} --help (exit {done.returncode})\n{done.stdout}{done.stderr}")
    done = subprocess.run([sys.executable, "-m", "gcli", "--version"], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.startswith("gcli, version"):
        failures += 1
        print(f"FAILED: python -m gcli --version (exit {done.returncode})\n{done.stdout}{done.stderr}")
    print(f"smoke: --help of {len(paths)} commands and python -m gcli: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
