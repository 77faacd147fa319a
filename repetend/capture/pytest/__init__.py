"""The pytest plugin: `plugin` is the entry point (`pytest11: repetend`), `recorder` what it
records, `store` the background process that stores a session's spooled events.

`plugin` imports nothing of repetend's own until a session is recorded.
"""
