"""Git capture: the pre-commit and post-commit hooks, their installer, and the commit spool.

The hook scripts are a few lines of POSIX shell so that a commit pays for
Python only when there is work only Python can do: post-commit appends the
commit's sha to `.repetend/spool/` and starts a detached drain; pre-commit
starts Python only when added files may need checking. `state` reads HEAD and
the working-tree state id for the pytest plugin.
"""
