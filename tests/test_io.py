import os

import numpy as np
import pandas as pd
import pytest

from vnparty.io import atomic_write_bytes, atomic_write_text, csv_text, spreadsheet_safe


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_atomic_writes_get_the_mode_open_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        atomic_write_bytes(tmp_path / "a.bin", b"a")
        atomic_write_text(tmp_path / "b.txt", "b")
        atomic_write_text(tmp_path / "b.txt", "b again")  # replacing keeps the rule
        with open(tmp_path / "plain.txt", "w", encoding="utf-8") as stream:
            stream.write("c")
    finally:
        os.umask(old)
    expected = (tmp_path / "plain.txt").stat().st_mode & 0o777
    assert expected == 0o666 & ~umask
    assert (tmp_path / "a.bin").stat().st_mode & 0o777 == expected
    assert (tmp_path / "b.txt").stat().st_mode & 0o777 == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin", "b.txt", "plain.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    atomic_write_text(tmp_path / "a.txt", "old")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(tmp_path / "a.txt", "new")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("cell", ["=1+1", "+33", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                  "=HYPERLINK(\"http://x\")"])
def test_formula_cells_are_quoted(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("value", ["Đảng ủy", "", " =x", "a=b", "'=x", 3, -1.5, None])
def test_other_values_are_unchanged(value):
    assert spreadsheet_safe(value) == value or (value is None and spreadsheet_safe(value) is None)


def test_csv_text_quotes_text_cells_names_and_index_but_not_numbers():
    frame = pd.DataFrame({"title": ["=cmd|' /C calc'!A0", "Hội nghị", "-giá"],
                          "share": [-0.25, 0.5, 0.75], "count": np.array([-1, 2, 3]),
                          "@who": ["@a", "b", None]},
                         index=pd.Index(["+84", "x", "y"], name="=id"))
    lines = csv_text(frame, index=True).splitlines()
    assert lines[0] == "'=id,title,share,count,'@who"
    assert lines[1] == "'+84,'=cmd|' /C calc'!A0,-0.25,-1,'@a"
    assert lines[2:] == ["x,Hội nghị,0.5,2,b", "y,'-giá,0.75,3,"]
    plain = csv_text(frame).splitlines()
    assert plain[1] == "'=cmd|' /C calc'!A0,-0.25,-1,'@a"
    assert frame.loc["+84", "title"].startswith("=")  # the frame itself is not changed
    assert csv_text(frame, float_format="%.1f").splitlines()[1].endswith(",-0.2,-1,'@a")
