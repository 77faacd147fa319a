"""The use loop: every use of a pattern recorded, judged from evidence, and measured.

Start with `record` (what `apply` keeps of what it rendered, and how a use is
stored and acted on), then `judge` (a commit's files against what was rendered:
success, workaround or failure), `saved` (time saved per use, and its source)
and `evolution` (per-pattern reports, edge cases, the next version). What the
measures do (quarantine, circuit breaker, alerts, versions) is in `repetend.patterns`.
May import templates, patterns and the layers below; capture and the CLI call it.
"""
