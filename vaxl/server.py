"""vaxl's HTTP backend: the stateless service Google Sheets' Apps Script calls.

``POST /v1/{action}`` (validate, invoice, report, run) takes a sheet's input
tabs as JSON and returns the tabs to write plus the contract's issues and
invoices.  Nothing is stored.  Each spreadsheet has its own bearer token,
HMAC-SHA256 of its id under VAXL_SECRET, so a token leaked from one client's
sheet opens no other.

Run it with ``vaxl serve`` (uvicorn), behind HTTPS.  Settings come from the
environment (VAXL_SECRET, VAXL_MAX_BODY_BYTES, VAXL_DEFAULT_TIMEZONE).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Path, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from vaxl.errors import VaxlError, WriteRefused
from vaxl.io.wire import ErrorOut, RunRequest, RunResponse, outcome_json, raw_book, zone

__all__ = ["LOOPBACK", "ServerSettings", "create_app", "serve", "sheet_token", "token_matches"]

log = logging.getLogger("vaxl.server")

LOOPBACK = "127.0.0.1"
Clock = Callable[[ZoneInfo], date]
ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


MIN_SECRET = 16


class ServerSettings(BaseSettings):
    """The backend's settings, read from the environment.

    Fields:
        secret (VAXL_SECRET): the key every sheet token is derived from.
        max_body_bytes (VAXL_MAX_BODY_BYTES): larger request bodies get 413.
        default_timezone (VAXL_DEFAULT_TIMEZONE): for requests that send none.
        insecure_dev: no tokens at all; only allowed on 127.0.0.1 (``--insecure-dev``).
    """

    model_config = SettingsConfigDict(env_prefix="VAXL_", extra="ignore")

    secret: SecretStr | None = None
    max_body_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    default_timezone: str = "UTC"
    insecure_dev: bool = False


def sheet_token(secret: str, spreadsheet_id: str) -> str:
    """The bearer token for one spreadsheet: HMAC-SHA256(secret, id) in hex."""
    return hmac.new(secret.encode(), spreadsheet_id.encode(), hashlib.sha256).hexdigest()


def token_matches(secret: str, spreadsheet_id: str, given: str) -> bool:
    """Constant-time check of a token, hex or URL-safe base64 (padding optional)."""
    digest = hmac.new(secret.encode(), spreadsheet_id.encode(), hashlib.sha256).digest()
    as_hex = digest.hex().encode()
    as_b64 = base64.urlsafe_b64encode(digest).rstrip(b"=")
    offered = given.strip().encode("utf-8", "replace")
    hex_ok = hmac.compare_digest(offered.lower(), as_hex)
    b64_ok = hmac.compare_digest(offered.rstrip(b"="), as_b64)
    return hex_ok or b64_ok


# Module level: endpoint annotations are strings (PEP 563) resolved in this namespace.
bearer = HTTPBearer(auto_error=False, description="The token `vaxl token SPREADSHEET_ID` prints.")


def _server_today(tz: ZoneInfo) -> date:
    return datetime.now(tz).date()


def _error(status: int, detail: str, fix: str = "", **headers: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "fix": fix}, status_code=status, headers=headers or None)


class BodyLimit:
    """413 for a request body over the limit: by Content-Length, then as it streams."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") not in {"POST", "PUT", "PATCH"}:
            await self.app(scope, receive, send)
            return
        too_big = _error(
            413,
            f"The request is larger than this server accepts ({self.limit:,} bytes).",
            "Run vaxl on fewer rows (archive old Timesheet rows) or raise VAXL_MAX_BODY_BYTES.",
        )
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await too_big(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await too_big(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                return dict(await receive())
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _readable(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:10]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
    more = len(exc.errors()) - 10
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No token, or not this spreadsheet's token."},
    409: {"model": ErrorOut, "description": "A user's own tab carries one of vaxl's names."},
    413: {"model": ErrorOut, "description": "The request body is over the size limit."},
    422: {"model": ErrorOut, "description": "The body or the workbook cannot be used."},
}


def create_app(settings: ServerSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """The ASGI app (``uvicorn --factory vaxl.server:create_app``)."""
    from vaxl.service import run_action

    cfg = settings or ServerSettings()
    if cfg.secret is None and not cfg.insecure_dev:
        raise VaxlError(
            "VAXL_SECRET is not set.",
            "Set VAXL_SECRET to a long random string (e.g. `openssl rand -hex 32`).",
        )
    if cfg.secret is not None and len(cfg.secret.get_secret_value()) < MIN_SECRET:
        raise VaxlError(
            f"VAXL_SECRET is too short (fewer than {MIN_SECRET} characters): "
            "sheet tokens derived from it could be guessed.",
            "Set VAXL_SECRET to a long random string (e.g. `openssl rand -hex 32`).",
        )
    today_in = clock or _server_today
    zone(cfg.default_timezone)
    app = FastAPI(
        title="vaxl",
        version="1",
        summary="Billing for virtual assistants' Google Sheets: validate, invoice, report.",
    )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, f"The request body is not valid: {_readable(exc)}",
                      "Send the body the vaxl Apps Script sends (see /docs).")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # a body that is not even text (bad UTF-8)
            return _error(422, "The request body is not valid JSON text (UTF-8).",
                          "Send the body the vaxl Apps Script sends (see /docs).")
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return _error(500, "vaxl failed unexpectedly; the error was logged.",
                      "Try again; if it keeps failing, send the server log to support.")

    @app.get("/healthz", summary="Liveness check")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    def refused(body: RunRequest, credentials: HTTPAuthorizationCredentials | None) -> Any:
        """A 401 response unless the bearer token opens this spreadsheet."""
        if cfg.insecure_dev:
            return None
        secret = cfg.secret.get_secret_value() if cfg.secret else ""
        if credentials is not None and token_matches(
            secret, body.spreadsheet_id, credentials.credentials
        ):
            return None
        return _error(
            401,
            "This token does not open this spreadsheet.",
            f"Ask for this spreadsheet's token (vaxl token {body.spreadsheet_id}) "
            "and set it in vaxl > Settings.",
            **{"WWW-Authenticate": "Bearer"},
        )

    def outcome_of(
        action: str, body: RunRequest, credentials: HTTPAuthorizationCredentials | None
    ) -> Any:
        """The service's Outcome, or the error response (401, 409, 422) to send instead."""
        denied = refused(body, credentials)
        if denied is not None:
            return denied
        tz = zone(body.timezone or cfg.default_timezone)
        today = today_in(tz)
        raw = raw_book(body.tabs, tz=tz, sheet_names=body.sheet_names,
                       source=f"spreadsheet {body.spreadsheet_id}")
        try:
            return run_action(action, raw, today=today, period=body.month, issue_date=today)
        except WriteRefused as err:
            return _error(409, err.message, err.fix)
        except VaxlError as err:
            return _error(422, err.message, err.fix)

    @app.post(
        "/v1/{action}",
        summary="Run one vaxl action on a sheet's tabs",
        response_model=RunResponse,
        responses=ERRORS,
    )
    def run(
        action: Annotated[Literal["validate", "invoice", "report", "run"], Path()],
        body: RunRequest,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
    ) -> Any:
        outcome = outcome_of(action, body, credentials)
        if isinstance(outcome, JSONResponse):
            return outcome
        return JSONResponse(outcome_json(outcome))

    @app.post(
        "/v1/pdf/{number}",
        summary="One invoice of the month as a PDF (same body as /v1/invoice)",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}, "description": "The PDF."},
                   404: {"model": ErrorOut, "description": "No such printable invoice."},
                   **ERRORS},
    )
    def pdf(
        number: Annotated[str, Path(min_length=1, max_length=100)],
        body: RunRequest,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
    ) -> Any:
        from vaxl.delivery import pdf_for

        outcome = outcome_of("invoice", body, credentials)
        if isinstance(outcome, JSONResponse):
            return outcome
        try:
            data = pdf_for(outcome, number)
        except VaxlError as err:
            return _error(404, err.message, err.fix)
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in number)
        return Response(data, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{safe}.pdf"'})

    @app.middleware("http")
    async def _require_bearer(request: Request, call_next: Any) -> Any:
        # No token at all: refuse before the body is even parsed.
        if (
            not cfg.insecure_dev
            and request.method == "POST"
            and request.url.path.startswith("/v1/")
            and not request.headers.get("authorization", "").lower().startswith("bearer ")
        ):
            return _error(401, "No token was sent.",
                          "Set the backend URL and this spreadsheet's token in vaxl > Settings.",
                          **{"WWW-Authenticate": "Bearer"})
        return await call_next(request)

    app.add_middleware(BodyLimit, limit=cfg.max_body_bytes)
    return app


def serve(
    host: str = LOOPBACK,
    port: int = 8000,
    *,
    insecure_dev: bool = False,
    workers: int = 1,
    settings: ServerSettings | None = None,
) -> None:
    """Start uvicorn; refuse to run without a secret unless on loopback with insecure_dev."""
    import uvicorn

    cfg = settings or ServerSettings()
    if cfg.secret is None:
        if not insecure_dev:
            raise VaxlError(
                "VAXL_SECRET is not set, so vaxl serve will not start.",
                "Set VAXL_SECRET to a long random string (e.g. `openssl rand -hex 32`), or "
                "for local testing only use --insecure-dev with --host 127.0.0.1.",
            )
        if host != LOOPBACK:
            raise VaxlError(
                f"--insecure-dev only works on {LOOPBACK}, not on {host}.",
                "Set VAXL_SECRET to serve on other addresses.",
            )
        cfg = cfg.model_copy(update={"insecure_dev": True})
    import sys

    mode = " (INSECURE: no tokens, development only)" if cfg.insecure_dev else ""
    print(f"vaxl backend on http://{host}:{port}{mode}; API docs at /docs. Ctrl+C stops it.",
          file=sys.stderr, flush=True)
    if workers > 1:
        import os

        if cfg.insecure_dev:
            os.environ["VAXL_INSECURE_DEV"] = "1"
        uvicorn.run("vaxl.server:create_app", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")
        return
    uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning")
