"""Review: check the specs on disk and step through the candidates waiting for a person.

Start with `validation` (`repetend validate`: schema, files, ids, ground truth) and
`session` (`repetend review`: evidence, diffs, decisions). Above the miners: it may import
`templates`, `patterns`, `store`, `config` and the base modules.
"""
