"""Sequences: runs of commands and tool uses repeated across sessions, and the daily analysis.

Start with `analysis` (what `repetend analyze` runs); `miner` finds the
sequences, `stats` scores them, `suggestions` says what to automate them into,
`report` tells the result, `steps` names each command or tool use (capture uses
it as it records). May import `patterns`, `plugins`, `store`, `config` and the
base modules.
"""
