# KneeCheck: `make run` opens the app, `make test` runs every check. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian 12 packages: python3-venv to build the venv, the libraries Qt's xcb platform plugin loads,
# and the GL/EGL, font and D-Bus libraries QtGui links against (needed offscreen too); cups-client
# (lp, lpstat, cancel, libcups2) prints the summary and reads back whether the printer took it.
DEBIAN_PACKAGES := python3-venv libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libdbus-1-3 \
	libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0 libwayland-cursor0 \
	libglib2.0-0 cups-client
# What the tests need beyond that: poppler's pdffonts, pdfinfo, pdfdetach and pdftoppm read the summaries back;
# Xvfb and openbox give the real window an X server and a window manager (focus, activation); a private
# cupsd with the cups-pdf queue takes real print jobs; dbus, at-spi2-core and Debian's python3-pyatspi
# (run by /usr/bin/python3, outside the venv) read the window's accessible tree.
TEST_DEBIAN_PACKAGES := poppler-utils xvfb openbox cups cups-client cups-bsd printer-driver-cups-pdf \
	dbus dbus-daemon at-spi2-core python3-pyatspi python3-gi

# What `make package` needs to build and check the Debian package: binutils (PyInstaller reads the
# binaries; strip, as and ld tidy them and make the smaller ICU data library), patchelf (takes the
# build machine's RUNPATH out), librsvg2-bin (renders the icon's PNG sizes), the three validators
# (desktop-file-utils, appstream, lintian), and libwayland-egl1, which the bundle's Wayland plugin
# links: packaging/build_deb.py finds the Debian package of each such library where it builds.
# The tests need them too (tests/test_frozen_build.py builds and installs the package), and what the
# package depends on beyond the libraries found from its binaries (packaging/debian/depends.txt).
PACKAGE_DEBIAN_PACKAGES := binutils patchelf librsvg2-bin desktop-file-utils appstream lintian libwayland-egl1 \
	$(shell grep -v '^\#' packaging/debian/depends.txt)

.PHONY: run test check lint typecheck layers pytest system-deps test-system-deps package-system-deps install-debian venv translations package bench screenshots verapdf clean

run: venv translations
	$(BIN)/python main.py

test: check pytest

check: lint typecheck layers

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy

layers: venv
	$(BIN)/lint-imports

pytest: venv translations test-system-deps package-system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

venv: system-deps $(STAMP)

# Installs the missing Debian packages when run as root (or with sudo); otherwise names them.
system-deps:
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(DEBIAN_PACKAGES)"

test-system-deps:
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(TEST_DEBIAN_PACKAGES)"

package-system-deps:
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(PACKAGE_DEBIAN_PACKAGES)"

install-debian:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ] && command -v dpkg-query >/dev/null; then \
		echo "Installing the Debian packages KneeCheck needs: $$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing \
		|| { echo "Could not install: $$missing. Install them with apt-get and run make again." >&2; exit 1; }; \
	fi

# The window's .qm (pyside6-lrelease) and the rule sets' and summary's .mo (Babel), built from the
# .ts and .po sources in resources/; never committed. README, Languages.
translations: venv
	$(BIN)/python -m tools.translations build

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

# The clinic's package: a PyInstaller one-folder bundle (packaging/kneecheck.spec) of the venv built
# from the hashed lock file, then dist/kneecheck_<version>_<arch>.deb from it, checked with
# desktop-file-validate, appstreamcli and lintian (packaging/build_deb.py). The built translations
# (make translations) go into the bundle with resources/.
package: venv translations package-system-deps
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist/pyinstaller --workpath build/pyinstaller \
		packaging/kneecheck.spec
	$(BIN)/python packaging/build_deb.py --bundle dist/pyinstaller/kneecheck --out dist

bench: venv translations
	$(BIN)/python -m bench

# The window at 1024x768, 1280x720, 1366x768 and 1920x1080 (Xvfb + openbox) into docs/screenshots/.
screenshots: venv translations test-system-deps
	$(BIN)/python -m tests.screenshots docs/screenshots

# veraPDF (the PDF/A reference validator) over the test summaries: it is not in Debian, PyPI or npm,
# so this runs only where someone installed it; `make test` checks PDF/A with pikepdf and poppler.
verapdf:
	@if ! command -v verapdf >/dev/null 2>&1; then \
		echo "veraPDF is not installed (it is not in Debian, PyPI or npm): nothing checked"; exit 0; fi; \
	$(MAKE) --no-print-directory venv && \
	dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.test_pdfa "$$dir" >/dev/null && \
	verapdf --flavour 3b --format text "$$dir"/*.pdf | tee "$$dir/report.txt" && \
	! grep -q '^FAIL' "$$dir/report.txt" && grep -q '^PASS' "$$dir/report.txt"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
