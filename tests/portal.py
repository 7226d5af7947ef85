"""Build portal-style pages from the shipped samples: the variants the readers must see through."""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path

from pipeline.layout import split_page
from pipeline.normalise import normalise

SITE = "CỔNG THÔNG TIN ĐIỆN TỬ TỈNH ỦY"


def portal_html(sample: Path, url: str) -> str:
    """SAMPLE as a provincial portal serves it: menu, breadcrumb, date line, related news, counter,
    footer and scripts around the article."""
    layout = split_page(normalise(sample.read_text("utf-8")))
    paragraphs = [p for p in layout.text.split("\n") if p.strip()]
    if layout.title:
        paragraphs = paragraphs[1:]
    headline = layout.title or paragraphs[0][:80]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    date = layout.published_date
    date_line = f'<div class="date">Thứ Năm, ngày {date.day}/{date.month}/{date.year} - 10:50</div>' if date else ""
    meta_date = f'<meta property="article:published_time" content="{date.isoformat()}T10:50:00+07:00">' if date else ""
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{html.escape(headline)} - {SITE}</title>
<meta property="og:title" content="{html.escape(headline)}">{meta_date}
<link rel="canonical" href="{url}">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>.menu li {{ display: inline; }}</style>
</head><body>
<div class="header"><a href="/">{SITE}</a></div>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
<li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/van-ban">Văn bản</a></li><li><a href="/lien-he">Liên hệ</a></li></ul>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/tin-tuc">Tin tức - Sự kiện</a></div>
<div class="main"><div class="article">
<h1 class="title">{html.escape(headline)}</h1>
{date_line}
<div class="content">
{body}
</div></div>
<div class="related"><h3>Tin khác</h3><ul>
<li><a href="/tin/1">Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12</a></li>
<li><a href="/tin/2">Kỷ niệm 93 năm Ngày thành lập Đảng Cộng sản Việt Nam</a></li>
<li><a href="/tin/3">Triển khai nhiệm vụ năm 2023 của Ủy ban Kiểm tra</a></li></ul></div>
</div>
<div class="sidebar"><div class="counter"><b>Thống kê truy cập</b><ul><li>Đang online: 2</li><li>Hôm nay: 116</li>
<li>Tất cả: 3091877</li></ul></div></div>
<div class="footer">Bản quyền thuộc {SITE}. Địa chỉ: số 1 đường 3/2, phường 1. Điện thoại: 0294.3862.000</div>
<script>(function(){{var s=document.createElement('script');s.src='/counter.js';document.body.appendChild(s);}})();</script>
</body></html>"""


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_windows_1258(text: str) -> bytes:
    """TEXT as Windows-1258 writes Vietnamese: letters with their vowel marks, tones as combining bytes."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            out.append((base + "".join(c for c in decomposed if c in _TONES)).encode("cp1258"))
    return b"".join(out)


def to_tcvn3(text: str, table: dict[int, str]) -> bytes:
    """TEXT in TCVN3 bytes, by the inverse of the decoding TABLE (letters it lacks become ASCII '?')."""
    inverse = {char: byte for byte, char in table.items()}
    return bytes(inverse.get(c, ord(c) if ord(c) < 0x80 else 0x3F) for c in unicodedata.normalize("NFC", text))


def to_vni(text: str, marks: dict[str, str], letters: dict[str, str]) -> bytes:
    """TEXT in VNI bytes (read as Windows-1252), by the inverse of the decoding tables."""
    # keyed by the marks in canonical order, as NFD writes them (the dot below before the circumflex)
    by_marks = {
        unicodedata.normalize("NFD", "a" + combining)[1:]: byte for byte, combining in marks.items() if byte.islower()
    }
    by_letter = {letter: byte for byte, letter in letters.items()}
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in by_letter:
            out.append(by_letter[char])
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, combining = decomposed[0], decomposed[1:]
        if base in "oO" and "\u031b" in combining:  # ơ: one byte, then its tone
            base, combining = by_letter["ơ" if base == "o" else "Ơ"], combining.replace("\u031b", "")
        if base in "uU" and "\u031b" in combining:
            base, combining = by_letter["ư" if base == "u" else "Ư"], combining.replace("\u031b", "")
        mark = by_marks.get(combining, "") if combining else ""
        out.append(base + (mark.upper() if base.isupper() else mark))
    return "".join(out).encode("cp1252", errors="replace")
