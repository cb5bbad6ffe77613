#!/usr/bin/env python3
"""Draws chapter 13's plots from target/bench/results.csv, as plain SVG.

    python3 tools/loadgen/bench/plot.py target/bench/results.csv src/measuring

Writes throughput.svg (messages/s against connections, log x), idle.svg
(messages/s of 100 active connections against idle ones) and memory.svg
(the server's peak RSS against connections, log-log), and the results as
Markdown tables in table.md next to the CSV file. Standard library only.
"""

import csv
import math
import sys
from pathlib import Path

FORMS = [
    # (server column value, legend, colour, dash)
    ("threads", "thread per connection", "#d62728", ""),
    ("mio-epoll", "mio, epoll", "#1f77b4", ""),
    ("mio-poll", "mio, poll(2)", "#2ca02c", "6,4"),
]
WIDTH, HEIGHT = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 90, 215, 50, 60


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def nice_ticks(top, count=5):
    """Round tick values from 0 to at least `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def label(value):
    if value >= 1_000_000 and value % 1_000_000 == 0:
        return f"{value / 1_000_000:.0f}M"
    if value >= 1000 and value % 1000 == 0:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def chart(title, x_title, y_title, series, x_log, y_log=False, x_ticks=None, y_unit=""):
    """series: [(legend, colour, dash, [(x, y or None, note)])] -> SVG text."""
    points = [(x, y) for _, _, _, pts in series for x, y, _ in pts if y is not None]
    if not points:
        return None
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    x_ticks = x_ticks or sorted(set(xs))
    if x_log:
        x_lo, x_hi = math.log10(min(x_ticks)), math.log10(max(x_ticks))
    else:
        x_lo, x_hi = min(x_ticks), max(x_ticks)
    if y_log:
        y_lo = math.floor(math.log10(min(ys)))
        y_hi = math.ceil(math.log10(max(ys)))
        y_ticks = [10**e for e in range(y_lo, y_hi + 1)]
    else:
        y_ticks = nice_ticks(max(ys) * 1.05)
        y_lo, y_hi = 0, y_ticks[-1]
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def px(x):
        v = math.log10(x) if x_log else x
        return LEFT + (v - x_lo) / ((x_hi - x_lo) or 1) * plot_w

    def py(y):
        v = math.log10(y) if y_log else y
        return TOP + plot_h - (v - y_lo) / ((y_hi - y_lo) or 1) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="13">',
        f"<title>{title}</title>",
        # A white card, so that the plot reads in the book's dark themes too.
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2 - RIGHT / 2 + LEFT / 2}" y="28" text-anchor="middle" '
        f'font-size="16" font-weight="bold">{title}</text>',
    ]
    for tick in y_ticks:
        y = py(tick)
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{label(tick)}{y_unit}</text>'
        )
    for tick in x_ticks:
        x = px(tick)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#eee"/>')
        out.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 20}" text-anchor="middle">{label(tick)}</text>'
        )
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>'
    )
    out.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 15}" text-anchor="middle">{x_title}</text>'
    )
    out.append(
        f'<text transform="translate(20 {TOP + plot_h / 2}) rotate(-90)" '
        f'text-anchor="middle">{y_title}</text>'
    )
    for index, (legend, colour, dash, pts) in enumerate(series):
        good = [(px(x), py(y)) for x, y, _ in pts if y is not None]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(good) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in good)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        for x, y in good:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        # A point that failed: a cross on the x axis, explained in the legend.
        failed = [x for x, y, _ in pts if y is None]
        for x in failed:
            cx, cy = px(x), TOP + plot_h - 8
            out.append(
                f'<path d="M{cx - 6:.1f},{cy - 6:.1f} l12,12 m0,-12 l-12,12" '
                f'stroke="{colour}" stroke-width="2.5"/>'
            )
        ly = TOP + 20 + index * 44
        lx = LEFT + plot_w + 15
        out.append(
            f'<line x1="{lx}" x2="{lx + 28}" y1="{ly}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        out.append(f'<text x="{lx + 34}" y="{ly + 4}">{legend}</text>')
        if failed:
            out.append(
                f'<text x="{lx + 34}" y="{ly + 20}" font-size="11" fill="#555">'
                f"× failed at {', '.join(label(x) for x in failed)}</text>"
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def duration(micros):
    us = number(micros)
    if us is None:
        return "–"
    if us >= 10_000:
        return f"{us / 1000:,.0f} ms"
    if us >= 1000:
        return f"{us / 1000:.1f} ms"
    return f"{us:.0f} µs"


def tables(rows):
    """Markdown tables of both series, one row per point and server form."""
    names = {form: legend for form, legend, _, _ in FORMS}
    out = []
    for series, first in (("connections", "Connections"), ("idle", "Idle (+100 active)")):
        out.append(
            f"| {first} | Server | Messages/s | p50 | p99 | Peak RSS | CPU: server, loadgen |"
        )
        out.append("|---:|---|---:|---:|---:|---:|---:|")
        for row in rows:
            if row["series"] != series:
                continue
            x = row["connections"] if series == "connections" else row["idle"]
            rate = number(row["msgs_per_s"])
            rss = number(row["peak_rss_kib"])
            cpu = f"{row['server_cpu_pct'] or '–'} %, {row['loadgen_cpu_pct'] or '–'} %"
            cells = [
                f"{int(x):,}",
                names.get(row["server"], row["server"]),
                f"{rate:,.0f}" if rate is not None else "–",
                duration(row["p50_us"]),
                duration(row["p99_us"]),
                f"{rss / 1024:,.1f} MiB" if rss is not None else "–",
                cpu,
            ]
            if row["status"] != "ok":
                cells[2] += f" ({row['status']})"
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    results, directory = Path(sys.argv[1]), Path(sys.argv[2])
    with results.open(newline="") as f:
        rows = list(csv.DictReader(f))

    def ok(row, column):
        value = number(row[column])
        good = row["status"] == "ok" and value is not None and value > 0
        return value if good else None

    def series(name, x_column, y_column, scale=1.0):
        out = []
        for form, legend, colour, dash in FORMS:
            pts = []
            for row in rows:
                if row["series"] == name and row["server"] == form:
                    y = ok(row, y_column)
                    pts.append((number(row[x_column]), y * scale if y else None, row["status"]))
            out.append((legend, colour, dash, sorted(pts, key=lambda p: p[0])))
        return out

    directory.mkdir(parents=True, exist_ok=True)
    plots = {
        "throughput.svg": chart(
            "Echo round trips per second, all connections active",
            "connections (log scale), each sending 64-byte messages one at a time",
            "messages per second",
            series("connections", "connections", "msgs_per_s"),
            x_log=True,
        ),
        "idle.svg": chart(
            "100 active connections beside idle ones",
            "idle connections",
            "messages per second",
            series("idle", "idle", "msgs_per_s"),
            x_log=False,
        ),
        "memory.svg": chart(
            "Server peak memory (VmHWM), all connections active",
            "connections (log scale)",
            "peak resident memory, MiB (log scale)",
            series("connections", "connections", "peak_rss_kib", scale=1 / 1024),
            x_log=True,
            y_log=True,
        ),
    }
    for name, svg in plots.items():
        if svg is None:
            print(f"no results to plot in {name}", file=sys.stderr)
            continue
        (directory / name).write_text(svg)
        print(f"wrote {directory / name}")
    table = results.with_name("table.md")
    table.write_text(tables(rows))
    print(f"wrote {table}")


if __name__ == "__main__":
    main()
