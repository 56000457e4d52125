# Thin task runner. `make demo` and `make test` do all the set-up on a fresh Debian 12 machine.
PY := .venv/bin/python
PLUGIN := carbon_sink_diagnostics
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
export QT_QPA_PLATFORM := offscreen

.PHONY: setup test test-core test-algorithms test-e2e demo bench lint package deploy clean

setup:
	@./scripts/setup.sh

test: setup
	.venv/bin/ruff check .
	$(PY) -m pytest -q  # test/ and the doctests of core/ (pyproject.toml)

test-core: setup
	$(PY) -m pytest test/core core -q

test-algorithms: setup
	$(PY) -m pytest test/algorithms -q

test-e2e: setup
	$(PY) -m pytest test/e2e -q

demo: setup
	@./scripts/demo.sh

bench: setup
	$(PY) bench/bench_trend_kernel.py
	$(PY) bench/bench_trend.py
	$(PY) bench/bench_predict.py
	$(PY) bench/bench_lisa.py

lint: setup
	.venv/bin/ruff check .

package:
	@mkdir -p dist
	git archive --format=zip --prefix=$(PLUGIN)/ -o dist/$(PLUGIN)-$(VERSION).zip HEAD
	@echo "dist/$(PLUGIN)-$(VERSION).zip: install it with Plugins ▸ Manage and Install Plugins ▸ Install from ZIP"

deploy:
	@dest="$${QGIS_PROFILE_DIR:-$$HOME/.local/share/QGIS/QGIS3/profiles/default}/python/plugins"; \
	mkdir -p "$$dest" && ln -sfn "$(CURDIR)" "$$dest/$(PLUGIN)" && \
	echo "linked $(CURDIR) -> $$dest/$(PLUGIN); enable it in Plugins ▸ Manage and Install Plugins"

clean:
	rm -rf build dist demo_output .pytest_cache
