# Everything a fresh machine needs: Python 3.10+, pip and make. Both targets build .venv first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
OUT    ?= results

.PHONY: reproduce test check-reproduce benchmark clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,docs]"
	touch $@

reproduce: $(VENV)/.installed  ## regenerate every figure and table from the bundled articles
	$(VENV)/bin/vnparty reproduce --out $(OUT)

test: $(VENV)/.installed  ## the whole test suite, offline
	$(PY) -m pytest

benchmark: $(VENV)/.installed  ## segmentation quality and speed (prints numbers)
	$(PY) benchmarks/segmentation_f1.py

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache
