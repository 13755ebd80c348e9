"""``sankao serve``: the web API (``web.create_app``) on a production WSGI server (waitress)."""

from __future__ import annotations

import click

from cli.app import config_of, main
from cli.common import echo
from core.errors import SankaoError
from core.messages import msg


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Connections served at once (requests to the store take turns within this process).")
@click.option("--read-only", is_flag=True, default=False,
              help="Serve the store read-only: pages and queries answer, commands are refused (403). A store this "
                   "process cannot write (an auditor's copy) is served so without it.")
@click.pass_context
def serve(ctx, host, port, threads, read_only):
    """Serve the office's pages (/, log in with a token) and the web API (/api/..., OpenAPI at
    /api/openapi.json) over the store, with waitress. API requests need Authorization: Bearer <token>
    (sankao token create). For several processes on PostgreSQL, run gunicorn 'web:create_app()' and one
    `sankao worker` (README). The session secret is SANKAO_SECRET_KEY, else a file of this machine's user
    (~/.config/sankao/secret), never the store's."""
    from web import create_app
    run_server(create_app(config_of(ctx), read_only=read_only or None), host, port, threads)


def run_server(app, host: str, port: int, threads: int = 4, banner: str | None = None) -> None:
    """Serve ``app`` with waitress until Ctrl-C, then close its store."""
    import waitress
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads, ident="sankao")
    except OSError as exc:
        app.extensions["sankao"].close()
        raise SankaoError(msg("cli.listen", host=host, port=port, error=exc.strerror)) from None
    echo(banner or msg("cli.serving", where=app.extensions["sankao"].location.describe(), host=host, port=port),
         err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["sankao"].close()
