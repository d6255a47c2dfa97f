# SSI Leaderboard: one container serving Slack's requests.
#   docker build -t ssi-leaderboard .
#   docker run -p 3000:3000 -v ssi-data:/data \
#     -e SLACK_SIGNING_SECRET=... -e SLACK_BOT_TOKEN=xoxb-... ssi-leaderboard
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never

RUN pip install --no-cache-dir uv

WORKDIR /app
# Dependencies first, from the lock file, so code changes don't reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY models ./models
COPY slackapp ./slackapp
COPY manifest.yml alembic.ini ./
RUN uv sync --frozen --no-dev

RUN useradd --system --uid 10001 --home-dir /app ssi \
    && mkdir /data && chown ssi /data
USER ssi

ENV PATH="/app/.venv/bin:$PATH" \
    DATABASE_URL=sqlite:////data/ssi-leaderboard.db
VOLUME ["/data"]
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]

# `serve` applies pending migrations before it starts listening.
CMD ["ssi-leaderboard", "serve", "--host", "0.0.0.0", "--port", "3000"]
