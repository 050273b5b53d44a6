"""Find, load and schema-check every data file: the raw material of the rules and the model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from macros.core.problems import DataError, Problem
from macros.load.schema import invalid_schemas, schema_problems
from macros.load.yamlfile import LoadedFile, load_file

# Where each kind of file lives, and the schema it must follow.
SINGLE_FILES = {
    "protocols.yaml": "protocols.schema.json",
    # Registries behind the setup guides (macros/model/guide.py).
    "openssl-cli.yaml": "openssl-cli.schema.json",
    "platforms.yaml": "platforms.schema.json",
    "profiles.yaml": "profiles.schema.json",
    "features.yaml": "features.schema.json",
    "messages.yaml": "messages.schema.json",
}
FOLDERS = {
    "openssl": "openssl-series.schema.json",
    "postgresql": "postgresql-major.schema.json",
    "settings": "settings.schema.json",
    "observations": "observation.schema.json",
}
MAX_FILES = 500
# Without these every table would come out empty, and the check would still pass.
REQUIRED_FOLDERS = ("openssl", "postgresql", "settings")


@dataclass
class DataTree:
    root: Path
    protocols: LoadedFile | None = None
    openssl_cli: LoadedFile | None = None
    platforms: LoadedFile | None = None
    profiles: LoadedFile | None = None
    features: LoadedFile | None = None
    messages: LoadedFile | None = None
    openssl: dict[str, LoadedFile] = field(default_factory=dict)
    postgresql: dict[str, LoadedFile] = field(default_factory=dict)
    settings: dict[str, LoadedFile] = field(default_factory=dict)
    observations: dict[str, LoadedFile] = field(default_factory=dict)

    def files(self) -> list[LoadedFile]:
        found = [f for f in (getattr(self, single_file_attribute(name)) for name in SINGLE_FILES) if f]
        for folder in FOLDERS:
            found.extend(getattr(self, folder).values())
        return found


def single_file_attribute(name: str) -> str:
    """The DataTree field of a top-level file: "openssl-cli.yaml" -> "openssl_cli"."""
    return name.removesuffix(".yaml").replace("-", "_")


def read_tree(data_dir: Path) -> tuple[DataTree, list[Problem]]:
    """Load every data file under data_dir. Returns the tree and all loader/schema problems."""
    data_dir = Path(data_dir)
    tree = DataTree(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return tree, [Problem(str(data_dir), 1, 1, "file-missing", "no such data directory")]
    schema_dir = data_dir / "schemas"
    problems += _unexpected_files(data_dir)
    problems += invalid_schemas(schema_dir)
    for name, schema in SINGLE_FILES.items():
        path = data_dir / name
        if not path.is_file():
            problems.append(Problem(_display(path), 1, 1, "file-missing", f"{name} is required"))
            continue
        loaded = _load(path, schema_dir, schema, problems)
        if loaded:
            setattr(tree, single_file_attribute(name), loaded)
    for folder, schema in FOLDERS.items():
        paths = sorted((data_dir / folder).glob("*.yaml"))
        problems += _folder_problems(data_dir / folder, paths)
        if (data_dir / folder).is_symlink():
            continue
        for path in paths[:MAX_FILES]:
            loaded = _load(path, schema_dir, schema, problems)
            if loaded:
                getattr(tree, folder)[path.stem] = loaded
    return tree, problems


def _load(path: Path, schema_dir: Path, schema: str, problems: list[Problem]) -> LoadedFile | None:
    if path.is_symlink():
        # A pull request could link to a file of the machine that runs the check, whose keys
        # and values would then appear in error messages.
        problems.append(Problem(_display(path), 1, 1, "file-unreadable",
                                "symbolic links are not allowed in data/; commit the file itself"))
        return None
    try:
        loaded = load_file(path, _display(path))
    except DataError as error:
        problems.extend(error.problems)
        return None
    found = schema_problems(loaded, schema_dir, schema)
    problems.extend(found)
    return None if found else loaded


def _folder_problems(folder: Path, paths: list[Path]) -> list[Problem]:
    if folder.is_symlink():
        return [Problem(_display(folder), 1, 1, "file-unreadable",
                        "symbolic links are not allowed in data/; commit the folder itself")]
    if folder.name in REQUIRED_FOLDERS and not paths:
        return [Problem(_display(folder), 1, 1, "file-missing",
                        f"{folder.name}/ must be a folder with at least one .yaml file")]
    if len(paths) > MAX_FILES:
        return [Problem(_display(folder), 1, 1, "file-unexpected",
                        f"more than {MAX_FILES} files; only the first {MAX_FILES} were read")]
    return []


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
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(path)
