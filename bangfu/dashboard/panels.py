"""Panels other apps put on the 工作台: each a function (request, area, day) → HTML, registered from the app's
AppConfig.ready(), so the dashboard imports none of them (the targets app: figures against targets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Panel = Callable[..., str]
_panels: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def render_all(request, area, on: dt.date) -> list[str]:
    return [panel(request, area, on) for panel in _panels]
