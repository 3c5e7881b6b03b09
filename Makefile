# Two commands do all the set-up on a fresh machine:
#   make demo   install juesuan and run the reference case through every command
#   make test   install everything the tests need (Python and Debian packages) and run them
PYTHON ?= python3
DEBIAN_PACKAGES = libreoffice-calc-nogui libreoffice-writer-nogui python3-uno libjemalloc2 fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei poppler-utils chromium chromium-driver nodejs

.PHONY: demo test install install-test system-packages

install:
	$(PYTHON) -m pip install -q -e .

install-test:
	$(PYTHON) -m pip install -q -e ".[test]"

# LibreOffice (the independent spreadsheet engine and PDF exporter) with its Python UNO bridge (the batch's
# long-lived PDF workers) and jemalloc (LibreOffice's allocator there: ~15 % less CPU per PDF), CJK fonts (the Arphic Ming/Kai and
# WenQuanYi faces print 宋体/仿宋/楷体/黑体 with SimSun's line height and ~10 % less PDF CPU than Noto CJK), poppler, and for the
# service's tests Chromium with its driver (the browser page) and Node (the WPS add-in), when missing.
system-packages:
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null || ! fc-list :lang=zh | grep -q . \
		|| ! fc-list "AR PL UMing CN" | grep -q . || ! fc-list "AR PL UKai CN" | grep -q . || ! fc-list "WenQuanYi Micro Hei" | grep -q . \
		|| ! /usr/bin/python3 -c "import uno" 2>/dev/null || ! ls /usr/lib/*/libjemalloc.so.2 >/dev/null 2>&1 \
		|| ! command -v chromedriver >/dev/null || ! command -v node >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	fi

demo: system-packages install  # LibreOffice too, so the demo writes the PDF (it says so when it cannot)
	juesuan demo -o juesuan-demo

test: system-packages install-test
	$(PYTHON) -m pytest
