"""Find, load and schema-check every data file: the raw material of the rules and the model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from macros.problems import DataError, Problem
from macros.schema import schema_problems
from macros.yamlload import LoadedFile, load_file

# Where each kind of file lives, and the schema it must follow.
SINGLE_FILES = {"protocols.yaml": "protocols.schema.json"}
FOLDERS = {
    "openssl": "openssl-series.schema.json",
    "postgresql": "postgresql-major.schema.json",
    "settings": "settings.schema.json",
    "observations": "observation.schema.json",
}
MAX_FILES = 500


@dataclass
class DataTree:
    root: Path
    protocols: LoadedFile | None = None
    openssl: dict[str, LoadedFile] = field(default_factory=dict)
    postgresql: dict[str, LoadedFile] = field(default_factory=dict)
    settings: dict[str, LoadedFile] = field(default_factory=dict)
    observations: dict[str, LoadedFile] = field(default_factory=dict)

    def files(self) -> list[LoadedFile]:
        found = [self.protocols] if self.protocols else []
        for folder in FOLDERS:
            found.extend(getattr(self, folder).values())
        return found


def read_tree(data_dir: Path) -> tuple[DataTree, list[Problem]]:
    """Load every data file under data_dir. Returns the tree and all loader/schema problems."""
    data_dir = Path(data_dir)
    tree = DataTree(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return tree, [Problem(str(data_dir), 1, 1, "file-missing", "no such data directory")]
    schema_dir = data_dir / "schemas"
    problems += _unexpected_files(data_dir)
    for name, schema in SINGLE_FILES.items():
        path = data_dir / name
        if not path.is_file():
            problems.append(Problem(_display(path), 1, 1, "file-missing", f"{name} is required"))
            continue
        loaded = _load(path, schema_dir, schema, problems)
        if loaded:
            tree.protocols = loaded
    for folder, schema in FOLDERS.items():
        paths = sorted((data_dir / folder).glob("*.yaml"))[:MAX_FILES]
        for path in paths:
            loaded = _load(path, schema_dir, schema, problems)
            if loaded:
                getattr(tree, folder)[path.stem] = loaded
    return tree, problems


def _load(path: Path, schema_dir: Path, schema: str, problems: list[Problem]) -> LoadedFile | None:
    try:
        loaded = load_file(path, _display(path))
    except DataError as error:
        problems.extend(error.problems)
        return None
    found = schema_problems(loaded, schema_dir, schema)
    problems.extend(found)
    return None if found else loaded


def _unexpected_files(data_dir: Path) -> list[Problem]:
    """A misspelt folder or a .yml file would otherwise be ignored without a word."""
    allowed_top = set(SINGLE_FILES) | set(FOLDERS) | {"schemas"}
    problems = []
    for path in sorted(data_dir.iterdir()):
        if path.name.startswith(".") or path.name in allowed_top:
            continue
        problems.append(Problem(_display(path), 1, 1, "file-unexpected",
                                f"not part of the data layout (expected: {', '.join(sorted(allowed_top))})"))
    for folder in FOLDERS:
        sub = data_dir / folder
        if sub.is_dir():
            for path in sorted(sub.iterdir()):
                if path.suffix != ".yaml" and not path.name.startswith("."):
                    problems.append(Problem(_display(path), 1, 1, "file-unexpected",
                                            "data files end in .yaml"))
    return problems


def _display(path: Path) -> str:
    """Paths as the user typed them relative to the working directory, when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
