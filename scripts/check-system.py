"""One line naming the system packages the test suite needs and this machine lacks (Debian names).

Run by scripts/test.sh before pytest. Pango missing: nothing can be rendered, so it stops (exit 4)
instead of failing every report test. Anything else missing: the tests that need it skip with a
reason, and this line says which package would run them. Plain Python: no venv needed.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys


def loads(*names: str) -> bool:
    for name in names:
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def fc_list(*args: str) -> str:
    if not shutil.which("fc-list"):
        return ""
    return subprocess.run(["fc-list", *args], capture_output=True, text=True).stdout


def main() -> int:
    required = []  # without these the tests cannot run at all
    if not loads("libpango-1.0.so.0", "libpango-1.0.dylib"):
        required.append("libpango-1.0-0")
    if not loads("libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib"):
        required.append("libpangoft2-1.0-0")
    optional = []  # (package, what skips or slows down without it)
    if not shutil.which("fc-list"):
        optional.append(("fontconfig", "font checks"))
    elif not fc_list(":lang=zh", "family").strip():
        optional.append(("fonts-noto-cjk", "Chinese-text tests skip"))
    if not loads("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib"):
        optional.append(("libharfbuzz-subset0", "CJK reports render slowly"))
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        optional.append(("libreoffice-calc-nogui", "workbook round-trip test skips"))
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        optional.append(("chromium", "browser tests skip"))
    if required:
        packages = " ".join(required + [p for p, _ in optional])
        print(f"test.sh: cannot render PDFs: missing {' '.join(required)} "
              f"(Debian: sudo apt-get install {packages})", file=sys.stderr)
        return 4
    if optional:
        what = "; ".join(f"{p} ({why})" for p, why in optional)
        print(f"test.sh: missing system packages: {what}. "
              f"Debian: sudo apt-get install {' '.join(p for p, _ in optional)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
