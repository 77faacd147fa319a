"""Files: which files are mined, their signatures, the similarity index, families and units.

Start with `mine` (`mine_repository`, what `repetend mine` runs) and `miner`
(index a repository, group its files, learn a template per family). The
templates themselves are learned in `repetend.templates`.

May import `templates`, `patterns`, `plugins`, `store`, `config` and the base
modules; never `cli`, `capture` or `suggest`.
"""
