"""The kiemdiem web service: the HTTP API (``/v1``) and the reviewers' page, built by :func:`create_app`.

    kiemdiem serve                      # http://127.0.0.1:8000
    uvicorn --factory service.app:create_app --workers 2

See ``docs/SERVICE.md``.
"""

from service.app import create_app
from service.config import Settings

__all__ = ["Settings", "create_app"]
