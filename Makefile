# Every target installs the project first: on a fresh machine `make demo` and `make test` are the whole set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SESSION ?= IV-2020
REUNION ?= RT-2020-11-24
REGISTROS ?= records

.PHONY: install sistema pagina-firma test espacio lint fix validar acta convocatoria orden minuta publicar demo bench mutacion clean

# Debian packages the documents need: poppler-utils (pdftotext, pdffonts, pdftoppm, pdfsig, which also signs, as a
# member may), the NSS tools (certutil, pk12util: the certificate database pdfsig signs from), the Liberation
# fonts embedded in the PDFs, LibreOffice Writer (DOCX checks and the benchmark reference), SoftHSM2 (the
# PKCS#11 token of the signature tests), Chromium (browser tests, driven by Playwright: no browser download) and
# Node.js with npm (builds the signing page's script). apt-get runs only when something is missing (as root on CI;
# elsewhere through sudo); an npm already installed (e.g. NodeSource's Node, which brings its own) is kept.
SYSTEM_PACKAGES := poppler-utils libnss3-tools fonts-liberation2 libharfbuzz-subset0 libreoffice-writer-nogui softhsm2 chromium
NODE_PACKAGES := nodejs npm
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

sistema:
	@if ! command -v pdftotext >/dev/null || ! command -v soffice >/dev/null || ! fc-list | grep -q "Liberation Serif" \
		|| ! ldconfig -p | grep -q libharfbuzz-subset || ! command -v softhsm2-util >/dev/null \
		|| ! command -v chromium >/dev/null || ! command -v pk12util >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); \
	fi
	@if ! command -v npm >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(NODE_PACKAGES); \
	fi

install: $(STAMP) sistema

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The signing page's script (templates/site/firmar/firmar.js, committed so that an installed stl publishes it
# without Node): node-forge and esbuild as package-lock.json pins them, rebuilt when its sources change. axe-core
# (also pinned) is what the page's accessibility test injects.
FIRMA_JS := templates/site/firmar/firmar.js
FIRMA_NPM := firmar/node_modules/.package-lock.json

$(FIRMA_NPM): firmar/package.json firmar/package-lock.json
	cd firmar && npm ci --no-audit --no-fund --loglevel=error
	touch $(FIRMA_NPM)

$(FIRMA_JS): $(FIRMA_NPM) $(wildcard firmar/src/*.js)
	cd firmar && npm run --silent build

pagina-firma: sistema $(FIRMA_JS)

test: install pagina-firma
	$(BIN)/python -m pytest

# The user's commands in any order (tests/test_espacio.py), explored much further than in `make test`; and the
# space of sessions (tests/test_sesiones_generadas.py) beyond the few examples of `make test`: ESPACIO sessions per
# profile, drawn at random, each refused by validar in Spanish or its three documents accepted by the checker in PDF
# and DOCX (about four seconds a session on two cores).
ESPACIO ?= 100
espacio: install
	STL_ESPACIO_EJEMPLOS=60 STL_ESPACIO_PASOS=60 $(BIN)/python -m pytest tests/test_espacio.py -q
	STL_ESPACIO=$(ESPACIO) $(BIN)/python -m pytest tests/test_sesiones_generadas.py -q --hypothesis-show-statistics

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validar: install
	$(BIN)/stl --registros $(REGISTROS) validar $(SESSION)

acta: install
	$(BIN)/stl --registros $(REGISTROS) acta $(SESSION)

convocatoria: install
	$(BIN)/stl --registros $(REGISTROS) convocatoria $(SESSION)

orden: install
	$(BIN)/stl --registros $(REGISTROS) orden $(SESSION)

minuta: install
	$(BIN)/stl --registros $(REGISTROS) minuta $(REUNION)

publicar: install
	$(BIN)/stl --registros $(REGISTROS) publicar

# The main job on the bundled records, end to end.
demo: install
	$(BIN)/stl --registros $(REGISTROS) validar IV-2020
	$(BIN)/stl --registros $(REGISTROS) convocatoria IV-2020
	$(BIN)/stl --registros $(REGISTROS) orden IV-2020
	$(BIN)/stl --registros $(REGISTROS) acta IV-2020
	$(BIN)/stl --registros $(REGISTROS) minuta RT-2020-11-24
	@# The messages the convocatoria would send (as .eml files in salida/IV-2020/correo/; nothing is sent).
	$(BIN)/stl --registros $(REGISTROS) enviar convocatoria IV-2020 --simular
	@# Signatures with a demo PKI (git-ignored demo-claves/): the Facilitador prepares the oficio, the acta and
	@# the minuta, and his certification is his own signature (he convenes, and signs both records); the other
	@# three signatories sign the acta and the attendees the minuta.
	$(BIN)/python -m pipeline.pki_demo demo-claves $(REGISTROS)
	rm -rf demo-claves/firmas demo-claves/archivo
	for doc in "IV-2020 --documento convocatoria" IV-2020 RT-2020-11-24; do \
		STL_CONTRASENA=demo $(BIN)/stl --registros demo-claves/registros --firmas demo-claves/firmas \
			--archivo demo-claves/archivo preparar-firma $$doc --p12 demo-claves/funes.p12 || exit 1; \
	done
	for m in martinez vargas cervantes; do \
		for doc in IV-2020 RT-2020-11-24; do \
			STL_CONTRASENA=demo $(BIN)/stl --registros demo-claves/registros --firmas demo-claves/firmas \
				firmar $$doc --firmante $$m --p12 demo-claves/$$m.p12 || exit 1; \
		done; \
	done
	$(BIN)/stl --registros demo-claves/registros --firmas demo-claves/firmas estado IV-2020
	for doc in "IV-2020 --documento convocatoria" IV-2020 RT-2020-11-24; do \
		$(BIN)/stl --registros demo-claves/registros --firmas demo-claves/firmas verificar $$doc || exit 1; \
	done
	@# The signed oficio, as the convocatoria would send it (.eml files; nothing is sent).
	$(BIN)/stl --registros demo-claves/registros --firmas demo-claves/firmas --salida demo-claves/salida \
		enviar convocatoria IV-2020 --simular
	@# Archive (append-only) and the public site with the signed documents, in sitio/ (git-ignored).
	$(BIN)/stl --registros demo-claves/registros --firmas demo-claves/firmas --archivo demo-claves/archivo \
		archivar IV-2020
	$(BIN)/stl --registros demo-claves/registros --firmas demo-claves/firmas --archivo demo-claves/archivo \
		archivar RT-2020-11-24
	$(BIN)/stl --registros demo-claves/registros --firmas demo-claves/firmas --archivo demo-claves/archivo \
		publicar --sitio sitio

# Benchmarks (not tests): ratios against LibreOffice measured in the same run; writes bench/RESULTS.md and the
# plot bench/tiempo-vs-sesiones.png. Only they need matplotlib (the `bench` extra), installed once here.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: install $(BENCH_STAMP)
	$(BIN)/python bench/run.py

# Mutation testing, not part of `make test` (21 min on 2 shared cores; the goal is 15): mutmut changes one thing at a time in the
# code that carries legal weight — the rules (who votes, quorum, outcome, ties, notice, approval of an acta), the approval
# freeze, the verification code, the output writer, the CSV escaping, and who may sign with which certificate —
# and runs the fast tests that cover each change ([tool.mutmut] in pyproject.toml). A change no test notices is a
# survivor: tests/mutacion.py prints the table and every survivor's diff; tests/MUTACION.md keeps the last result
# and why each survivor is harmless. Only it needs mutmut (the `mutacion` extra), installed once here.
MUT_STAMP := $(VENV)/.installed-mutacion
MUTANTES := 'pipeline.rules.x__capacidad__*' 'pipeline.rules.x_capacidades__*' 'pipeline.rules.x__minimum__*' \
	'pipeline.rules.x__seat_sector__*' 'pipeline.rules.x_quorum__*' 'pipeline.rules.x__casting_holder__*' \
	'pipeline.rules.x__check_ballots__*' 'pipeline.rules.x__name__*' 'pipeline.rules.x_outcome__*' \
	'pipeline.rules.x__cap__*' 'pipeline.rules.x__check_declared__*' 'pipeline.rules.x_notice__*' \
	'pipeline.rules.x_aprobacion_del_acta__*' \
	'pipeline.aprobaciones.*' 'pipeline.render.x_codigo_verificacion__*' 'pipeline.render.x_pagina_publica__*' \
	'pipeline.files.x__umask__*' 'pipeline.files.x_write_atomic__*' 'pipeline.files.x_sincronizar__*' \
	'pipeline.files.x_subcarpeta__*' 'pipeline.files.x_aparte__*' 'pipeline.files.x_sin_restos__*' \
	'pipeline.files.x_bloqueo__*' 'pipeline.opendata.x__formula__*' 'pipeline.opendata.x__celda__*' \
	'pipeline.sign.x_verificar_certificado__*' 'pipeline.sign.x__esperado__*' \
	'pipeline.certificados.x_revisar_vigencia_y_cadena__*'

$(MUT_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutacion]'
	touch $(MUT_STAMP)

mutacion: install $(MUT_STAMP)
	rm -rf mutants
	STL_FUZZ_EJEMPLOS=15 $(BIN)/mutmut run --max-children 2 $(MUTANTES) > mutants.log 2>&1 || (tail -40 mutants.log; exit 1)
	$(BIN)/python tests/mutacion.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis mutants mutants.log
