"""How wide a line of text will be, without a font engine: a per-character width table.

The diagram sizes its boxes before anything draws them, so it needs text widths up front.
The widths are DejaVu Sans (regular and bold) advances in thousandths of an em: the widest
of the common sans-serif faces, wider than Helvetica, Arial and the Liberation Sans that
vl-convert bundles for PNG, so a label measured here never overflows whatever face the
viewer picks from ``FONT_FAMILY``. Characters outside the table count as a full em.
"""

from __future__ import annotations

FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
"""The faces the SVG asks for, in order (the same family the charts use, then fallbacks)."""

_CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~×·µ–—…"


def _widths(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split())


# Advances of _CHARS, in order, in thousandths of an em.
_REGULAR = _widths(
    """
    318 401 460 838 637 951 780 275 391 391 500 838 318 361 318 337 637 637 637 637 637 637
    637 637 637 637 337 337 838 838 838 531 1000 685 687 699 771 632 576 775 752 295 295 656
    558 863 749 788 604 788 695 635 611 732 685 989 686 611 686 391 337 391 838 500 500 613
    635 550 635 616 353 635 634 278 278 580 278 975 634 612 635 635 412 521 393 634 592 818
    592 592 525 637 337 637 838 838 318 637 500 1000 1000
    """
)
_BOLD = _widths(
    """
    349 457 521 838 696 1002 873 307 458 458 523 838 380 416 380 366 696 696 696 696 696 696
    696 696 696 696 400 400 838 838 838 581 1000 774 763 734 831 684 684 821 837 373 373 775
    638 996 837 851 733 851 771 721 683 813 774 1104 771 725 726 458 366 458 838 500 500 675
    716 593 716 679 436 716 712 343 343 666 343 1042 712 688 716 716 494 596 479 712 652 924
    646 652 583 712 366 712 838 838 380 736 500 1000 1000
    """
)
_WIDE = 1000
_EXTRA = 1.03
"""Safety factor on top of the table, for kerning-free renderers and hinting."""

_REGULAR_BY_CHAR = dict(zip(_CHARS, _REGULAR, strict=True))
_BOLD_BY_CHAR = dict(zip(_CHARS, _BOLD, strict=True))


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in pixels of ``text`` at ``size`` pixels, rounded up to a tenth of a pixel."""
    table = _BOLD_BY_CHAR if bold else _REGULAR_BY_CHAR
    ems = sum(table.get(ch, _WIDE) for ch in text) / 1000
    return -(-round(ems * size * _EXTRA * 100) // 10) / 10
