"""Templates: learning a Jinja2 template from a family of files, and using it.

Start with `generator` (`generate(members)`): alignment of the members into fixed
text and slots (`alignment`, `token_alignment`, `line_anchors`; JSON by its
structure in `json/`), loops and conditionals (`block_lists`, `block_loops`),
variables and their ties (`variables`, `variable_ties`, `case_forms`), reading
values back (`reading`, `source`), rendering (`direct_render`), the commit
check (`check`), the held-out rate, `apply` and the Copier export.

May import `patterns`, `plugins`, `store`, `config` and the base modules; it
knows nothing of how families are found (`files`) or of capture.
"""
