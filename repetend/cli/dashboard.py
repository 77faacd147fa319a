"""`repetend dashboard`: the web dashboard (the `dashboard` extra), started from the CLI."""

from __future__ import annotations

import click

from repetend.cli.context import AppContext
from repetend.cli.core import pass_app
from repetend.errors import UsageError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="The port (default: a free one)."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the dashboard in the browser.")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host other machines can reach; a random access token is then required.",
)
@pass_app
def dashboard(
    app: AppContext, host: str, port: int, open_browser: bool, allow_remote: bool
) -> None:
    """Serve the web dashboard: patterns, their use, candidates to review, live activity.

    It listens on 127.0.0.1 (a free port unless --port), prints its address
    and stops on Ctrl-C. Needs the extra: pip install "repetend[dashboard]".

    \b
    Examples:
      repetend dashboard --open
      repetend dashboard --port 8765
      repetend dashboard --host 0.0.0.0 --allow-remote   # for a team; prints a token
    """
    try:
        from repetend.dashboard.server import serve
    except ImportError as error:
        missing = f"{error.name} is missing"
        raise UsageError(
            f'the dashboard needs its extra ({missing}): pip install "repetend[dashboard]"'
        ) from error
    app.store  # noqa: B018 — open (and migrate, and drain the spool into) the store first
    serve(
        app.config,
        app.manager,
        host=host,
        port=port,
        allow_remote=allow_remote,
        open_browser=open_browser,
        say=click.echo,
    )


COMMANDS = (dashboard,)
