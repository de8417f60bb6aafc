"""pyproject ranges, the pinned lock and environment.yml agree."""

import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from tests.conftest import PROJECT_ROOT


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_every_declared_dependency_is_pinned_within_its_range():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = lock_pins()
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not pinned in requirements.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} vs {text}"


def test_environment_yml_installs_the_lock():
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    dependencies = environment["dependencies"]
    pip_section = next(d["pip"] for d in dependencies if isinstance(d, dict))
    assert "-r requirements.lock" in pip_section and "-e ." in pip_section
    python = next(d for d in dependencies if isinstance(d, str) and d.startswith("python="))
    requires = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert SpecifierSet(requires).contains(python.split("=")[1] + ".0")
