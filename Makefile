# Thin task runner. `make demo` and `make test` do all the set-up (scripts/setup.sh) on a fresh Debian 12,
# Debian 13 or Debian testing machine (root or sudo).
PY := .venv/bin/python
PLUGIN := carbon_sink_diagnostics
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
DIST := dist
SUITE := trixie
export QT_QPA_PLATFORM := offscreen

.PHONY: setup translations qm test test-core test-algorithms test-e2e test-root test-distro cluster test-cluster bench-cluster versions demo bench lint package deploy clean

setup:
	@./scripts/setup.sh

# The Chinese interface (i18n/, README: Language). `translations` extracts the texts of the sources into
# i18n/*.ts (translations kept, new texts unfinished), builds the .qm and prints the untranslated count
# (test/test_i18n_catalogue.py fails while it is not 0); `qm` only builds the .qm from the committed .ts.
translations: setup
	$(PY) scripts/update_translations.py

qm:
	@python3 scripts/update_translations.py --qm

test: setup qm
	.venv/bin/ruff check .
	$(PY) -m pytest -q  # test/ and the doctests of core/ (pyproject.toml)

test-core: setup
	$(PY) -m pytest test/core core -q

test-algorithms: setup
	$(PY) -m pytest test/algorithms -q

test-e2e: setup
	$(PY) -m pytest test/e2e -q

# The Random Forest and model-file tests with the distribution's own scipy and scikit-learn: a second venv
# without esda/libpysal (whose newest releases need a newer scikit-learn than some distributions ship).
test-distro:
	@CSD_VENV=.venv-distro CSD_REQUIREMENTS=requirements-test-distro.txt ./scripts/setup.sh
	.venv-distro/bin/python -m pytest -q test/core/carbon/test_forest.py test/core/carbon/test_forest_versions.py \
		test/algorithms/test_random_forest.py test/algorithms/test_compat.py

# The optional Dask cluster extra (requirements-cluster.txt) in .venv, numpy kept; its tests, its benchmark.
cluster:
	@CSD_CLUSTER=1 ./scripts/setup.sh

test-cluster: cluster
	$(PY) -m pytest -q test/core/distributed test/algorithms/test_distributed_equal.py

bench-cluster: cluster
	$(PY) bench/bench_dask.py

# The whole suite in a Debian root made with debootstrap (as CI does; root only): SUITE=trixie (QGIS
# 3.40, default), SUITE=testing, SUITE=bookworm (a fresh Debian 12).
test-root:
	./scripts/debian_root.sh $(SUITE) make test

versions: setup
	@mkdir -p build && $(PY) scripts/versions.py | tee build/versions.txt

demo: setup
	@./scripts/demo.sh

bench: setup
	$(PY) bench/bench_trend_kernel.py
	$(PY) bench/bench_trend.py
	$(PY) bench/bench_qgis_process.py
	$(PY) bench/bench_predict.py
	$(PY) bench/bench_lisa.py

lint: setup
	.venv/bin/ruff check .

# The zip of HEAD (.gitattributes leaves out what QGIS does not need), checked as the official plugin
# repository checks uploads (scripts/check_package.py); refused, and removed, when a check fails. While
# metadata.txt's tracker/repository/homepage are placeholders (README: Publishing), only LOCAL=1 builds it:
# a zip for Install from ZIP on one's own machine, not for the plugin repository.
package: qm
	@mkdir -p $(DIST)
	git archive --format=zip --prefix=$(PLUGIN)/ -o $(DIST)/$(PLUGIN)-$(VERSION).zip HEAD
	@python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "a"); [z.write(f, "$(PLUGIN)/" + f) for f in sys.argv[2:]]; z.close()' \
		$(DIST)/$(PLUGIN)-$(VERSION).zip i18n/*.qm  # built, never committed
	@python3 scripts/check_package.py $(if $(LOCAL),--local) $(DIST)/$(PLUGIN)-$(VERSION).zip || \
		{ rm -f $(DIST)/$(PLUGIN)-$(VERSION).zip; exit 1; }
	@echo "$(DIST)/$(PLUGIN)-$(VERSION).zip: install it with Plugins ▸ Manage and Install Plugins ▸ Install from ZIP"

deploy:
	@dest="$${QGIS_PROFILE_DIR:-$$HOME/.local/share/QGIS/QGIS3/profiles/default}/python/plugins"; \
	mkdir -p "$$dest" && ln -sfn "$(CURDIR)" "$$dest/$(PLUGIN)" && \
	echo "linked $(CURDIR) -> $$dest/$(PLUGIN); enable it in Plugins ▸ Manage and Install Plugins"

clean:
	rm -rf build dist demo_output .pytest_cache
