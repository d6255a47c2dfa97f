"""The ceiling for bench/load.py: a bare FastAPI endpoint that reads the same form and answers
JSON, under the same uvicorn settings as the app, with no Bolt, no signature check, no DB."""

from __future__ import annotations

from fastapi import FastAPI, Request

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.post("/slack/events")
async def slack_events(request: Request) -> dict[str, str]:
    form = await request.form()
    return {"response_type": "ephemeral", "text": f"ok {form.get('user_id')}"}


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
