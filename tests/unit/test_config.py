"""Configuration: defaults, the written template round-trips, bad values are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from clerk_tui.config import QueueConfig, Settings, load_settings, render_config
from clerk_tui.errors import ClerkError


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.toml")
    assert settings.language == "zh" and settings.queues and settings.config_path == tmp_path / "absent.toml"


def test_rendered_template_round_trips(tmp_path: Path) -> None:
    original = Settings(
        station_id="510199-01", station_name='示例"镇"中心', window_no=7, clerk_no="A9", clerk_name="李雷",
        language="en", queues=(QueueConfig("A", "综合", "General"), QueueConfig("Z", "社保", "Social")),
        database=tmp_path / "x.db",
    )
    path = tmp_path / "c.toml"
    path.write_text(render_config(original), encoding="utf-8")
    loaded = load_settings(path)
    for name in ("station_id", "station_name", "window_no", "clerk_no", "clerk_name", "language", "database"):
        assert getattr(loaded, name) == getattr(original, name), name
    assert [(q.letter, q.name) for q in loaded.queues] == [("A", "综合"), ("Z", "社保")]


@pytest.mark.parametrize(
    "toml, key",
    [
        ("[ui]\nlanguage = 'fr'\n", "config.bad_language"),
        ("[window]\nnumber = 0\n", "config.bad_value"),
        ("[window]\nnumber = true\n", "config.bad_value"),
        ("[[queues]]\nletter = 'ab'\nname = 'x'\n", "config.bad_queue_letter"),
        ("[[queues]]\nletter = 'A'\n[[queues]]\nletter = 'A'\n", "config.duplicate_queue"),
        ("station = 3\n", "config.bad_value"),
        ("[backup]\nkeep = -1\n", "config.bad_value"),
        ("[backup]\nkeep = 'seven'\n", "config.bad_value"),
        ("[station\nid = 1", "config.unreadable"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, toml: str, key: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ClerkError) as caught:
        load_settings(path)
    assert caught.value.key == key


def test_feature_sections_are_kept_for_their_owners(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[board]\nrecent = 5\n", encoding="utf-8")
    assert load_settings(path).section("board") == {"recent": 5}


@pytest.mark.parametrize("text, section, name, suggestion", [
    ("[window]\nnumbr = 3\n", "window", "numbr", "[window] number"),
    ("[board]\nlast_calls = 5\n", "board", "last_calls", "announce_command"),  # no near key: the section's keys
    ("[station]\nlanguage = 'en'\n", "station", "language", "[ui] language"),  # a key in the wrong section
    ("[kiosk]\nshow_second = 5\n", "kiosk", "show_second", "[kiosk] show_seconds"),
    ("[[queues]]\nletter = 'A'\nname = 'x'\nmater = ['1']\n", "queues", "mater", "[queues] matters"),
])
def test_an_unknown_key_is_named_with_file_section_and_the_nearest_key(
        tmp_path: Path, text: str, section: str, name: str, suggestion: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClerkError) as info:
        load_settings(path)
    assert info.value.key == "config.unknown_key"
    assert info.value.params["path"] == str(path)
    assert (info.value.params["section"], info.value.params["name"]) == (section, name)
    assert suggestion in info.value.params["suggestion"]
    assert str(path) in info.value.message() and name in info.value.message()


def test_an_unknown_section_is_named_with_the_nearest_section(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[kisok]\nshow_seconds = 5\n", encoding="utf-8")
    with pytest.raises(ClerkError) as info:
        load_settings(path)
    assert info.value.key == "config.unknown_section" and info.value.params["suggestion"] == "[kiosk]"


def test_the_written_template_uses_only_known_keys(tmp_path: Path) -> None:
    """Every commented-out example in the template, switched on, is a key the program reads."""
    import re

    path = tmp_path / "c.toml"
    text = render_config(Settings())
    text = re.sub(r"^# ([a-z_]+ = .*?)(\s+#.*)?$", r"\1", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    load_settings(path)


def test_a_named_config_that_is_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ClerkError) as info:
        load_settings(tmp_path / "absent.toml", must_exist=True)
    assert info.value.key == "config.missing" and str(tmp_path / "absent.toml") in info.value.message()
