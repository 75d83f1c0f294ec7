# The two commands of the quick start. Each builds .venv (once, or again when pyproject.toml or the
# lock file changes) and then does its whole job. .venv gets the exact versions of requirements/lock.txt,
# the ones the committed reports were built with; the package itself keeps version ranges for users.
# `make lock` re-resolves the lock file from pyproject.toml's ranges in a fresh venv (commit it with the
# reports it changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/lock.txt
LOCK_VENV := .venv-lock

.PHONY: test report validate benchmark lock clean

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

report: $(STAMP)
	$(BIN)/diagstats report

validate: $(STAMP)
	$(BIN)/diagstats validate

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[test]'
	{ echo "# Exact versions of every runtime and test dependency (transitive included) that make test and"; \
	  echo "# make report install; the committed reports were built with them. pyproject.toml keeps ranges."; \
	  echo "# Resolved from pyproject.toml's ranges on Python $$($(LOCK_VENV)/bin/python -c 'import platform; print(platform.python_version())') ($$(uname -s) $$(uname -m)); regenerate with: make lock"; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .hypothesis
