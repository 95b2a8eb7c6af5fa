"""Interactive pictures of the graph: self-contained HTML pages that work offline.

Pick a view (:mod:`kg.viz.views`), render it (:func:`render`, returns a :class:`Page` that shows
itself inline in Jupyter), and write it with :func:`write_page`.

>>> from kg.build import build_dataset
>>> ctx = Context.from_dataset(build_dataset())
>>> page = render(neighbourhood(ctx, "larry-fink", hops=1), articles=ctx.articles)
>>> page.name, page.html.startswith("<!DOCTYPE html>")
('focus-larry-fink-1', True)
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.viz.page import MEASURES, Page, render, render_graph, render_html, write_page
from kg.viz.views import (
    Context,
    View,
    commitment_usd,
    money,
    neighbourhood,
    of_article,
    of_classes,
    of_rdf,
    slug,
    timeline,
    whole,
)

__all__ = [
    "MEASURES",
    "Context",
    "Page",
    "View",
    "build_context",
    "build_views",
    "commitment_usd",
    "money",
    "neighbourhood",
    "of_article",
    "of_classes",
    "of_rdf",
    "render",
    "render_build_views",
    "render_graph",
    "slug",
    "timeline",
    "whole",
    "write_page",
]


def render_build_views(dataset, nx_graph, store=None) -> dict[str, str]:
    """The pictures ``kg build`` writes: ``overview.html``, ``money.html`` and ``timeline.html``,
    the same bytes every run.

    ``nx_graph`` is ``kg.network.to_networkx(dataset)``, already computed by the build, and
    ``store`` a store over ``dataset`` the build already filled (else one is made).
    """
    return {name: "".join(chunks) for name, chunks in build_views(dataset, nx_graph, store)}


def build_views(
    dataset, nx_graph, store=None, context: Context | None = None
) -> Iterator[tuple[str, Iterator[str]]]:
    """:func:`render_build_views` one page at a time, each as text chunks (made as they are
    read): each view is made when the one before was taken, so only one view's graph and
    drawing are held. ``context``: the views' context made already (:func:`build_context`)."""
    ctx = context if context is not None else Context.from_dataset(dataset, nx_graph, store)
    makers = (
        lambda: whole(ctx),
        lambda: _or_empty(
            money, ctx, "money", "Money: investors, commitments and projects", "flow"
        ),
        lambda: _or_empty(timeline, ctx, "timeline", "Timeline", "timeline"),
    )
    for make in makers:
        view = make()
        yield f"{view.name}.html", render_html(view, articles=ctx.articles)
        del view  # dropped before the next is made


def build_context(dataset, nx_graph, store) -> Context:
    """The build views' context with everything they read from ``store`` read already (the
    commitments), so the store can be closed before they are drawn."""
    ctx = Context.from_dataset(dataset, nx_graph, store)
    ctx.commitments()
    ctx.store = None
    return ctx


def _or_empty(make, ctx: Context, name: str, title: str, kind: str) -> View:
    """A build view; for seeds without what it draws an empty page, so the build still works."""
    import networkx as nx

    from kg.errors import NotFoundError

    try:
        return make(ctx)
    except NotFoundError as error:
        return View(nx.MultiDiGraph(), title, name, str(error).capitalize() + ".", kind=kind)
