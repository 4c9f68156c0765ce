"""Builds the models/ and templates/ source folders into the package, so a wheel carries everything it needs.

The project's metadata is in pyproject.toml; this file only adds that copy step. In an editable install the
package reads the folders of the checkout directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_FOLDERS = ("models", "templates")  # -> castguard/models, castguard/templates inside the wheel


class BuildWithData(build_py):
    def run(self):
        super().run()
        for name in DATA_FOLDERS:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"{source}: missing; the wheel needs it (it is part of the source distribution)")
            target = Path(self.build_lib) / "castguard" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithData})
