"""The ``rostra`` command line. Thin: every command calls into a library module.

Commands live in one module per area (``service``, ``screening``, ``training``) and attach
themselves to :data:`main`, so areas can grow without touching each other.
"""

from __future__ import annotations

import importlib

import click

from rostra import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rostra")
def main() -> None:
    """rostra: comments for newsrooms, screened in their own language."""


_COMMAND_MODULES = ("rostra.cli.service", "rostra.cli.screening", "rostra.cli.training")

for _module in _COMMAND_MODULES:
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as exc:  # an area whose commands are not written yet
        if exc.name != _module:
            raise
