# 就业援助 jyyz — set-up and run targets. Everything a fresh machine needs is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint format system-deps bench clean bench-regress

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# LibreOffice (Writer for documents, Calc to open workbooks), CJK fonts and pdftotext:
# used to render documents to PDF (tests, --pdf) and to check marked workbooks open.
# Chromium and its driver: the browser tests of the local service's page (jyyz serve).
SYSTEM_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming poppler-utils chromium chromium-driver

system-deps:
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "安装 LibreOffice、中文字体与 poppler-utils ……"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "提示：未找到 LibreOffice/中文字体，且无法自动安装；PDF 相关测试将跳过。"; \
	  fi; \
	fi

demo: $(STAMP)
	$(VENV)/bin/jyyz demo -o demo_output

test: $(STAMP) system-deps
	$(PY) -m ruff check calc xl_addin doc_templates workbooks tests bench
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check calc xl_addin doc_templates workbooks tests bench
	$(PY) -m ruff format --check calc xl_addin doc_templates workbooks tests bench

format: $(STAMP)
	$(PY) -m ruff format calc xl_addin doc_templates workbooks tests bench

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) demo_output build *.egg-info

# A previous commit (REV=…, default d7e03b2) beside this tree on the same ledger: CPU per phase.
REV ?= d7e03b2
ROWS ?= 100000
bench-regress: $(STAMP)
	$(PY) bench/bench_regress.py --rev $(REV) --rows $(ROWS)
