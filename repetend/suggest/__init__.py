"""Real-time suggestions: ask the suggesters, show what is new, offer to fill, record it all.

Start with `present`. May import the miners (`files`, `templates`, …), `patterns`,
`plugins`, `store`, `config` and the base modules, never `capture`: the watcher
above it passes in the function that records what was shown.
"""
