"""Copy a run's generated results summary (results/summary.md, made by rule `summary`) into
README.md between the results markers, so that the README quotes a named commit's generated
file instead of hand-copied numbers.

    python tools/readme_results.py [path/to/results/summary.md]
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> None:
    args = sys.argv[1:] if argv is None else argv
    summary = Path(args[0] if args else ROOT / "results" / "summary.md").read_text()
    readme = ROOT / "README.md"
    text = readme.read_text()
    pattern = re.compile(r"(<!-- results:begin[^\n]*-->\n).*?(<!-- results:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit("README.md has no results markers")
    readme.write_text(pattern.sub(lambda m: m.group(1) + summary.rstrip() + "\n" + m.group(2), text))


if __name__ == "__main__":
    main()
