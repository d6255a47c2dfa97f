# SSI Leaderboard: one container serving Slack's requests.
#   podman build --format docker -t ssi-leaderboard .    (or: docker build -t ssi-leaderboard .)
#   docker run -p 3000:3000 -v ssi-data:/data \
#     -e SLACK_SIGNING_SECRET=... -e SLACK_BOT_TOKEN=xoxb-... ssi-leaderboard
# deploy/check-image.sh builds it and checks it as an operator would.

# Build stage: uv resolves the lock file into /app/.venv; uv itself and its cache stay here.
FROM python:3.11-slim AS build

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never

RUN pip install --no-cache-dir uv
# strip, for the wheels' own compiled modules below (this stage only).
RUN apt-get update && apt-get install -y --no-install-recommends binutils \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, from the lock file, so code changes don't reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY models ./models
COPY slackapp ./slackapp
RUN uv sync --frozen --no-dev && python -m compileall -q models slackapp
# After the last sync, which compiles every package's bytecode again. What no running
# app reads: test suites, type stubs, C headers, numpy's Fortran wrapper generator,
# matplotlib's sample data and toolbar images, every font but DejaVu Sans (the charts')
# and the last-resort font matplotlib insists on, and the bytecode of fontTools' parts that
# drawing a PNG never imports (only fontTools.misc and .agl; deploy/check_image.py draws
# both charts in the image), Babel's data for locales other than the five the app speaks
# (slackapp/language: Locale.parse("de") reads de.dat and root.dat), and the C and Cython
# sources that wheels ship beside their compiled modules (fontTools' alone are 6 MB), and the
# debugging symbols in the wheels' own compiled modules (uvloop's alone are 10 MB; the
# libraries auditwheel vendored in ``*.libs`` are left as they are).
RUN site=/app/.venv/lib/python3.11/site-packages \
    && find "$site" -depth -type d -name tests -path "*/numpy/*" -exec rm -rf {} + \
    && find "$site" -depth -type d -name tests -path "*/matplotlib/*" -exec rm -rf {} + \
    && find "$site" -depth -type d -name tests -path "*/fontTools/*" -exec rm -rf {} + \
    && find "$site" -name "*.pyi" -delete \
    && rm -rf "$site/numpy/_core/include" "$site/numpy/f2py" \
        "$site/matplotlib/mpl-data/sample_data" "$site/matplotlib/mpl-data/images" \
    && find "$site/matplotlib/mpl-data/fonts" -type f ! -name "DejaVuSans.ttf" \
        ! -name "LastResortHE-Regular.ttf" -delete \
    && find "$site/fontTools" -mindepth 2 -type d -name __pycache__ \
        ! -path "*/fontTools/misc/*" ! -path "*/fontTools/agl*" -exec rm -rf {} + \
    && find "$site/babel/locale-data" -name "*.dat" ! -name root.dat ! -name en.dat \
        ! -name de.dat ! -name es.dat ! -name it.dat ! -name nl.dat -delete \
    && find "$site" -type f \( -name "*.c" -o -name "*.cpp" -o -name "*.h" -o -name "*.pyx" \
        -o -name "*.pxd" -o -name "*.pxi" \) -delete \
    && find "$site" -type f \( -name "*.cpython-311-x86_64-linux-gnu.so" -o -name "*.abi3.so" \) \
        -exec strip --strip-unneeded {} +

# Run stage: the same base, the virtual environment and the code, nothing else.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:$PATH" \
    PORT=3000 \
    DATABASE_URL=sqlite:////data/ssi-leaderboard.db

# Screenshots of the SSI page are read here, offline: Tesseract with the English, German,
# Spanish, Italian and Dutch data (Debian's packages; nothing is downloaded at run time).
# Not kept: apt's lists and package cache (over 100 MB), the docs, and the orientation
# and script detection data (``--psm 4`` never asks for it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng \
        tesseract-ocr-deu tesseract-ocr-spa tesseract-ocr-ita tesseract-ocr-nld \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
        /usr/share/doc /usr/share/man /usr/share/tesseract-ocr/5/tessdata/osd.traineddata

RUN useradd --system --uid 10001 --no-create-home --home-dir /app ssi \
    && mkdir /data && chown ssi /data
WORKDIR /app
COPY --from=build /app/.venv ./.venv
COPY --from=build /app/models ./models
COPY --from=build /app/slackapp ./slackapp
COPY manifest.yml alembic.ini ./
USER ssi

VOLUME ["/data"]
EXPOSE 3000
# `serve` listens on $PORT (3000 unless set at run time).

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"]

# `serve` applies pending migrations before it starts listening. It and `scheduler` stop
# within a few seconds of SIGTERM.
CMD ["ssi-leaderboard", "serve", "--host", "0.0.0.0"]
