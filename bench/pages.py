"""Public pages on a cheap phone: Lighthouse on the production set-up.

Run from the repository root: .venv/bin/python bench/pages.py
Needs PostgreSQL (BENCH_DATABASE_URL, as bench/booking_rush.py, whose set-up this
reuses: a database of the run's own, the servers of deploy/stack.py — nginx with the
shipped configuration in front of gunicorn and uvicorn — DEBUG off), Debian's
Chromium (CHROMIUM, default /usr/bin/chromium) and Lighthouse from bench/package.json:

    npm ci --prefix bench

The demo catalogue and booking set-up are loaded as `make demo` does (manage.py with
DEBUG=true). Lighthouse runs its default mobile audit (a mid-range phone, slow 4G and a
4 × slower CPU, simulated) on the start page, a service page, the booking days page and
the status page, each in German, English and Arabic, one after the other, with a cold
cache. Per page it prints the bytes transferred and the four scores; the RESULT line has
the heaviest page and the lowest score of each category (targets: < 150 KB,
performance ≥ 95, accessibility, best practices and SEO 100). BENCH_PAGES_KEEP=DIR keeps
the JSON reports there.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import booking_rush  # noqa: E402  (its database, environment and stack)

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LANGUAGES = ("de", "en", "ar")
PAGES = {
    "start": "/{lang}/",
    "service": "/{lang}/services/aufenthaltserlaubnis-verlaengern/",
    "days": "/{lang}/appointments/hauptstelle/aufenthaltserlaubnis-verlaengern/",
    "status": "/{lang}/status/",
}
CATEGORIES = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}


def load_demo(env: dict) -> None:
    """The demo office, written as the Makefile's `demo` target does."""
    for command in ("migrate", "createcachetable", "load_demo_catalog", "load_demo_booking"):
        subprocess.run(
            [sys.executable, "manage.py", command, "--verbosity", "0"], cwd=ROOT,
            env={**os.environ, **env, "DEBUG": "true"}, check=True, capture_output=True,
        )  # fmt: skip


def lighthouse(url: str, report: Path) -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(report.read_text())


def failed_audits(result: dict) -> list[str]:
    """The audits that cost a category points (what to fix)."""
    names = []
    for category in result["categories"].values():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                names.append(f"{ref['id']} ({audit['score']:.2f})")
    return sorted(set(names))


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: npm ci --prefix bench", file=sys.stderr)
        return 1
    env = booking_rush.server_environment()
    booking_rush.recreate_database()
    keep = os.environ.get("BENCH_PAGES_KEEP")
    reports = Path(keep or tempfile.mkdtemp(prefix="willkommen-lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    servers = booking_rush.stack.Stack(env)
    # Links in the pages (canonical, hreflang) point to where the pages are served.
    servers.env["PUBLIC_BASE_URL"] = servers.url
    try:
        load_demo(servers.env)
        servers.collectstatic()
        servers.start()
        rows = []
        for lang in LANGUAGES:
            for name, pattern in PAGES.items():
                url = servers.url + pattern.format(lang=lang)
                result = lighthouse(url, reports / f"{lang}-{name}.json")
                kb = result["audits"]["total-byte-weight"]["numericValue"] / 1024
                scores = {
                    short: round(100 * (result["categories"][key]["score"] or 0))
                    for key, short in CATEGORIES.items()
                }
                rows.append((kb, scores))
                line = " ".join(f"{short}={value}" for short, value in scores.items())
                missed = failed_audits(result)
                missed = f"  missed: {', '.join(missed)}" if missed else ""
                print(f"{lang} {name:8s} {kb:6.1f} KB  {line}{missed}", flush=True)
    finally:
        servers.stop()
        import psycopg

        with psycopg.connect(booking_rush.SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{booking_rush.DB_NAME}" WITH (FORCE)')
    worst = {short: min(scores[short] for _kb, scores in rows) for short in CATEGORIES.values()}
    print(
        f"RESULT pages_max_kb={max(kb for kb, _s in rows):.1f} perf_min={worst['perf']} "
        f"a11y_min={worst['a11y']} bp_min={worst['bp']} seo_min={worst['seo']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
