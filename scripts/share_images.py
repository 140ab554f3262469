# Run: .venv/bin/python scripts/share_images.py (needs Chromium at /usr/bin/chromium).
"""Draw the link-preview pictures (1200 × 630 PNG) from the group drawings and the logo: social
networks do not show SVG previews."""

from pathlib import Path

from playwright.sync_api import sync_playwright

root = Path(__file__).resolve().parent.parent / "storefront" / "static" / "img"
groups = sorted(p.stem for p in (root / "groups").glob("*.svg"))
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = b.new_page(viewport={"width": 1200, "height": 630})
    for name in groups + ["ocop"]:
        if name == "ocop":
            body = f'<img src="file://{root}/logo.svg" style="width:300px;height:300px"><div style="font:700 72px sans-serif;color:#fff;margin-left:40px">OCOP<div style="font:400 40px sans-serif">Quảng Ngãi – Kon Tum</div></div>'  # noqa: E501
            bg = "#b3241f"
        else:
            body = f'<img src="file://{root}/groups/{name}.svg" style="height:630px">'  # noqa: E501
            bg = "#f6efe2"
        html = root / "share" / "_page.html"
        html.write_text(
            '<html><body style="margin:0;width:1200px;height:630px;display:flex;'
            f'align-items:center;justify-content:center;background:{bg}">{body}</body></html>',
            encoding="utf-8",
        )
        page.goto(f"file://{html}")
        page.wait_for_timeout(200)
        page.screenshot(path=str(root / "share" / f"{name}.png"))
    b.close()
    (root / "share" / "_page.html").unlink(missing_ok=True)
