"""Recipes: approved sequence and execution patterns run through repetend, each run a use.

Start with `steps` (which commands a recipe's spec runs, its variables, which
steps are destructive), then `runner` (run them in order, stop at the first
that fails, record the run as a use through `repetend.uses`, so the metrics,
the circuit breaker and quarantine apply). `repetend recipes` is the command.
May import capture (a step's actor), uses, sequences, templates, patterns and
the layers below; only the CLI calls it.
"""
