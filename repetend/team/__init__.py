"""The team: pushing a machine's captured events to the team's store, with who and where.

Start with `sync` (`push`: what the post-commit drain and `repetend sync` run),
then `origin` (who made an event and in which repository and branch). May import
`store`, `config` and the base modules: capture points never wait on it.
"""
