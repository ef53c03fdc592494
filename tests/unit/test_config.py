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
        station_id="510199-01",
        station_name='示例"镇"中心',
        window_no=7,
        clerk_no="A9",
        clerk_name="李雷",
        language="en",
        queues=(QueueConfig("A", "综合", "General"), QueueConfig("Z", "社保", "Social")),
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


@pytest.mark.parametrize(
    "text, section, name, suggestion",
    [
        ("[window]\nnumbr = 3\n", "window", "numbr", "[window] number"),
        ("[board]\nlast_calls = 5\n", "board", "last_calls", "announce_command"),  # no near key: the section's keys
        ("[station]\nlanguage = 'en'\n", "station", "language", "[ui] language"),  # a key in the wrong section
        ("[kiosk]\nshow_second = 5\n", "kiosk", "show_second", "[kiosk] show_seconds"),
        ("[[queues]]\nletter = 'A'\nname = 'x'\nmater = ['1']\n", "queues", "mater", "[queues] matters"),
    ],
)
def test_an_unknown_key_is_named_with_file_section_and_the_nearest_key(
    tmp_path: Path, text: str, section: str, name: str, suggestion: str
) -> None:
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


# --- the declarations: one per key, the source of the loader, the file and the README -------


def _declared_keys():  # type: ignore[no-untyped-def]
    from clerk_tui.config import SECTIONS

    return [(section, spec) for section in SECTIONS for spec in section.keys]


def test_the_readme_table_is_the_declared_keys() -> None:
    """The README's configuration table is made from the declarations; a key added, removed or
    changed without `python -m clerk_tui.config --readme README.md` fails here."""
    from clerk_tui.config.write import readme_with_table

    readme = Path(__file__).resolve().parents[2] / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert readme_with_table(text) == text, "run: python -m clerk_tui.config --readme README.md"


def test_every_key_has_a_comment_and_a_default_its_own_checks_accept() -> None:
    from clerk_tui.config.keys import UNSET, read_value

    for _, spec in _declared_keys():
        assert spec.comment, spec.where
        for value in (spec.default, spec.example):
            if value is not UNSET:
                read_value(spec, list(value) if isinstance(value, tuple) else value, spec.where)


def test_known_keys_are_the_declared_ones() -> None:
    from clerk_tui.config import known_keys

    declared: dict[str, set[str]] = {}
    for section, spec in _declared_keys():
        declared.setdefault(section.name, set()).add(spec.name)
    assert known_keys() == declared


def test_the_declared_ranges_and_choices_are_what_the_loader_refuses(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    checked = 0
    for section, spec in _declared_keys():
        if section.name == "queues":
            continue
        bad = []
        if spec.kind is int and spec.low is not None:
            bad.append(int(spec.low) - 1)
        if spec.kind is int and spec.high is not None:
            bad.append(int(spec.high) + 1)
        if spec.choices and spec.name != "language":  # a language has its own message (config.bad_language)
            bad.append("none-of-these")
        for value in bad:
            path.write_text(f"[{section.name}]\n{spec.name} = {value!r}\n".replace("'", '"'), encoding="utf-8")
            with pytest.raises(ClerkError) as info:
                load_settings(path)
            assert info.value.key == "config.bad_value" and info.value.params["where"] == spec.where, value
            checked += 1
    assert checked > 20


def test_feature_sections_are_read_once_when_the_settings_are_made() -> None:
    """`extra` is read into typed attributes when the settings are made (and again by `replace`),
    not on every access: the queue list asks for the policy once per row."""
    from dataclasses import replace

    settings = Settings(
        extra={"queue": {"priority_streak": 0}, "board": {"poll_seconds": 1}, "sync": {"folder": "~/x"}}
    )
    assert settings.queue_policy is settings.queue_policy and settings.queue_policy.priority_streak == 0
    assert settings.board.poll_seconds == 1.0 and isinstance(settings.board.poll_seconds, float)
    assert settings.sync_folder == Path("~/x").expanduser()
    changed = replace(settings, extra={"lock": {"idle_minutes": 0}})
    assert changed.lock_idle_minutes == 0 and changed.queue_policy.priority_streak == 3
    with pytest.raises(ClerkError) as info:
        replace(settings, extra={"notice": {"width": 8}})
    assert info.value.params["where"] == "notice.width"


def test_the_markdown_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    from clerk_tui.config import markdown_table
    from clerk_tui.config.__main__ import main

    assert main(["--markdown"]) == 0
    out = capsys.readouterr().out
    assert out == markdown_table() and "| `[notice] width` | `32` | `24..160` |" in out
