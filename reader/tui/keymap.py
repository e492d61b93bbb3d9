"""The user's own keys: `keymap.toml` in the config folder maps binding ids to keys."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path


def keymap_path() -> Path:
    """`~/.config/newsreader/keymap.toml` on Linux (the platform's config folder elsewhere)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("newsreader")) / "keymap.toml"


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """Binding id -> keys from the keymap file, and a problem to tell the user, if any.

    The file holds lines such as `"app.diff" = "ctrl+d"` (ids are listed by `?`). A
    missing file is no problem; an unreadable or malformed one is reported, not fatal.
    """
    path = path or keymap_path()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, f"{path} was not used: {error}"
    table = document.get("keymap", document)
    keymap = {str(key): value for key, value in table.items() if isinstance(value, str)}
    ignored = sorted(str(key) for key, value in table.items() if not isinstance(value, str))
    problem = f"{path}: ignored {', '.join(ignored)} (keys are strings)" if ignored else None
    return keymap, problem


#: Where a binding works (a help section) and its keys, by binding id.
BindingPlaces = dict[str, tuple[str, frozenset[str]]]
#: The section whose bindings work everywhere, so they clash with every other section.
EVERYWHERE = "Everywhere"


def line_of(text: str, binding_id: str) -> int | None:
    """The line (1-based) of the keymap file that sets `binding_id`."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().lstrip("'\"")
        if stripped.startswith(binding_id) and stripped[len(binding_id) :][:1] in "'\" =":
            return number
    return None


def vet_keymap(
    keymap: dict[str, str], normalised: Mapping[str, str], places: BindingPlaces, path: Path
) -> tuple[dict[str, str], list[str]]:
    """The entries of the keymap that can be applied, and a line about each ignored one:
    an id that names no binding, or a key that already belongs to another binding where
    this one works (it would take that key away, or never fire).

    `normalised` holds the same keys in Textual's long form (`question_mark` for `?`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    new_keys = {
        binding_id: frozenset(k.strip() for k in keys.split(","))
        for binding_id, keys in normalised.items()
        if binding_id in places
    }
    taken: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        where = f"{path}, line {line_of(text, binding_id) or '?'}"
        if binding_id not in places:
            problems.append(f"{where}: {binding_id!r} is not a binding id (? lists them); ignored")
            continue
        clash = _clash(binding_id, new_keys, places)
        if clash is not None:
            key, other = clash
            problems.append(
                f"{where}: {keys!r} for {binding_id}: {key!r} is already the key of {other}; "
                "ignored"
            )
            continue
        taken[binding_id] = keys
    return taken, problems


def _clash(
    binding_id: str, new_keys: dict[str, frozenset[str]], places: BindingPlaces
) -> tuple[str, str] | None:
    """A key of `binding_id` that another binding working in the same place keeps."""
    section, own_defaults = places[binding_id]
    added = new_keys[binding_id] - own_defaults  # keys it had already clash by design
    for other, (other_section, defaults) in places.items():
        if other == binding_id:
            continue
        if section != other_section and EVERYWHERE not in (section, other_section):
            continue
        keys_now = new_keys.get(other, defaults)
        for key in sorted(added):
            if key in keys_now:
                return key, other
    return None
