"""Headless Chromium checks of a self-contained HTML page (the outage report).

Used by report_browser_test.py; runnable alone on any HTML file:

    /usr/bin/python3 tests/report/browser_check.py report.html --out /tmp/shots

For each width (1280 and 390 px): the chart elements' boxes, measured by a script run in a copy
of the page (the page itself has none); a screenshot of the page's full height (capped); no
console messages at all (the page has no scripts, so any message is a failed load or an error);
and, in the screenshot, non-blank content inside each chart's box. Then print to PDF and render
every page with pdftoppm. Every Chromium run is bounded in time.
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MAX_HEIGHT = 12000  # px; taller pages are shot down to here (the charts come first)
MIN_WINDOW = 500  # Chromium's narrowest window; narrower widths are an iframe inside it

MEASURE = """<script>
(function () {
  var out = {height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
             charts: {}};
  document.querySelectorAll('svg.chart').forEach(function (e) {
    var r = e.getBoundingClientRect();
    out.charts[e.id] = [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height];
  });
  var pre = document.createElement('pre');
  pre.id = 'rebook-boxes';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def chromium(args, timeout=120):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0",
           "--force-device-scale-factor=1", "--allow-file-access-from-files", *args]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if run.returncode != 0:
        raise RuntimeError(f"chromium failed ({run.returncode}): {run.stderr[-2000:]}")
    return run


def console_messages(stderr):
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def read_png(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB/RGBA non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if channels == 3 else
                    bytes(v for k, v in enumerate(line) if k % 4 != 3))
        prev = line
    return width, height, rows


def content_in(rows, box, width, height):
    """(share of non-white pixels, distinct colours) inside box = [x, y, w, h]."""
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(width, int(box[0] + box[2])), min(height, int(box[1] + box[3]))
    if x1 <= x0 or y1 <= y0:
        return 0.0, 0
    inked, colours, total = 0, set(), 0
    for y in range(y0, y1, 2):
        row = rows[y]
        for x in range(x0, x1, 2):
            px = row[3 * x:3 * x + 3]
            total += 1
            if px != b"\xff\xff\xff":
                inked += 1
                if len(colours) < 64:
                    colours.add(px)
    return inked / max(total, 1), len(colours)


def frame(out_dir, name, src, width, height, copy_out=False):
    """A page that shows `src` in an iframe `width` x `height` px at its top left: the page's
    viewport is then exactly `width` wide, also below Chromium's narrowest window. With
    `copy_out`, a script copies the framed page's #rebook-boxes into this page (dump-dom shows
    only the top page)."""
    script = ""
    if copy_out:
        script = ("<script>document.getElementById('f').onload = function () {"
                  "var pre = document.createElement('pre'); pre.id = 'rebook-boxes';"
                  "pre.textContent = this.contentDocument.getElementById('rebook-boxes')"
                  ".textContent; document.body.appendChild(pre); };</script>")
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" scrolling="no" '
                f'src="file://{os.path.abspath(src)}" style="border:0;display:block;'
                f'width:{width}px;height:{height}px"></iframe>{script}</body></html>')
    return path


def check_width(page, width, out_dir, required):
    """Measures, shoots and checks one width; returns a dict of what was seen."""
    os.makedirs(out_dir, exist_ok=True)
    measured = os.path.join(out_dir, f"measure-{width}.html")
    with open(page, encoding="utf-8") as f:
        html = f.read()
    with open(measured, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", MEASURE + "</body>"))
    window = max(width, MIN_WINDOW)
    wrapper = frame(out_dir, f"frame-measure-{width}.html", measured, width, 900, copy_out=True)
    run = chromium([f"--window-size={window},900", "--virtual-time-budget=5000", "--dump-dom",
                    "file://" + wrapper])
    found = re.search(r'<pre id="rebook-boxes">(.*?)</pre>', run.stdout, re.S)
    assert found, "the measuring script did not run"
    boxes = json.loads(found.group(1).replace("&quot;", '"'))
    assert boxes["width"] <= width, f"page wider than {width} px: {boxes['width']}"
    shot_height = min(boxes["height"], MAX_HEIGHT)
    png = os.path.join(out_dir, f"report-{width}.png")
    wrapper = frame(out_dir, f"frame-{width}.html", page, width, shot_height)
    run = chromium([f"--window-size={window},{shot_height}", "--virtual-time-budget=5000",
                    "--screenshot=" + png, "file://" + wrapper])
    messages = console_messages(run.stderr)
    assert not messages, f"console messages at {width} px: {messages}"
    w, h, rows = read_png(png)
    assert (w, h) == (window, shot_height), (w, h)
    rows = [row[:3 * width] for row in rows]  # the framed page only
    w = width
    seen = {}
    for chart in required:
        assert chart in boxes["charts"], f"{chart} missing at {width} px"
    for chart, box in boxes["charts"].items():
        if box[1] + box[3] > shot_height:
            continue  # below the shot
        share, colours = content_in(rows, box, w, h)
        seen[chart] = {"box": [round(v) for v in box], "ink": round(share, 3), "colours": colours}
        assert box[2] > 0.5 * width - 40, f"{chart} only {box[2]} px wide at {width} px"
        assert share > 0.01 and colours >= 2, f"{chart} looks blank at {width} px: {seen[chart]}"
    for chart in required:
        assert chart in seen, f"{chart} lies below the screenshot at {width} px"
    return {"png": png, "page_height": boxes["height"], "charts": seen}


def print_pdf(page, out_dir):
    pdf = os.path.join(out_dir, "report.pdf")
    run = chromium(["--no-pdf-header-footer", "--print-to-pdf=" + pdf,
                    "file://" + os.path.abspath(page)], timeout=180)
    assert not console_messages(run.stderr), console_messages(run.stderr)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, timeout=60).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert "(A4)" in info, info
    prefix = os.path.join(out_dir, "page")
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "3", pdf, prefix],
                   check=True, timeout=120)
    first = sorted(p for p in os.listdir(out_dir) if p.startswith("page") and p.endswith(".ppm"))
    assert first, "pdftoppm rendered nothing"
    with open(os.path.join(out_dir, first[0]), "rb") as f:
        header = f.read(15)
        assert header.startswith(b"P6"), header
        body = f.read()
    inked = sum(1 for i in range(0, len(body) - 2, 3 * 7) if body[i:i + 3] != b"\xff\xff\xff")
    assert inked > 20, "the first PDF page is blank"
    return {"pdf": pdf, "pages": pages, "bytes": os.path.getsize(pdf)}


def check(page, out_dir, required=("burn-down", "heatmap", "delays", "gantt-0")):
    os.makedirs(out_dir, exist_ok=True)
    result = {"widths": {w: check_width(page, w, out_dir, required) for w in (1280, 390)}}
    result["pdf"] = print_pdf(page, out_dir)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("--out", default=None, help="folder for screenshots and the PDF")
    args = parser.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="report-shots-")
    print(json.dumps(check(args.page, out), indent=1))


if __name__ == "__main__":
    sys.exit(main())
