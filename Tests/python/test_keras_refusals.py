"""Keras is the oracle for refusals: `kconform check --load` refuses (exit 1) exactly the mutated golden
archives that Keras 3.15.1's `keras.saving.load_model(path, safe_mode=True)` refuses (raises).

Each golden .keras file (Corpus/golden, Corpus/golden/zoo; not the lookup layers, which need TensorFlow)
gets every mutation of scripts/conformance/keras_refusals.py: one config envelope changed at a time, every
other archive member byte-identical. Kinds 1-4 and 7 (module, registered_name, class_name, graph
structure) run on every file; kinds 5-6 (constructor arguments, function/object names) on a deterministic
sample (SAMPLE_5_6) to keep the run near five minutes.

Known disagreements are listed in refusal_divergences.txt (`file<TAB>mutation<TAB>reason`, file relative
to Corpus/golden) and are strict xfails: fixing one makes the test fail until its line is removed.
The last test writes the counts and every disagreement to Reports/refusals.md.

    KERAS_BACKEND=jax .venv-corpus/bin/python -m pytest -q Tests/python/test_keras_refusals.py
"""
import collections
import concurrent.futures
import functools
import hashlib
import multiprocessing
import os
import pathlib
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import pytest  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "conformance"))

import keras_refusals as kr  # noqa: E402

REPORT = ROOT / "Reports" / "refusals.md"
DIVERGENCES_FILE = pathlib.Path(__file__).parent / "refusal_divergences.txt"
SAMPLE_SIZE = 20
SAMPLED_KINDS = (5, 6)
# deep300 (300 Dense layers) takes 13-20 s per Keras load; it runs kinds 1-4 and 7 only.
NOT_SAMPLED = {"deep300.keras"}
# Keras loads run in this many worker processes (0: in the test process); the slow files go first.
WORKERS = int(os.environ.get("REFUSALS_WORKERS", min(2, os.cpu_count() or 1)))
SLOW_FIRST = ("deep300.keras",)


def _divergences():
    if not DIVERGENCES_FILE.exists():
        return {}
    listed = {}
    for line in DIVERGENCES_FILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            file, mutation, reason = line.split("\t", 2)
            listed[(file, mutation)] = reason
    return listed


DIVERGENCES = _divergences()
FILES = [file for file in kr.golden_files() if not kr.needs_tensorflow(file)]
CONFIGS = {file: kr.read_config(kr.GOLDEN / file) for file in FILES}
MUTATIONS = {file: kr.mutations(config) for file, config in CONFIGS.items()}


def _sample():
    """~SAMPLE_SIZE files for kinds 5-6: the first by SHA-256 of their name, plus, for any kind-5/6
    operation the first ones lack, the first file (same order) that has it."""
    order = sorted((file for file in FILES if file not in NOT_SAMPLED),
                   key=lambda file: hashlib.sha256(file.encode()).hexdigest())
    chosen = order[:SAMPLE_SIZE]
    ops = lambda file: {(m.op, m.role) for m in MUTATIONS[file] if m.kind in SAMPLED_KINDS}  # noqa: E731
    covered = set().union(*(ops(file) for file in chosen))
    for file in order[SAMPLE_SIZE:]:
        if ops(file) - covered:
            chosen.append(file)
            covered |= ops(file)
    return sorted(chosen)


SAMPLE_5_6 = _sample()


def selected():
    for file in FILES:
        for mutation in MUTATIONS[file]:
            if mutation.kind in SAMPLED_KINDS and file not in SAMPLE_5_6:
                continue
            yield file, mutation


CASES = list(selected())
BY_ID = {(file, mutation.id): mutation for file, mutation in CASES}
assert len(BY_ID) == len(CASES), "mutation ids must be unique within a file"


FUTURES = {}


@pytest.fixture(scope="module", autouse=True)
def prefetch(request):
    """Submits every case the selected tests need to a pool of WORKERS processes, slow files first."""
    if WORKERS < 1:
        yield
        return
    wanted = []
    for item in request.session.items:
        if item.module is not request.module:
            continue
        params = getattr(item, "callspec", None) and item.callspec.params
        if params and "mutation_id" in params:
            wanted.append((params["file"], params["mutation_id"]))
        elif item.name == "test_zz_agreement_report":
            wanted += list(BY_ID)
    wanted = sorted(dict.fromkeys(wanted), key=lambda case: case[0] not in SLOW_FIRST)
    pool = concurrent.futures.ProcessPoolExecutor(
        WORKERS, mp_context=multiprocessing.get_context("spawn"), initializer=kr.quiet_worker)
    for case in wanted:
        FUTURES[case] = pool.submit(kr.run_case, *case)
    yield
    pool.shutdown(wait=True, cancel_futures=True)


@functools.lru_cache(maxsize=None)
def outcome(file, mutation_id):
    """(Keras's verdict, kconform's verdict) on `file` with that one mutation."""
    assert (file, mutation_id) in BY_ID
    future = FUTURES.get((file, mutation_id))
    return future.result() if future else kr.run_case(file, mutation_id)


def agree(keras_side, ours):
    return ours.refused is not None and keras_side.refused == ours.refused


def params():
    for file, mutation in CASES:
        reason = DIVERGENCES.get((file, mutation.id))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(file, mutation.id, id=f"{file}:{mutation.id}", marks=marks)


@pytest.mark.parametrize("file,mutation_id", list(params()))
def test_kconform_refuses_what_keras_refuses(file, mutation_id):
    keras_side, ours = outcome(file, mutation_id)
    assert agree(keras_side, ours), (
        f"{file} {mutation_id}: Keras {'refused' if keras_side.refused else 'loaded'} ({keras_side.detail}); "
        f"kconform {ours.detail}")


def test_divergence_list_names_real_cases():
    stale = sorted(set(DIVERGENCES) - set(BY_ID))
    assert not stale, f"refusal_divergences.txt lists cases that do not exist: {stale}"


def _table(rows, header):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def _binary_digest():
    try:
        return hashlib.sha256(pathlib.Path(kr.KCONFORM).read_bytes()).hexdigest()[:16]
    except OSError as error:
        return f"unreadable: {error}"


BINARY_AT_START = _binary_digest()


def test_zz_agreement_report(capsys):
    """Runs (or reuses) every case, prints the agreement counts and writes Reports/refusals.md."""
    results = [(file, mutation, *outcome(file, mutation.id)) for file, mutation in CASES]
    total = len(results)
    agreed = sum(agree(k, o) for _, _, k, o in results)
    refused = sum(bool(k.refused) for _, _, k, o in results)

    by_kind = collections.defaultdict(lambda: [0, 0, 0, 0])   # cases, agree, keras refused, kconform refused
    by_op = collections.defaultdict(lambda: [0, 0, 0, 0])
    for _, mutation, k, o in results:
        for key, table in ((mutation.kind, by_kind), ((mutation.kind, mutation.op, mutation.role), by_op)):
            row = table[key]
            row[0] += 1
            row[1] += agree(k, o)
            row[2] += bool(k.refused)
            row[3] += bool(o.refused)

    headline = f"{agreed} of {total} mutations agree; Keras refused {refused}"
    kind_rows = [(kind, kr.KINDS[kind], *by_kind[kind]) for kind in sorted(by_kind)]
    op_rows = [(kind, op, role, *row) for (kind, op, role), row in sorted(by_op.items())]
    keras_only = [(f, m, k, o) for f, m, k, o in results if k.refused and o.refused is False]
    ours_only = [(f, m, k, o) for f, m, k, o in results if not k.refused and o.refused]
    neither = [(f, m, k, o) for f, m, k, o in results if o.refused is None]

    def listing(rows):
        return _table([(f, f"`{m.id}`", "listed" if (f, m.id) in DIVERGENCES else "", k.detail, o.detail)
                       for f, m, k, o in rows],
                      ("file", "mutation", "in divergences list", "Keras", "kconform"))

    text = [
        "# Refusals: `kconform check --load` against `keras.saving.load_model(safe_mode=True)`",
        "",
        "Written by `Tests/python/test_keras_refusals.py` (mutations: `scripts/conformance/keras_refusals.py`);",
        "Keras 3.15.1 on the JAX backend. Agreement = both refuse (Keras raises / kconform exits 1) or both",
        "accept (Keras loads / kconform exits 0).",
        "",
        f"**{headline}.**",
        "",
        f"kconform: `{kr.KCONFORM}`, sha256 {BINARY_AT_START} when the run started, {_binary_digest()} when "
        "this report was written" + (" (the binary was rebuilt during the run: the verdicts mix builds)."
                                      if _binary_digest() != BINARY_AT_START else "."),
        "",
        f"{len(FILES)} golden files; kinds 1-4 and 7 on all of them, kinds 5-6 on {len(SAMPLE_5_6)} "
        f"(deterministic sample): {', '.join(SAMPLE_5_6)}.",
        "",
        "## Per kind",
        "",
        *_table(kind_rows, ("kind", "what", "cases", "agree", "Keras refused", "kconform refused")),
        "",
        "## Per mutation",
        "",
        *_table(op_rows, ("kind", "mutation", "envelope", "cases", "agree", "Keras refused", "kconform refused")),
        "",
        f"## kconform accepts what Keras refuses ({len(keras_only)})",
        "",
        *listing(keras_only),
        "",
        f"## kconform refuses what Keras loads ({len(ours_only)})",
        "",
        *listing(ours_only),
        "",
    ]
    if neither:
        text += [f"## kconform neither accepted nor refused ({len(neither)})", "", *listing(neither), ""]
    REPORT.write_text("\n".join(text))
    with capsys.disabled():
        print(f"\n{headline}")
        for kind, what, cases, ok, k_refused, o_refused in kind_rows:
            print(f"  kind {kind} ({what}): {ok} of {cases} agree; Keras refused {k_refused}, kconform {o_refused}")
        print(f"  written to {REPORT.relative_to(ROOT)}")
