"""File discovery on real trees: excludes, .gitignore files, symlinks, order and duplicates."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from migrator.discover import Candidate, discover

DEFAULTS = ("build", ".venv", "node_modules")


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def found(
    root: Path, paths: Sequence[str] = (".",), excludes: Sequence[str] = DEFAULTS
) -> list[str]:
    """The walked files as posix strings relative to ``root``, in the order returned."""
    candidates = discover([root / p for p in paths], excludes)
    return [c.path.relative_to(root).as_posix() for c in candidates if c.usable]


def odd(root: Path, paths: Sequence[str] = (".",)) -> dict[str, str | None]:
    """The paths discovery cannot use, with the problem (or the skip note) it gives."""
    return {
        c.path.relative_to(root).as_posix(): c.problem or c.skip
        for c in discover([root / p for p in paths], DEFAULTS)
        if not c.usable
    }


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_like_excludes_prune_at_any_depth(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "app.py",
        "build/gen.py",
        ".venv/lib/site.py",
        "node_modules/pkg/x.py",
        "src/build/deep.py",
        "src/builder.py",
        "src/mod.py",
    )
    assert found(tmp_path) == ["app.py", "src/builder.py", "src/mod.py"]


def test_exclude_without_slash_matches_a_file_at_any_depth(tmp_path: Path) -> None:
    touch(tmp_path, "settings.py", "pkg/settings.py", "pkg/settings_test.py")
    assert found(tmp_path, excludes=["settings.py"]) == ["pkg/settings_test.py"]


def test_custom_exclude_pattern(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "test_a.py", "pkg/test_b.py", "pkg/b.py")
    assert found(tmp_path, excludes=["test_*.py"]) == ["a.py", "pkg/b.py"]


def test_extend_style_multiple_patterns(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "build/b.py", "migrations/0001.py", "pkg/c.py", "pkg/legacy.py")
    excludes = (*DEFAULTS, "migrations/", "pkg/legacy.py")
    assert found(tmp_path, excludes=excludes) == ["a.py", "pkg/c.py"]


def test_empty_excludes_walk_everything(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "build/b.py")
    assert found(tmp_path, excludes=()) == ["a.py", "build/b.py"]


def test_excludes_are_relative_to_the_walked_folder(tmp_path: Path) -> None:
    touch(tmp_path, "proj/src/a.py", "proj/src/gen/b.py", "proj/gen/c.py")
    # ``/gen`` is anchored at the walked folder ``proj``, so ``src/gen`` stays.
    assert found(tmp_path, ["proj"], excludes=["/gen"]) == ["proj/src/a.py", "proj/src/gen/b.py"]


def test_nested_gitignore_with_negation(tmp_path: Path) -> None:
    touch(tmp_path, "gen_top.py", "sub/gen_a.py", "sub/gen_keep.py", "sub/mod.py")
    write(tmp_path / ".gitignore", "gen_*.py\n")
    write(tmp_path / "sub/.gitignore", "!gen_keep.py\n")
    assert found(tmp_path) == ["sub/gen_keep.py", "sub/mod.py"]


def test_nested_gitignore_applies_only_below_its_folder(tmp_path: Path) -> None:
    touch(tmp_path, "local.py", "sub/local.py", "sub/deeper/local.py", "other/local.py")
    write(tmp_path / "sub/.gitignore", "local.py\n")
    assert found(tmp_path) == ["local.py", "other/local.py"]


def test_root_gitignore_anchored_pattern(tmp_path: Path) -> None:
    touch(tmp_path, "config.py", "pkg/config.py", "pkg/a.py")
    write(tmp_path / ".gitignore", "/config.py\n")
    assert found(tmp_path) == ["pkg/a.py", "pkg/config.py"]


def test_anchored_pattern_in_nested_gitignore_is_relative_to_it(tmp_path: Path) -> None:
    touch(tmp_path, "out/a.py", "pkg/out/b.py", "pkg/sub/out/c.py")
    write(tmp_path / "pkg/.gitignore", "/out\n")
    assert found(tmp_path) == ["out/a.py", "pkg/sub/out/c.py"]


def test_dir_only_pattern(tmp_path: Path) -> None:
    # ``cache/`` ignores folders named cache at any depth; ``cache.py`` is another name.
    touch(tmp_path, "cache/a.py", "pkg/cache/b.py", "pkg/cache.py")
    write(tmp_path / ".gitignore", "cache/\n")
    assert found(tmp_path) == ["pkg/cache.py"]


def test_dir_only_pattern_does_not_match_a_file(tmp_path: Path) -> None:
    touch(tmp_path, "gen.py", "sub/gen.py/inner.py")
    write(tmp_path / ".gitignore", "gen.py/\n")
    assert found(tmp_path) == ["gen.py"]


def test_ignored_folder_cannot_be_reincluded_from_below(tmp_path: Path) -> None:
    # Git's rule: a file in an ignored folder cannot be re-included; the folder is pruned.
    touch(tmp_path, "vendor/keep.py", "vendor/drop.py", "a.py")
    write(tmp_path / ".gitignore", "vendor/\n!vendor/keep.py\n")
    assert found(tmp_path) == ["a.py"]


def test_gitignore_of_a_parent_inside_a_git_repo(tmp_path: Path) -> None:
    (tmp_path / "repo/.git").mkdir(parents=True)
    write(tmp_path / "repo/.gitignore", "*.gen.py\n/src/private/\n")
    touch(tmp_path / "repo", "src/a.py", "src/b.gen.py", "src/private/p.py", "src/pkg/private/q.py")
    assert found(tmp_path, ["repo/src"]) == ["repo/src/a.py", "repo/src/pkg/private/q.py"]


def test_parent_gitignore_outside_the_repo_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "*.py\n")  # above the repository: not ours
    (tmp_path / "repo/.git").mkdir(parents=True)
    touch(tmp_path / "repo", "src/a.py")
    assert found(tmp_path, ["repo/src"]) == ["repo/src/a.py"]


def test_parent_gitignore_is_not_read_outside_any_repo(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "*.py\n")
    touch(tmp_path, "proj/a.py")
    assert found(tmp_path, ["proj"]) == ["proj/a.py"]


def test_nearer_parent_gitignore_takes_precedence(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".gitignore", "gen_*.py\n")
    write(tmp_path / "pkg/.gitignore", "!gen_keep.py\n")
    touch(tmp_path, "pkg/sub/gen_keep.py", "pkg/sub/gen_drop.py", "pkg/sub/m.py")
    assert found(tmp_path, ["pkg/sub"]) == ["pkg/sub/gen_keep.py", "pkg/sub/m.py"]


def test_named_folder_is_walked_even_when_git_ignores_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".gitignore", "generated/\n*.tmp.py\n")
    touch(tmp_path, "generated/a.py", "generated/b.tmp.py", "generated/sub/c.py")
    assert found(tmp_path, ["generated"]) == ["generated/a.py", "generated/sub/c.py"]
    assert found(tmp_path) == []  # but a walk of the repository prunes it


def test_git_info_exclude_of_the_walked_root(tmp_path: Path) -> None:
    write(tmp_path / ".git/info/exclude", "scratch_*.py\n")
    touch(tmp_path, "scratch_1.py", "pkg/scratch_2.py", "pkg/a.py")
    assert found(tmp_path) == ["pkg/a.py"]
    # The repository's info/exclude also applies to a walk of a folder inside it.
    assert found(tmp_path, ["pkg"]) == ["pkg/a.py"]


def test_gitignore_overrides_info_exclude(tmp_path: Path) -> None:
    write(tmp_path / ".git/info/exclude", "*.local.py\n")
    write(tmp_path / ".gitignore", "!keep.local.py\n")
    touch(tmp_path, "keep.local.py", "drop.local.py")
    assert found(tmp_path) == ["keep.local.py"]


def test_git_folder_is_never_walked(tmp_path: Path) -> None:
    touch(tmp_path, ".git/hooks/hook.py", "a.py")
    assert found(tmp_path, excludes=()) == ["a.py"]


def test_explicit_file_is_returned_whatever_excludes_and_gitignore_say(in_tmp: Path) -> None:
    touch(in_tmp, "build/gen.py", "ignored.py", "notes.txt")
    write(in_tmp / ".gitignore", "ignored.py\n")
    names = [Path("build/gen.py"), Path("ignored.py"), Path("notes.txt")]
    assert discover(names, DEFAULTS) == [
        Candidate(Path("build/gen.py"), explicit=True),
        Candidate(Path("ignored.py"), explicit=True),
        Candidate(Path("notes.txt"), explicit=True),
    ]


def test_paths_stay_as_the_user_gave_them(in_tmp: Path) -> None:
    touch(in_tmp, "a.py", "pkg/b.py")
    assert discover([Path(".")], DEFAULTS) == [
        Candidate(Path("a.py"), explicit=False),
        Candidate(Path("pkg/b.py"), explicit=False),
    ]
    assert discover([Path("pkg")], DEFAULTS) == [Candidate(Path("pkg/b.py"), explicit=False)]
    absolute = discover([in_tmp / "pkg"], DEFAULTS)
    assert absolute == [Candidate(in_tmp / "pkg/b.py", explicit=False)]


def test_missing_path_is_a_problem_of_its_own(in_tmp: Path) -> None:
    touch(in_tmp, "a.py", "b.py")
    assert discover([Path("a.py"), Path("nope.py"), Path("b.py")], DEFAULTS) == [
        Candidate(Path("a.py"), explicit=True),
        Candidate(Path("nope.py"), explicit=True, problem="no such file or directory"),
        Candidate(Path("b.py"), explicit=True),
    ]


def test_named_broken_symlink_and_loop(in_tmp: Path) -> None:
    (in_tmp / "dangling.py").symlink_to(in_tmp / "gone.py")
    (in_tmp / "loop.py").symlink_to(in_tmp / "loop.py")
    assert discover([Path("dangling.py"), Path("loop.py")], DEFAULTS) == [
        Candidate(Path("dangling.py"), explicit=True, problem="broken symbolic link"),
        Candidate(Path("loop.py"), explicit=True, problem="symbolic link loop"),
    ]


def test_named_symlink_is_followed_only_inside_its_folder(in_tmp: Path) -> None:
    touch(in_tmp, "src/real.py", "elsewhere/x.py")
    (in_tmp / "src/inside.py").symlink_to(in_tmp / "src/real.py")
    (in_tmp / "src/out.py").symlink_to(Path("..", "elsewhere", "x.py"))
    assert discover([Path("src/inside.py"), Path("src/out.py")], DEFAULTS) == [
        Candidate(Path("src/inside.py"), explicit=True),
        Candidate(
            Path("src/out.py"),
            explicit=True,
            skip="symbolic link leading out of its tree; not followed",
        ),
    ]


def test_named_special_file_is_a_problem(in_tmp: Path) -> None:
    os.mkfifo(in_tmp / "pipe.py")
    assert discover([Path("pipe.py")], DEFAULTS) == [
        Candidate(Path("pipe.py"), explicit=True, problem="not a regular file")
    ]


def test_directory_symlink_is_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "tree/real/a.py", "elsewhere/b.py")
    (tmp_path / "tree/linked").symlink_to(tmp_path / "tree/real", target_is_directory=True)
    (tmp_path / "tree/out").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert found(tmp_path, ["tree"]) == ["tree/real/a.py"]


def test_named_directory_symlink_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.py")
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real/inner.py").symlink_to(tmp_path / "real/a.py")
    # Links are judged against the real folder, so ``inner.py`` stays inside the tree, and
    # is another name for ``a.py``: that file is migrated once, under its own name.
    assert found(tmp_path, ["alias"]) == ["alias/a.py"]
    note = "a symbolic link to {}/alias/a.py, which is migrated under that name"
    assert odd(tmp_path, ["alias"]) == {"alias/inner.py": note.format(tmp_path.as_posix())}


def test_file_symlink_inside_the_tree_is_kept(tmp_path: Path) -> None:
    touch(tmp_path, "tree/a.py")
    (tmp_path / "tree/b.py").symlink_to(tmp_path / "tree/a.py")
    (tmp_path / "tree/c.py").symlink_to(tmp_path / "tree/other.txt")
    (tmp_path / "tree/other.txt").touch()
    # b.py is another name for a.py, migrated under its own name; c.py is the only one.
    assert found(tmp_path, ["tree"]) == ["tree/a.py", "tree/c.py"]
    target = (tmp_path / "tree/a.py").as_posix()
    note = f"a symbolic link to {target}, which is migrated under that name"
    assert odd(tmp_path, ["tree"]) == {"tree/b.py": note}


def test_symlink_to_a_file_outside_the_tree_is_skipped(tmp_path: Path) -> None:
    touch(tmp_path, "tree/a.py", "outside/secret.py")
    (tmp_path / "tree/link.py").symlink_to(tmp_path / "outside/secret.py")
    (tmp_path / "tree/rel.py").symlink_to(Path("..", "outside", "secret.py"))
    assert found(tmp_path, ["tree"]) == ["tree/a.py"]
    note = "symbolic link leading out of its tree; not followed"
    assert odd(tmp_path, ["tree"]) == {"tree/link.py": note, "tree/rel.py": note}


def test_broken_symlink_and_loop_are_problems(tmp_path: Path) -> None:
    touch(tmp_path, "tree/a.py", "tree/z.py")
    (tmp_path / "tree/broken.py").symlink_to(tmp_path / "tree/missing.py")
    (tmp_path / "tree/loop.py").symlink_to(tmp_path / "tree/loop.py")
    (tmp_path / "tree/pkg").symlink_to(tmp_path / "tree", target_is_directory=True)
    assert [c.path.name for c in discover([tmp_path / "tree"], DEFAULTS)] == [
        "a.py",
        "broken.py",
        "loop.py",
        "z.py",
    ]
    assert odd(tmp_path, ["tree"]) == {
        "tree/broken.py": "broken symbolic link",
        "tree/loop.py": "symbolic link loop",
    }


def test_suffixes(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "b.pyi", "c.txt", "d.pyc", "e.py.bak", "Makefile")
    (tmp_path / "dir.py").mkdir()  # a folder with a .py name is walked, not returned
    touch(tmp_path, "dir.py/f.py")
    assert found(tmp_path) == ["a.py", "b.pyi", "dir.py/f.py"]
    only_stubs = discover([tmp_path], DEFAULTS, suffixes=(".pyi",))
    assert [c.path.name for c in only_stubs] == ["b.pyi"]


def test_special_files_are_skipped(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    touch(tmp_path, "a.py")
    os.mkfifo(tmp_path / "pipe.py")  # reading it would hang the run
    assert found(tmp_path) == ["a.py"]


def test_named_file_and_walk_are_deduplicated(in_tmp: Path) -> None:
    touch(in_tmp, "src/a.py", "src/b.py")
    expected = [
        Candidate(Path("src/a.py"), explicit=False),
        Candidate(Path("src/b.py"), explicit=True),
    ]
    # Walk first, then the name: the walk's position, upgraded to explicit.
    assert discover([Path("src"), Path("src/b.py")], DEFAULTS) == expected
    # The name spelled differently is still the same file.
    assert discover([Path("src"), Path("./src/b.py")], DEFAULTS) == expected
    assert discover([Path("src"), in_tmp / "src/b.py"], DEFAULTS) == expected


def test_named_file_first_then_walk(in_tmp: Path) -> None:
    touch(in_tmp, "src/a.py", "src/b.py")
    assert discover([Path("src/b.py"), Path("src"), Path("src/b.py")], DEFAULTS) == [
        Candidate(Path("src/b.py"), explicit=True),
        Candidate(Path("src/a.py"), explicit=False),
    ]


def test_overlapping_walks_are_deduplicated(in_tmp: Path) -> None:
    touch(in_tmp, "a.py", "pkg/b.py")
    assert discover([Path("pkg"), Path(".")], DEFAULTS) == [
        Candidate(Path("pkg/b.py"), explicit=False),
        Candidate(Path("a.py"), explicit=False),
    ]


def test_stable_sorted_order(tmp_path: Path) -> None:
    # Created in a scrambled order; ``a-b.py`` < ``a/`` < ``a0.py`` < ``b.py`` as strings.
    touch(tmp_path, "b.py", "a0.py", "a/z.py", "a/b/c.py", "a-b.py", "A.py", "a/a.py")
    expected = ["A.py", "a-b.py", "a/a.py", "a/b/c.py", "a/z.py", "a0.py", "b.py"]
    assert found(tmp_path) == expected
    assert found(tmp_path) == expected  # and again, the same


def test_explicit_files_keep_the_order_given(in_tmp: Path) -> None:
    touch(in_tmp, "a.py", "b.py", "c.py")
    names = [Path("c.py"), Path("a.py"), Path("b.py")]
    assert [c.path for c in discover(names, DEFAULTS)] == names


def test_unreadable_folder_is_an_error(tmp_path: Path) -> None:
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("needs a non-root POSIX user for permissions to bite")
    touch(tmp_path, "a.py", "locked/b.py")
    (tmp_path / "locked").chmod(0o000)
    try:
        assert found(tmp_path) == ["a.py"]
        assert odd(tmp_path) == {"locked": "cannot read directory: Permission denied"}
        assert found(tmp_path, excludes=["locked"]) == ["a.py"]
    finally:
        (tmp_path / "locked").chmod(0o755)
