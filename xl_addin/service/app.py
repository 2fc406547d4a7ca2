"""The jyyz service: a page for the clerk and a versioned JSON API for the add-ins.

:func:`create_app` builds the FastAPI application for one start (its port and
token).  Pages are server-rendered HTML forms that work with JavaScript off;
the API lives under ``/api/v1`` (documented at ``/docs``, described in
docs/service.md).  Every request first passes :class:`security.Guard`.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from calc.errors import InputError
from calc.policies import list_policies
from xl_addin.service import security, work
from xl_addin.service.runner import DONE, FAILED, Job, Runner

logger = logging.getLogger("jyyz.service")
HERE = Path(__file__).parent
API = "/api/v1"
#: Add-in folders served as static files when present (the WPS add-in's JS files …).
ADDIN_FOLDERS = {"/wps": HERE.parent / "wps"}
PAGE_ROWS = 200  # people per page of the result table
#: The policy codes the page offers: every registered pack (calc.policies).
POLICIES = tuple(p.code for p in list_policies())


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("jyyz")
    except Exception:  # noqa: BLE001 - a source tree without metadata
        return "0"


VERSION = _version()


try:  # a native JSON codec where it is installed (pyproject: the common platforms)
    import orjson
except ImportError:  # pragma: no cover - Loongson/MIPS desktops: the standard library
    orjson = None


def dumps(data: Any) -> bytes:
    """JSON bytes; dates must already be Excel serials (:func:`work.cell_json`)."""
    if orjson is not None:
        try:
            return orjson.dumps(
                data,
                default=work.cell_json,
                option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_PASSTHROUGH_DATETIME,
            )
        except TypeError:  # an integer beyond 64 bits …: the standard library copes
            pass
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, default=work.cell_json)
    return text.encode("utf-8")


def loads(body: bytes) -> Any:
    if orjson is not None:
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return json.loads(body)


def json_response(data: Any, status: int = 200) -> Response:
    return Response(dumps(data), status_code=status, media_type="application/json")


def error_json(message: str, status: int = 400) -> Response:
    return json_response({"detail": message}, status)


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        data = loads(await request.body())
    except ValueError:
        raise InputError("请求内容不是有效的 JSON") from None
    if not isinstance(data, dict):
        raise InputError("请求内容应为 JSON 对象")
    return data


def create_app(*, port: int, token: str, runner: Runner | None = None, extra_origins=()) -> FastAPI:
    runner = runner or Runner()
    env = Environment(
        loader=PackageLoader("xl_addin.service", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    app = FastAPI(
        title="jyyz 本机服务",
        version=VERSION,
        description="就业援助台账工具的本机服务：页面与加载项接口（/api/v1），只在本机 127.0.0.1 上运行。",
        # FastAPI's Swagger page loads its scripts from a CDN: the reference at /docs is
        # rendered here instead, from the same OpenAPI description (/openapi.json).
        docs_url=None,
        redoc_url=None,
    )
    app.state.runner = runner
    app.state.token = token
    app.state.port = port
    cookie = security.cookie_name(port)

    def page(name: str, code: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(token=token, version=VERSION, **context)
        return HTMLResponse(html, status_code=code)

    def form_token_ok(form) -> bool:
        return security.same(str(form.get("token") or ""), token)

    # ------------------------------------------------------------------ pages

    @app.get("/signin", include_in_schema=False)
    def signin(token: str = "") -> Response:
        if not security.same(token, app.state.token):
            return page("message.html", 401, title="无法打开", message="访问令牌不对：请从桌面快捷方式或命令“jyyz serve”重新打开。")  # fmt: skip
        r = RedirectResponse("/", status_code=303)
        r.set_cookie(cookie, app.state.token, httponly=True, samesite="strict", path="/")
        return r

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_reference() -> HTMLResponse:
        spec = app.openapi()
        endpoints = [
            (method.upper(), path, op.get("summary", ""), op.get("description", ""))
            for path, ops in spec["paths"].items()
            for method, op in ops.items()
        ]
        return page("api.html", endpoints=endpoints)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return page(
            "index.html",
            policies=POLICIES,
            limit=security.MAX_UPLOAD // (1024 * 1024),
            max_ledgers=security.MAX_LEDGERS,
            has_soffice=_has_soffice(),
        )

    @app.post("/upload", include_in_schema=False)
    async def upload(request: Request) -> Response:
        try:
            job = await _upload_job(request, "page", page_form=True)
        except InputError as err:
            return page("message.html", 400, title="无法处理上传的文件", message=err.describe())
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.post("/report", include_in_schema=False)
    async def upload_report(request: Request) -> Response:
        try:
            job = await _upload_job(request, "report", page_form=True)
        except InputError as err:
            code = 413 if isinstance(err, security.UploadTooLarge) else 400
            return page("message.html", code, title="无法生成统计报表", message=err.describe())
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(
        job_id: str, status: str = "", community: str = "", page_no: int = 1
    ) -> HTMLResponse:
        job = runner.get(job_id)
        if job is None:
            return page("message.html", 404, title="找不到该任务", message="该任务不存在或已过期删除，请重新上传台账。")  # fmt: skip
        if job.state not in (DONE, FAILED):
            seconds = int(job.status()["progress"]["seconds"])
            return page("progress.html", job=job, percent=_percent(job), seconds=seconds)
        if job.state == FAILED:
            return page("failed.html", job=job)
        return page("result.html", **_result_context(job, status, community, page_no))

    @app.post("/jobs/{job_id}/docs", include_in_schema=False)
    async def page_docs(job_id: str, request: Request) -> Response:
        parent = runner.get(job_id)
        form = await request.form()
        if not form_token_ok(form):
            return page("message.html", 401, title="无法生成文书", message="表单缺少访问令牌，请刷新页面后重试。")  # fmt: skip
        if parent is None or parent.source is None:
            return page("message.html", 404, title="找不到该任务", message="上传的台账已过期删除，请重新上传。")  # fmt: skip
        options = dict(parent.result.get("options") or {})
        options["kind"] = str(form.get("kind") or "")
        comm = str(form.get("community") or "").strip()
        options["where"] = [f"{_community_header()}={comm}"] if comm else []
        options["rows"] = str(form.get("rows") or "").strip() or None
        options["pdf"] = bool(form.get("pdf"))
        options["office"] = {k: str(form.get(k) or "") for k in work.OFFICE_FIELDS}
        try:
            kind = work.doc_kind(options["kind"])
        except InputError as err:
            return page("message.html", 400, title="无法生成文书", message=err.describe())
        job = runner.new(kind, parent)
        job.result["back"] = parent.id
        runner.submit(job, lambda j: work.docs_job(j, options))
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.post("/jobs/{job_id}/report", include_in_schema=False)
    async def page_report(job_id: str, request: Request) -> Response:
        parent = runner.get(job_id)
        form = await request.form()
        if not form_token_ok(form):
            return page("message.html", 401, title="无法生成统计报表", message="表单缺少访问令牌，请刷新页面后重试。")  # fmt: skip
        if parent is None or parent.source is None:
            return page("message.html", 404, title="找不到该任务", message="上传的台账已过期删除，请重新上传。")  # fmt: skip
        options = dict(parent.result.get("options") or {})
        options["period"] = _period_options(form)
        options["pdf"] = bool(form.get("pdf"))
        try:
            _check_period(options["period"])
        except InputError as err:
            return page("message.html", 400, title="无法生成统计报表", message=err.describe())
        job = runner.new("统计报表", parent)
        job.result["back"] = parent.id
        runner.submit(job, lambda j: work.report_job(j, options))
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.post("/jobs/{job_id}/delete", include_in_schema=False)
    async def page_delete(job_id: str, request: Request) -> Response:
        form = await request.form()
        job = runner.get(job_id)
        if form_token_ok(form) and job is not None:
            runner.remove(job)
        return RedirectResponse("/", status_code=303)

    # ------------------------------------------------------------------ API

    @app.get(f"{API}/health", tags=["服务"])
    def health() -> dict[str, Any]:
        """服务是否在运行（不需要令牌）。"""
        return {"app": "jyyz", "api": 1, "version": VERSION}

    @app.get(f"{API}/functions", tags=["工作表函数"])
    def functions() -> Response:
        """全部 JY_ 工作表函数：名称、参数及说明。"""
        return json_response(work.catalogue())

    @app.post(f"{API}/functions/{{name}}", tags=["工作表函数"])
    async def call(name: str, request: Request) -> Response:
        """计算一个工作表函数：{"args": [...]}，区域参数为按行的二维数组（日期为 Excel 序列号）。"""
        try:
            body = await _json_body(request)
            args = body.get("args", [])
            if not isinstance(args, list):
                raise InputError("args 应为数组")
            return json_response(await run_in_threadpool(work.call_function, name, args))
        except LookupError as err:
            return error_json(str(err.args[0]), 404)
        except InputError as err:
            return error_json(err.describe())

    @app.post(f"{API}/sheet/fill", tags=["加载项：打开的工作簿"])
    async def sheet_fill(request: Request) -> Response:
        """填写计算列（与 Excel 按钮相同）：返回要写入的单元格。"""
        return await _sheet(request, work.sheet_fill)

    @app.post(f"{API}/sheet/check", tags=["加载项：打开的工作簿"])
    async def sheet_check(request: Request) -> Response:
        """检查台账（与 Excel 按钮相同）：返回问题、要标记的单元格和“检查结果”表。"""
        return await _sheet(request, work.sheet_check)

    @app.post(f"{API}/sheet/docs", tags=["加载项：打开的工作簿"])
    async def sheet_docs(request: Request) -> Response:
        """生成文书（协议书/公示/责任书）：返回任务编号，进度与文件见 /api/v1/jobs/{id}。"""
        try:
            body = await _json_body(request)
            kind = work.doc_kind(body.get("kind"))
        except InputError as err:
            return error_json(err.describe())
        job = runner.new(kind)
        runner.submit(job, lambda j: work.sheet_docs(j, body))
        return json_response({"job": job.id})

    @app.post(f"{API}/sheet/report", tags=["加载项：打开的工作簿"])
    async def sheet_report(request: Request) -> Response:
        """统计报表（与 Excel 按钮相同）：可给 quarter（如 2026Q4）、month 或 year，默认本季度；返回任务编号，报表与通报见 /api/v1/jobs/{id}。"""
        try:
            body = await _json_body(request)
            _check_period(_period_options(body))
        except InputError as err:
            return error_json(err.describe())
        job = runner.new("统计报表")
        runner.submit(job, lambda j: work.sheet_report(j, body))
        return json_response({"job": job.id})

    @app.post(f"{API}/jobs", tags=["文件任务"])
    async def new_job(request: Request) -> Response:
        """上传台账文件（multipart：ledger、kind=fill|check|docs|report，及 policy、as_of、sheet、doc_kind、rows、where、pdf、quarter、month、year）；report 可给多个 ledger 合并统计。"""
        try:
            job = await _upload_job(request, None, page_form=False)
        except InputError as err:
            return error_json(
                err.describe(), 413 if isinstance(err, security.UploadTooLarge) else 400
            )
        return json_response({"job": job.id})

    @app.get(f"{API}/jobs/{{job_id}}", tags=["文件任务"])
    def job_status(job_id: str) -> Response:
        """任务状态：running/done/failed、进度、消息、文件。"""
        job = runner.get(job_id)
        if job is None:
            return error_json("该任务不存在或已过期删除", 404)
        data = job.status()
        summary = job.result.get("summary")
        if summary is not None:
            data["summary"] = work.summary_json(summary)
        if "report" in job.result:
            data["report"] = job.result["report"]
        return json_response(data)

    @app.get(f"{API}/jobs/{{job_id}}/files/{{k}}", tags=["文件任务"])
    def job_file(job_id: str, k: int) -> Response:
        """下载任务的第 k 个文件。"""
        job = runner.get(job_id)
        if job is None or job.state != DONE or not 0 <= k < len(job.files):
            return error_json("该文件不存在或已过期删除", 404)
        name, path = job.files[k]
        runner.mark_downloaded(job, k)
        return FileResponse(
            path,
            filename=name,
            headers={"Cache-Control": "no-store"},
            content_disposition_type="attachment",
        )

    @app.post(f"{API}/jobs/{{job_id}}/save", tags=["文件任务"])
    def job_save(job_id: str) -> Response:
        """把任务的文件复制到“文档/jyyz/种类_时间”文件夹（由服务选定），返回该文件夹。"""
        job = runner.get(job_id)
        if job is None or job.state != DONE:
            return error_json("该任务不存在、未完成或已过期删除", 404)
        try:
            folder = work.save_folder(job)
        except OSError as err:
            from calc.safe_files import describe_os_error

            return error_json(describe_os_error(err, action="保存"), 500)
        return json_response({"folder": str(folder)})

    @app.delete(f"{API}/jobs/{{job_id}}", tags=["文件任务"])
    def job_delete(job_id: str) -> Response:
        """删除任务及其临时文件。"""
        job = runner.get(job_id)
        if job is not None:
            runner.remove(job)
        return json_response({"deleted": job is not None})

    # ------------------------------------------------------------------ helpers

    async def _sheet(request: Request, fn) -> Response:
        try:
            body = await _json_body(request)
            return json_response(await run_in_threadpool(fn, body))
        except InputError as err:
            return error_json(err.describe())

    async def _upload_job(request: Request, kind: str | None, *, page_form: bool) -> Job:
        """A job on uploaded ledgers: one for fill/check/docs, up to
        :data:`security.MAX_LEDGERS` for a report (rolled up as ``jyyz report a b …``)."""
        many = kind != "page"  # the page's own upload form carries one ledger
        try:
            form = await request.form(
                max_files=security.MAX_LEDGERS + 1 if many else 2,
                max_fields=50 + security.MAX_LEDGERS,
            )
        except security.BodyTooLarge as err:
            raise security.UploadTooLarge(str(err)) from None
        except HTTPException as err:  # the multipart parser's refusal
            if "files" in str(err.detail):
                raise InputError(
                    f"一次最多上传 {security.MAX_LEDGERS} 本台账（合计不超过 {security.MAX_UPLOAD // (1024 * 1024)} MB）"
                ) from None
            raise InputError(
                "上传的表单无法读取（内容不完整或项目过多），请重新选择文件后再试"
            ) from None
        if page_form and not form_token_ok(form):
            raise InputError("表单缺少访问令牌，请刷新页面后重试")
        uploads = [u for u in form.getlist("ledger") if isinstance(u, UploadFile) and u.filename]
        if not uploads:
            raise InputError("请选择要上传的台账文件（.xlsx 或 .xlsm）")
        if kind is None:
            kind = str(form.get("kind") or "fill").strip()
            if kind not in ("fill", "check", "docs", "report"):
                raise InputError(f"任务种类“{kind}”不对：可选 fill、check、docs、report")
        if len(uploads) > security.MAX_LEDGERS:
            raise InputError(
                f"一次最多上传 {security.MAX_LEDGERS} 本台账，这次选了 {len(uploads)} 本"
            )
        if len(uploads) > 1 and kind != "report":
            raise InputError(
                f"一次只能处理一本台账（选了 {len(uploads)} 本）；多本台账合并统计请生成统计报表"
            )
        options = {
            "policy": str(form.get("policy") or "").strip() or None,
            "as_of": str(form.get("as_of") or "").strip() or None,
            "sheet": str(form.get("sheet") or "").strip() or None,
            "kind": str(form.get("doc_kind") or "").strip() or None,
            "rows": str(form.get("rows") or "").strip() or None,
            "where": [str(w) for w in form.getlist("where") if str(w).strip()],
            "pdf": str(form.get("pdf") or "").lower() in ("1", "true", "on", "yes"),
            "office": {k: str(form.get(k) or "") for k in work.OFFICE_FIELDS},
            "period": _period_options(form),
        }
        if kind == "docs":
            work.doc_kind(options["kind"])  # a wrong kind is refused before the upload is kept
        if kind == "report":
            _check_period(options["period"])  # a wrong quarter, before the upload is kept
            if options["policy"]:
                from calc.policies import get_policy

                get_policy(options["policy"])
        job = runner.new(kind if kind != "report" else "统计报表")
        src = job.folder / "in"
        src.mkdir()
        sources: list[Path] = []
        try:
            for upload in uploads:
                display = _unique_name(security.safe_display_name(upload.filename), sources)
                path = src / display
                with open(path, "wb") as out:
                    await run_in_threadpool(shutil.copyfileobj, upload.file, out, 1024 * 1024)
                await upload.close()
                await run_in_threadpool(security.check_workbook_zip, path, display)
                sources.append(path)
        except InputError:
            runner.remove(job)
            raise
        job.source = sources[0]
        job.display = (
            sources[0].name if len(sources) == 1 else f"{sources[0].name} 等 {len(sources)} 本台账"
        )
        job.result["options"] = options
        if kind in ("page", "fill"):
            runner.submit(job, lambda j: work.fill_job(j, options, with_check=kind == "page"))
        elif kind == "check":
            runner.submit(job, lambda j: work.check_job(j, options))
        elif kind == "report":
            runner.submit(job, lambda j: work.report_job(j, options, sources))
        else:
            runner.submit(job, lambda j: work.docs_job(j, options))
        return job

    def _result_context(job: Job, status: str, community: str, page_no: int) -> dict[str, Any]:
        from xl_addin.cli import summary_rows

        res = job.result
        ctx: dict[str, Any] = {"job": job, "files": list(enumerate(job.files))}
        if "summary" in res:
            people = res["people"]
            communities = sorted({p[2] for p in people if p[2]})
            statuses = [s for s in ("符合", "待核实", "不符合", "资格终止") if any(p[3] == s for p in people)]  # fmt: skip
            chosen = [
                p
                for p in people
                if (not status or p[3] == status) and (not community or p[2] == community)
            ]
            pages = max(1, math.ceil(len(chosen) / PAGE_ROWS))
            page_no = min(max(1, page_no), pages)
            ctx.update(
                summary=summary_rows(res["summary"]),
                people=chosen[(page_no - 1) * PAGE_ROWS : page_no * PAGE_ROWS],
                matched=len(chosen),
                page_no=page_no,
                pages=pages,
                status=status,
                community=community,
                communities=communities,
                statuses=statuses,
                query=lambda n: f"?status={quote(status)}&community={quote(community)}&page_no={n}",
            )
        ctx["res"] = res
        ctx["doc_kinds"] = [("agreement", "协议书"), ("notice", "公示"), ("letter", "责任书")]
        ctx["has_soffice"] = _has_soffice()
        ctx["office_fields"] = list(work.OFFICE_FIELDS.items())
        return ctx

    @app.get("/wps/js/config.js", include_in_schema=False)
    def wps_config() -> Response:
        """The WPS add-in served here finds this service's discovery file (not the token)."""
        from xl_addin.service.discovery import discovery_path
        from xl_addin.wps_install import config_js

        return Response(config_js(discovery_path()), media_type="application/javascript")

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for prefix, folder in ADDIN_FOLDERS.items():
        if folder.is_dir():
            app.mount(prefix, StaticFiles(directory=folder, html=True), name=prefix.strip("/"))

    @app.exception_handler(security.BodyTooLarge)
    async def too_large(request: Request, exc: security.BodyTooLarge) -> Response:
        return error_json(str(exc), 413)

    return app


def _period_options(form) -> dict[str, str]:
    """The report period the form gives: quarter (2026Q4), month (2026-11) or year."""
    return {k: str(form.get(k) or "").strip() for k in ("quarter", "month", "year") if form.get(k)}


def _check_period(period: dict[str, str]) -> None:
    import datetime as dt

    from xl_addin.report import period_of

    period_of(period.get("quarter"), period.get("month"), period.get("year"), dt.date.today())


def _unique_name(name: str, taken: list[Path]) -> str:
    """``name``, or ``name（2）`` … when two uploads share a file name (two folders' 台账.xlsx)."""
    used = {p.name.casefold() for p in taken}  # Windows file names ignore case
    if name.casefold() not in used:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    k = 2
    while f"{stem}（{k}）{dot}{ext}".casefold() in used:
        k += 1
    return f"{stem}（{k}）{dot}{ext}"


def guarded(app: FastAPI, *, port: int, token: str, extra_origins=()):
    """The app behind the :class:`security.Guard` (what uvicorn serves)."""
    return security.Guard(app, port=port, token=token, extra_origins=extra_origins)


def _percent(job: Job) -> int:
    return int(round(100 * max(0.0, min(1.0, job.done / (job.total or 1)))))


def _community_header() -> str:
    from calc import fields

    return fields.header_of("community")


_SOFFICE: bool | None = None


def _has_soffice() -> bool:
    global _SOFFICE
    if _SOFFICE is None:
        _SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
    return _SOFFICE
