"""Package discovery for the three source folders that install as one ``gcli`` package.

The repository keeps the layout ``gcli/ constructions/ bounds/``; they install as ``gcli``,
``gcli.constructions`` and ``gcli.bounds``. Every folder below them is found here (data folders such as
``gcli/schemas`` too), so a new subpackage cannot be left out of the wheel (``.ci/check_wheel.py`` checks the built
wheel against the source tree all the same).
Everything else (metadata, dependencies, package data) is in ``pyproject.toml``.
"""

from setuptools import find_namespace_packages, setup

ROOTS = {"gcli": "gcli", "gcli.constructions": "constructions", "gcli.bounds": "bounds"}


def packages() -> list[str]:
    """Each root and every folder below it, under the name it installs as."""
    found: list[str] = []
    for name, folder in ROOTS.items():
        found.append(name)
        found += [f"{name}.{sub}" for sub in find_namespace_packages(folder, exclude=["*__pycache__*"])]
    return found


setup(package_dir=ROOTS, packages=packages())
