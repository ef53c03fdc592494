"""`python -m clerk_tui.config --markdown`: the README's table of config keys, from their declarations.

`--readme README.md` rewrites the table between the README's markers in place;
`--toml` prints the file `clerk init` would write with the defaults.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clerk_tui.config import Settings, markdown_table, render_config
from clerk_tui.config.write import update_readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clerk_tui.config", description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--markdown", action="store_true", help="print the README table of keys")
    what.add_argument("--readme", type=Path, metavar="README", help="rewrite the table in this README")
    what.add_argument("--toml", action="store_true", help="print the commented config file with the defaults")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.stdout.write(markdown_table())
    elif args.toml:
        sys.stdout.write(render_config(Settings()))
    else:
        print(f"{args.readme}: {'updated' if update_readme(args.readme) else 'already up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
