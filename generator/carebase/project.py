"""A help centre project as described by its ``mkdocs.yml``, read without importing MkDocs.

The CLI needs the docs folder, languages, blog settings and categories file before (and
without) running a build, so this module reads the few settings it needs and ignores the rest.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml

from carebase.announce.settings import AnnounceSettings, announce_settings
from carebase.errors import ProjectError
from carebase.paths import check_folder, unsafe_reason
from carebase.search.settings import SearchSettings, search_settings
from carebase.settings import ContentSettings

DEFAULT_CATEGORIES_FILE = "kb/.categories.yml"
_BLOG_PLUGINS = ("blog", "material/blog")
_KB_PLUGIN = "carebase/kb"
_I18N_PLUGIN = "i18n"


@dataclass(frozen=True)
class Project:
    """Where a project lives and how its content is laid out."""

    config_path: Path
    root: Path
    settings: ContentSettings
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    search: SearchSettings = field(default_factory=SearchSettings)
    announce: AnnounceSettings | None = None
    """None: the project announces nothing (no ``carebase/announce`` plugin)."""

    @property
    def docs_dir(self) -> Path:
        """The folder holding the content, as an absolute path."""
        return self.settings.docs_dir


class _TolerantLoader(yaml.SafeLoader):
    """A safe loader that reads MkDocs' tags (``!ENV``, ``!!python/name:``) as plain values."""


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # Same rule as MkDocs: the first set variable wins, the last item is the default.
    names = _plain(loader, node)
    names = names if isinstance(names, list) else [names]
    for name in names[:-1] if len(names) > 1 else names:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return names[-1] if len(names) > 1 else None


def _plain(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """Construct any tagged node as the scalar, list or mapping it is written as."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TolerantLoader.add_constructor("!ENV", _construct_env)
_TolerantLoader.add_constructor(None, _plain)


def load_project(config_file: Path | str = "mkdocs.yml") -> Project:
    """Read ``config_file`` and describe the project; :class:`ProjectError` when unusable."""
    config_path = Path(config_file).resolve()
    config = read_config(config_path)
    root = config_path.parent
    docs_dir = _docs_dir(config, root, config_path.name)
    plugins = plugin_configs(config.get("plugins"), config_path.name)
    settings = replace(
        _content_settings(docs_dir, plugins, config_path.name),
        root=root,
        **_theme(config.get("theme"), root, config_path.name),
    )
    return Project(
        config_path=config_path,
        root=root,
        settings=settings,
        site_url=_optional_str(config, "site_url", config_path.name),
        repo_url=_optional_str(config, "repo_url", config_path.name),
        edit_uri=_optional_str(config, "edit_uri", config_path.name),
        search=search_settings(plugins, config_path.name),
        announce=announce_settings(plugins, config_path.name),
    )


def read_config(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Parse a MkDocs config file, following ``INHERIT`` like MkDocs does."""
    data = _load_yaml(path)
    parent = data.pop("INHERIT", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ProjectError(f"{path.name}: INHERIT must be a file name, got {parent!r}")
    parent_path = (path.parent / parent).resolve()
    project = (_seen[0] if _seen else path.resolve()).parent
    check_folder(project, parent_path, f"{path.name}: INHERIT")
    if not parent_path.is_file():
        raise ProjectError(f"{path.name}: INHERIT: {parent_path} does not exist")
    seen = (*_seen, path.resolve())
    if parent_path in seen:
        chain = " -> ".join(p.name for p in (*seen, parent_path))
        raise ProjectError(
            f"{path.name}: INHERIT: '{parent}' inherits back ({chain})\n"
            "  hint: a config may INHERIT a base file, and the base must not INHERIT it back"
        )
    return _merge(read_config(parent_path, seen), data)


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProjectError(
            f"{path} does not exist; run carebase in the project folder or pass -f mkdocs.yml"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path} cannot be read: {exc}") from None
    try:
        data = yaml.load(text, Loader=_TolerantLoader)
    except RecursionError:
        raise ProjectError(
            f"{path.name}: is nested too deeply to be a config (hundreds of levels of lists "
            "or mappings)"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or "invalid YAML"
        raise ProjectError(f"{path.name}{where}: is not valid YAML: {reason}") from None
    if not isinstance(data, dict):
        raise ProjectError(f"{path.name}: must be a mapping of settings, like 'site_name: …'")
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in ``override`` replace those in ``base``."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def plugin_configs(plugins: Any, config_name: str = "mkdocs.yml") -> dict[str, dict[str, Any]]:
    """The ``plugins`` setting as ``{name: options}``, from a list or a mapping."""
    if plugins is None:
        return {}
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    if not isinstance(plugins, list):
        raise ProjectError(f"{config_name}: plugins must be a list of plugin names")
    found: dict[str, dict[str, Any]] = {}
    for item in plugins:
        if isinstance(item, str):
            found[item] = {}
        elif isinstance(item, dict) and len(item) == 1:
            name, options = next(iter(item.items()))
            found[str(name)] = options if isinstance(options, dict) else {}
        else:
            raise ProjectError(
                f"{config_name}: plugins: each item must be a name or 'name: {{options}}', "
                f"got {item!r}"
            )
    return found


def _docs_dir(config: dict[str, Any], root: Path, config_name: str) -> Path:
    value = config.get("docs_dir", "docs")
    if not isinstance(value, str) or not value:
        raise ProjectError(f"{config_name}: docs_dir must be a folder name, got {value!r}")
    docs_dir = (root / value).resolve()
    if not docs_dir.is_dir():
        raise ProjectError(f"{config_name}: docs_dir '{value}' is not a folder next to it")
    check_folder(root, docs_dir, f"{config_name}: docs_dir")
    return docs_dir


def _theme(theme: Any, root: Path, config_name: str) -> dict[str, Any]:
    """The theme's ``custom_dir`` (inside the project) and the folders its templates are in."""
    options = theme if isinstance(theme, dict) else {"name": theme}
    custom_dir = options.get("custom_dir")
    theme_dir = None
    if isinstance(custom_dir, str) and custom_dir:
        theme_dir = (root / custom_dir).resolve()
        check_folder(root, theme_dir, f"{config_name}: theme.custom_dir")
    folders = [theme_dir, _package_folder(_theme_module(options.get("name")))]
    folders.append(_package_folder("mkdocs.templates"))  # MkDocs' own, under every theme
    return {"theme_dir": theme_dir, "template_dirs": tuple(f for f in folders if f is not None)}


def _theme_module(name: Any) -> str | None:
    """The module an installed MkDocs theme's templates are in (``material.templates``)."""
    if not isinstance(name, str):
        return None
    found = [ep.value for ep in entry_points(group="mkdocs.themes", name=name)]
    return found[0] if found else None


def _package_folder(module: str | None) -> Path | None:
    """The folder of a package's module, found without importing it."""
    if module is None:
        return None
    package, _, inner = module.partition(".")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)), *inner.split(".") if inner else [])
    return folder if folder.is_dir() else None


def _content_settings(
    docs_dir: Path, plugins: dict[str, dict[str, Any]], config_name: str
) -> ContentSettings:
    blog = next((plugins[name] for name in _BLOG_PLUGINS if name in plugins), {})
    blog_dir = _text_option(blog, "blog_dir", "blog", config_name).strip("/")
    authors_file = _text_option(blog, "authors_file", "{blog}/.authors.yml", config_name)
    categories_file = _text_option(
        plugins.get(_KB_PLUGIN, {}), "categories_file", DEFAULT_CATEGORIES_FILE, config_name
    )
    return ContentSettings(
        docs_dir=docs_dir,
        languages=languages(plugins.get(_I18N_PLUGIN), config_name),
        blog_dir=blog_dir,
        blog_categories=_categories_allowed(blog, config_name),
        categories_file=categories_file.strip("/"),
        authors_file=authors_file.replace("{blog}", blog_dir).strip("/"),
    )


def languages(i18n: dict[str, Any] | None, config_name: str = "mkdocs.yml") -> tuple[str, ...]:
    """Locales of the i18n plugin, the default one first; ``("en",)`` without the plugin."""
    if i18n is None:
        return ("en",)
    items = i18n.get("languages")
    if not isinstance(items, list) or not items:
        raise ProjectError(f"{config_name}: i18n: languages must be a non-empty list")
    locales: list[str] = []
    default: str | None = None
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("locale"), str):
            raise ProjectError(
                f"{config_name}: i18n: languages: each item needs a 'locale', got {item!r}"
            )
        locales.append(item["locale"])
        if item.get("default") is True and default is None:
            default = item["locale"]
    if default is not None:
        locales.remove(default)
        locales.insert(0, default)
    return tuple(dict.fromkeys(locales))


def _categories_allowed(blog: dict[str, Any], config_name: str) -> tuple[str, ...]:
    value = blog.get("categories_allowed") or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProjectError(f"{config_name}: blog: categories_allowed must be a list of names")
    return tuple(value)


def _text_option(options: dict[str, Any], key: str, default: str, config_name: str) -> str:
    value = options.get(key, default)
    if not isinstance(value, str) or not value.strip("/"):
        raise ProjectError(f"{config_name}: {key} must be a path, got {value!r}")
    reason = unsafe_reason(value.replace("{blog}", "blog").strip("/"))
    if reason is not None:
        raise ProjectError(
            f"{config_name}: {key}: '{value}' {reason}\n  hint: name a path inside the docs folder"
        )
    return value


def _optional_str(config: dict[str, Any], key: str, config_name: str) -> str | None:
    value = config.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ProjectError(f"{config_name}: {key} must be text, got {value!r}")
