"""Failures: what repetend learns from errors (docs/failures.md).

`signatures` (test errors) and `evidence` (commands, tools, record(), uses) make
the signature of a failure, so the same failure gives the same signature each
time; `collect` fills the failure store from the events; `recovery` and
`test_fixes` learn which fix ends which failure, `rules` turns them into
`recovery` candidates and their files; `anti_patterns` and `flaky` find what
recurs; `known` is the index the capture points read at the moment of failure
(standard library only: the pytest plugin loads it). May import `patterns`,
`plugins`, `store`, `config` and the base modules; capture imports it.
"""
