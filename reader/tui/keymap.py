"""The user's own keys: `keymap.toml` in the config folder maps binding ids to keys."""

from __future__ import annotations

import tomllib
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
