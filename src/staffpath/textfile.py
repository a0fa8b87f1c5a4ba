"""Reading a user's text file: the text, or an :class:`InputError` that says which file and
what is wrong with it (missing, a folder, unreadable, not UTF-8), never a traceback."""

from __future__ import annotations

from pathlib import Path

from staffpath.errors import InputError


def read_text(path: Path, *, what: str = "file", missing: str = "") -> str:
    """``what`` names the file in the message for a folder given by mistake ("the mentoring
    file (mentoring.yaml)"); ``missing`` is the advice when it does not exist."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the {what}")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        advice = f" ({missing})" if missing else ""
        raise InputError(f"{path}: no such file{advice}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
