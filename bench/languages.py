"""What answering in German costs against English: the part of a ``/ssi`` answer that depends
on the language (rendering the reply: catalog lookups, Babel's number and date formats).

    uv run python bench/languages.py [--rounds 3000]

The person's language itself is one indexed read (or, once a week, one users.info call), the
same for every language. Prints microseconds per reply and the German/English ratio."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from models.domain.history import KnownBenchmark, StoredSubmission
from models.domain.languages import Language
from models.domain.ssi import Benchmark, InvalidReading, Reading
from models.services.readings import ChannelRank, SubmissionResult
from slackapp.language.catalogs import compile_all
from slackapp.language.speech import explain, speaking
from slackapp.render.replies import error_reply, submission_reply
from slackapp.slack.readers.command_text import parse

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
READING = Reading(D(72), D("21.4"), D("17.66"), D("13.78"), D("19.4"), Benchmark(D(22), D(3)))


def _reply() -> None:
    previous = StoredSubmission(1, "U1", "u1", "C1", NOW - timedelta(days=7), "command", READING)
    result = SubmissionResult(
        saved=StoredSubmission(2, "U1", "u1", "C1", NOW, "command", READING),
        previous=previous,
        rank=ChannelRank("C1", 2, of=9, tied=False),
        benchmarks={"industry": KnownBenchmark(READING.industry, NOW)},
    )
    submission_reply(result, NOW)
    try:
        parse("68 21 17 14 160")
    except InvalidReading as refused:
        error_reply(explain(refused))


def per_reply(language: Language, rounds: int) -> float:
    with speaking(language):
        _reply()  # warm
        started = time.perf_counter()
        for _ in range(rounds):
            _reply()
        return (time.perf_counter() - started) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3000)
    rounds = parser.parse_args().rounds
    compile_all()
    results = {}
    for _ in range(2):  # interleaved, so a noisy moment hits both
        for language in (Language.EN, Language.DE):
            results.setdefault(language, []).append(per_reply(language, rounds))
    english, german = min(results[Language.EN]), min(results[Language.DE])
    print(f"reply + refusal, English: {english:.0f} µs; German: {german:.0f} µs")
    print(f"German / English: {german / english:.2f} (goal: within 1.10)")


if __name__ == "__main__":
    main()
