"""The local jyyz service (``jyyz serve``): a page and a JSON API on 127.0.0.1.

- :mod:`.discovery` — the discovery file add-ins read (standard library only);
- :mod:`.security` — Host/Origin/token checks, upload limits;
- :mod:`.runner` — jobs in private temporary folders, with progress;
- :mod:`.work` — what each door does, through :mod:`xl_addin.jobs`;
- :mod:`.app` — the FastAPI application (pages and ``/api/v1``);
- :mod:`.server` — starting and stopping it (``jyyz serve``).
"""
