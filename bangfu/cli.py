"""The `bangfu` console command: every management command of the platform under one entry point."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    if args[:1] == ["demo"]:
        # Demo mode is chosen before settings load: demo accounts work only in it.
        os.environ.setdefault("BANGFU_DEMO", "1")
        os.environ.setdefault("BANGFU_DATA_DIR", os.path.join("data", "demo"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bangfu", *args])


if __name__ == "__main__":
    main()
