"""Executions: the execution pattern detector (AUTO-001) and the variables it infers.

Start with `detector`. May import `patterns`, `plugins`, `store`, `config` and the
base modules.
"""
