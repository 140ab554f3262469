"""Cold QR image generation: how long drawing one /qr/<code>.png or .svg takes when it is not
in the cache (a label sheet, a crawler walking every product), with `qrcode` (used by the shop)
and, when it is installed, `segno` (used before, for comparison).

    python -m bench.qr_images [--images 300]

Each image is a different URL (nothing cached), 320 px wide, error correction M, quiet zone 4.
Written to bench/results/qr_images.json.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from bench import harness
from storefront import qr_codes

SIZE = 320


def _qrcode(url: str, kind: str) -> bytes:
    if kind == "png":
        return qr_codes.png(url, width=SIZE)
    return qr_codes.svg(url, width=SIZE, title=url)


def _segno(url: str, kind: str) -> bytes:
    import segno

    code = segno.make(url, error="m", micro=False)
    scale = max(1, SIZE // code.symbol_size(scale=1, border=4)[0])
    buffer = io.BytesIO()
    code.save(buffer, kind=kind, scale=scale, border=4)
    return buffer.getvalue()


def _time(draw, kind: str, images: int) -> dict:
    times = []
    for n in range(images):
        url = f"https://ocop.example.gov.vn/q/SYN{n:06d}{kind}"
        started = time.perf_counter()
        draw(url, kind)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(harness.percentile(times, 0.99), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.qr_images", description=__doc__)
    parser.add_argument("--images", type=int, default=300)
    args = parser.parse_args(argv)
    libraries = {"qrcode": _qrcode}
    try:
        import segno  # noqa: F401

        libraries["segno (before)"] = _segno
    except ImportError:
        pass
    rows = {
        name: {kind: _time(draw, kind, args.images) for kind in ("png", "svg")}
        for name, draw in libraries.items()
    }
    print(f"cold QR images, {SIZE} px, {args.images} different URLs each")
    print("| library | PNG p50 / p99 ms | SVG p50 / p99 ms |\n|---|---:|---:|")
    for name, kinds in rows.items():
        print(
            f"| {name} | {kinds['png']['p50_ms']} / {kinds['png']['p99_ms']} "
            f"| {kinds['svg']['p50_ms']} / {kinds['svg']['p99_ms']} |"
        )
    harness.save(
        {
            "benchmark": "qr_images",
            "images": args.images,
            "size_px": SIZE,
            "libraries": rows,
            "machine": harness.machine("one process"),
        },
        "qr_images.json",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
