"""The wheel carries the bundled articles: install it into a fresh environment and load them
from another directory. Offline: the new environment borrows this one's dependencies."""

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(ROOT)], check=True)
    [path] = out.glob("vnparty-*.whl")
    return path


@pytest.mark.slow
def test_wheel_holds_data_and_resources(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "vnparty/_bundled/metadata.csv" in names
    assert sum(n.startswith("vnparty/_bundled/articles/") and n.endswith(".txt") for n in names) == 5
    assert "vnparty/resources/lexicon.tsv" in names
    assert not any(n.startswith(("tests/", "benchmarks/", "notebooks/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_loads_articles_from_anywhere(wheel, tmp_path):
    env = tmp_path / "env"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    with zipfile.ZipFile(wheel) as archive:  # install = unpack a pure wheel into site-packages
        archive.extractall(site)
    # dependencies come from this environment, after the wheel's own files
    (site / "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = ("import vnparty, pathlib; a = vnparty.load_articles(); "
            "print(len(a), a[1].date, pathlib.Path(vnparty.__file__).parent)")
    run = subprocess.run([str(python), "-c", code], cwd=tmp_path, check=True,
                         capture_output=True, text=True)
    count, date, location = run.stdout.split()
    assert (count, date) == ("5", "None")
    assert Path(location).resolve().is_relative_to(site.resolve())
