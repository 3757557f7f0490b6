"""Copy a run's generated results summary (results/summary.md, made by rule `summary`) into
README.md between the results markers, so that the README quotes a named commit's generated
file instead of hand-copied numbers.

    python tools/readme_results.py [path/to/results/summary.md]
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def replace_section(name: str, body: str) -> None:
    """Put ``body`` between README.md's ``<!-- name:begin ... -->`` and ``<!-- name:end -->``."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    pattern = re.compile(rf"(<!-- {name}:begin[^\n]*-->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no {name} markers")
    readme.write_text(pattern.sub(lambda m: m.group(1) + body.rstrip() + "\n" + m.group(2), text))


def main(argv=None) -> None:
    args = sys.argv[1:] if argv is None else argv
    replace_section("results", Path(args[0] if args else ROOT / "results" / "summary.md").read_text())


if __name__ == "__main__":
    main()
