#!/usr/bin/env python3
"""Writes Reports/security.md: the attack corpus through kconform, Keras 3.15.1 and modelscan, in one run.

    /work/venv/bin/python scripts/attacks/security_report.py \\
        --kconform .build/release/kconform --modelscan /work/venv-scan/bin/modelscan

* kconform: `kconform check --format json <file>` (benign files with their allow file). A reproducer is
  caught when every rule id its manifest entry expects is reported; a benign file is a false alarm when
  any finding is an error.
* Keras: scripts/attacks/keras_load.py in a subprocess under `unshare -n` (a network namespace with no
  interface: nothing can be fetched), with a timeout, from Corpus/attacks so that paths named by a
  reproducer resolve inside the corpus. Caught means refused before the payload ran (the payload prints
  a marker or changes a Keras setting, both observed); a benign file is a false alarm when it does not load.
* modelscan (PyPI, with its tensorflow and h5py extras): `modelscan -p <file> -r json`. Caught means at
  least one issue; a benign file is a false alarm when it has an issue.

Benign files are Corpus/attacks/benign (the neighbours of the attacks) and every model file of
Corpus/golden. Every tool sees the same files in the same run.
"""
import argparse
import concurrent.futures
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ATTACKS = os.path.join(REPO, "Corpus", "attacks")
GOLDEN = os.path.join(REPO, "Corpus", "golden")
KERAS_PYTHON = sys.executable  # the pinned Keras venv that runs this script
KERAS_TIMEOUT = 300


def run(command, cwd=None, timeout=None):
    """(exit status or None on timeout, stdout, stderr, seconds, peak RSS of the child in MiB)."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        status = None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return status, out, err, time.monotonic() - start, usage.ru_maxrss / 1024


def golden_files(kconform):
    listing = subprocess.run([kconform, "check", "--format", "json", GOLDEN], capture_output=True, text=True)
    return [os.path.relpath(entry["path"], REPO) for entry in json.loads(listing.stdout)["files"]]


def needs_tensorflow(relative):
    """Golden files written by the TensorFlow venv (lookup layers build tf.lookup tables on load)."""
    manifest = json.load(open(os.path.join(GOLDEN, "MANIFEST.json")))
    name = os.path.relpath(relative, "Corpus/golden")
    return any(model.get("producer") == "producer_assets" and any(name.rstrip("/") == f.rstrip("/") for f in model["files"])
               for model in manifest["models"].values())


def weights_model(relative):
    """The .keras model a golden weights file belongs to (Corpus/golden/MANIFEST.json), for Keras's load_weights."""
    manifest = json.load(open(os.path.join(GOLDEN, "MANIFEST.json")))
    name = os.path.relpath(relative, "Corpus/golden")
    for model in manifest["models"].values():
        if name in model["files"]:
            archive = next((f for f in model["files"] if f.endswith(".keras")), None)
            return os.path.join(GOLDEN, archive) if archive else None
    return None


def kconform_check(kconform, path, allow_file=None):
    command = [kconform, "check", "--format", "json"]
    if allow_file:
        command += ["--allow-file", allow_file]
    status, out, _, seconds, _ = run(command + [path])
    report = json.loads(out) if out else {"files": []}
    findings = [f for entry in report["files"] for f in entry["findings"]]
    return {"status": status, "rules": sorted({f["ruleId"] for f in findings}),
            "errors": sorted({f["ruleId"] for f in findings if f["severity"] == "error"}), "seconds": seconds}


def keras_load(path, marker, model=None):
    command = ["unshare", "-n", KERAS_PYTHON, os.path.join(REPO, "scripts", "attacks", "keras_load.py"), path, marker]
    if model:
        command.append(model)
    # Peak memory of this one child: a fresh interpreter measures itself around the load.
    wrapper = [sys.executable, "-c",
               "import resource,subprocess,sys,json;"
               "p=subprocess.run(sys.argv[2:],capture_output=True,text=True,timeout=int(sys.argv[1]));"
               "print(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else json.dumps({'outcome':'crashed','error':p.stderr.strip().splitlines()[-1][:160] if p.stderr.strip() else ''}));"
               "print(json.dumps({'peak_mib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))",
               str(KERAS_TIMEOUT)] + command
    status, out, err, seconds, _ = run(wrapper, cwd=ATTACKS, timeout=KERAS_TIMEOUT + 30)
    lines = out.strip().splitlines()
    if status is None or len(lines) < 2:
        return {"outcome": "timeout" if status is None else "crashed", "payload_ran": False,
                "error": (err.strip().splitlines() or [""])[-1][:160], "seconds": seconds, "peak_mib": 0}
    result = json.loads(lines[-2])
    result.update(json.loads(lines[-1]), seconds=seconds)
    return result


def modelscan(binary, path):
    with tempfile.TemporaryDirectory() as directory:
        report = os.path.join(directory, "report.json")
        status, out, err, seconds, _ = run(["unshare", "-n", binary, "-p", path, "-r", "json", "-o", report],
                                           cwd=ATTACKS, timeout=600)
        if status is None:
            return {"outcome": "timeout", "issues": 0, "seconds": seconds}
        if not os.path.exists(report):
            return {"outcome": "crashed", "issues": 0, "seconds": seconds, "error": (err.strip().splitlines() or [""])[-1][:120]}
        data = json.load(open(report))
    issues = data.get("issues", [])
    summary = data.get("summary", {})
    skipped = summary.get("skipped", {}).get("total_skipped", 0)
    scanned = summary.get("scanned", {}).get("total_scanned", 0)
    errors = data.get("errors", [])
    outcome = "flagged" if issues else ("error" if errors else ("skipped" if scanned == 0 else "no issues"))
    severities = sorted({issue.get("severity", "?") for issue in issues})
    return {"outcome": outcome, "issues": len(issues), "severities": severities, "seconds": seconds}


def keras_cell(result):
    outcome = result["outcome"]
    if result.get("payload_ran"):
        return "**payload ran**" + (" (then refused)" if outcome == "refused" else "")
    if outcome == "loaded":
        peak = result.get("peak_mib", 0)
        return f"loaded (peak {peak / 1024:.1f} GiB)" if peak > 1024 else "loaded"
    return outcome


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kconform", default=os.path.join(REPO, ".build", "release", "kconform"))
    parser.add_argument("--modelscan", default="/work/venv-scan/bin/modelscan")
    parser.add_argument("--output", default=os.path.join(REPO, "Reports", "security.md"))
    parser.add_argument("--jobs", type=int, default=2, help="files judged at once (each tool still sees one file at a time)")
    arguments = parser.parse_args()
    kconform = os.path.abspath(arguments.kconform)
    manifest = json.load(open(os.path.join(ATTACKS, "MANIFEST.json")))
    marker = manifest["marker"]
    versions = {
        "kconform": subprocess.run([kconform, "--version"], capture_output=True, text=True).stdout.strip(),
        "keras": subprocess.run([KERAS_PYTHON, "-c", "import importlib.metadata as m; print(m.version('keras'))"],
                                capture_output=True, text=True).stdout.strip(),
        "modelscan": subprocess.run([arguments.modelscan, "--version"], capture_output=True, text=True).stdout.strip(),
    }

    def judge_attack(entry):
        path = os.path.join(ATTACKS, entry["file"])
        k = kconform_check(kconform, path)
        caught = set(entry["expected"]) <= set(k["rules"])
        keras = keras_load(path, marker)
        scan = modelscan(arguments.modelscan, path)
        print(f"{entry['file']}: kconform {'caught' if caught else 'MISSED'}, keras {keras['outcome']}, "
              f"modelscan {scan['outcome']}", file=sys.stderr)
        return entry, k, caught, keras, scan

    def judge_benign(item):
        path, allow = item
        relative = os.path.relpath(path, REPO)
        k = kconform_check(kconform, path, allow)
        model = weights_model(relative) if relative.startswith("Corpus/golden") else None
        if relative.startswith("Corpus/golden") and needs_tensorflow(relative):
            keras = {"outcome": "n/a (needs TensorFlow, not in the Keras venv)", "payload_ran": False}
        else:
            keras = keras_load(path, marker, model)
        scan = modelscan(arguments.modelscan, path)
        print(f"{relative}: kconform {len(k['errors'])} errors, keras {keras['outcome']}, modelscan {scan['outcome']}",
              file=sys.stderr)
        return relative, k, keras, scan

    benign = [(os.path.join(ATTACKS, b["file"]), os.path.join(ATTACKS, b["allow_file"]) if b["allow_file"] else None)
              for b in manifest["benign"]]
    benign += [(os.path.join(REPO, relative), None) for relative in golden_files(kconform)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=arguments.jobs) as pool:
        attack_rows = list(pool.map(judge_attack, manifest["reproducers"]))
        benign_rows = [row for row in pool.map(judge_benign, benign) if os.path.exists(os.path.join(REPO, row[0]))]

    write_report(arguments.output, versions, attack_rows, benign_rows, kconform, arguments.modelscan)


def write_report(output, versions, attack_rows, benign_rows, kconform, modelscan_binary):
    def keras_caught(keras):
        return keras["outcome"] in ("refused", "crashed") and not keras.get("payload_ran")

    def keras_defused(entry, keras):
        return entry["threat"] == "C3" and keras["outcome"] == "loaded" and not keras.get("payload_ran")

    tools = {
        "kconform check": ([caught for _, _, caught, _, _ in attack_rows],
                           [bool(k["errors"]) for _, k, _, _ in benign_rows]),
        "Keras 3.15.1 load_model": ([keras_caught(keras) or keras_defused(entry, keras) for entry, _, _, keras, _ in attack_rows],
                                    [keras["outcome"] not in ("loaded",) and not keras["outcome"].startswith("n/a")
                                     for _, _, keras, _ in benign_rows]),
        "modelscan 0.8.8": ([scan["outcome"] == "flagged" for *_, scan in attack_rows],
                            [scan["outcome"] == "flagged" for *_, scan in benign_rows]),
    }
    lines = ["# Security report: the attack corpus through kconform, Keras and modelscan", "",
             "Generated by `scripts/attacks/security_report.py` in one run (do not edit by hand):", "",
             "```", "swift build -c release --product kconform",
             "/work/venv/bin/python scripts/attacks/security_report.py \\",
             f"    --kconform .build/release/kconform --modelscan {modelscan_binary}", "```", "",
             f"Versions: kconform {versions['kconform']}; keras {versions['keras']} (JAX backend); {versions['modelscan']} "
             "(with its tensorflow and h5py extras). Corpus: `Corpus/attacks` "
             f"({len(attack_rows)} reproducers from `scripts/attacks/make_attacks.py`, each with its expected rules and "
             f"a paragraph of why in `MANIFEST.json`) and {len(benign_rows)} benign files (Keras-written neighbours in "
             "`Corpus/attacks/benign`, every model of `Corpus/golden`).", "",
             "How each tool is judged:", "",
             "* **kconform**: `kconform check --format json FILE`; caught when every rule id the manifest expects is "
             "reported; a benign file is a false alarm when any finding is an error (`benign/custom_registered.keras` "
             "is checked with `--allow-file benign/allow.txt`, its organisation's registrations).",
             "* **Keras**: `keras.saving.load_model(FILE)` with default `safe_mode=True` (`.weights.h5`: `load_weights` "
             "into the matching model) in a subprocess under `unshare -n` (an empty network namespace), with a "
             f"{KERAS_TIMEOUT} s timeout, from `Corpus/attacks` so that paths named by a file resolve inside the corpus "
             "(`scripts/attacks/keras_load.py`). Caught when the load is refused *before* the payload ran: the payload "
             "prints a marker, changes a Keras setting or writes /tmp/kconform_escape.txt, and all three are observed; "
             "for path traversal (C3), a load that skips the member and writes nothing counts as caught. The user's custom objects are "
             "imported first. A benign file is a false alarm when it does not load.",
             "* **modelscan**: `modelscan -p FILE -r json`, under `unshare -n` too; caught when it reports an issue; a "
             "benign file is a false alarm when it reports one.", "",
             "## Summary", "",
             "| tool | attacks caught | attacks missed | benign files | false alarms |",
             "|---|---|---|---|---|"]
    for name, (caught, alarms) in tools.items():
        lines.append(f"| {name} | {sum(caught)} / {len(caught)} | {len(caught) - sum(caught)} | {len(alarms)} | {sum(alarms)} |")
    lines += ["", "## By threat class", "", "| class | reproducers | kconform | Keras 3.15.1 | modelscan |", "|---|---|---|---|---|"]
    classes = sorted({entry["threat"] for entry, *_ in attack_rows})
    for threat in classes:
        rows = [row for row in attack_rows if row[0]["threat"] == threat]
        lines.append(f"| {threat} | {len(rows)} | {sum(r[2] for r in rows)} | "
                     f"{sum(keras_caught(r[3]) or keras_defused(r[0], r[3]) for r in rows)} | "
                     f"{sum(r[4]['outcome'] == 'flagged' for r in rows)} |")
    lines += ["", "## Reproducers", "",
              "| file | class | expected | kconform | Keras 3.15.1 | modelscan |", "|---|---|---|---|---|---|"]
    for entry, k, caught, keras, scan in attack_rows:
        kc = ("caught" if caught else "**missed**") + f" ({', '.join(k['rules'])})"
        error = f" — {keras['error']}" if keras.get("error") and keras["outcome"] != "loaded" else ""
        mc = scan["outcome"] + (f" ({', '.join(scan.get('severities', []))})" if scan["outcome"] == "flagged" else "")
        cell = "loaded, member skipped (nothing escaped)" if keras_defused(entry, keras) else keras_cell(keras)
        lines.append(f"| `{entry['file']}` | {entry['threat']} | {', '.join(entry['expected'])} | {kc} | "
                     f"{cell}{error.replace('|', '/')} | {mc} |")
    lines += ["", "## Benign files", "", "| file | kconform errors | Keras 3.15.1 | modelscan |", "|---|---|---|---|"]
    for relative, k, keras, scan in benign_rows:
        error = f" — {keras['error']}" if keras.get("error") else ""
        lines.append(f"| `{relative}` | {', '.join(k['errors']) or 'none'} | {keras['outcome']}{error.replace('|', '/')} | "
                     f"{scan['outcome']} |")
    lines += ["", "## Reading the table", "",
              "* kconform judges the file without running anything; Keras's verdict is what happens when the file is "
              "loaded, so \"payload ran\" is a miss even when the load fails afterwards.",
              "* Keras passes what it does not guard: exported functions outside its 26-entry denylist (A5), "
              "declared-size bombs below 4 GiB (B5), members under its per-member bomb threshold (C1, C2), hard-link "
              "aliasing (B6), ambiguous or padded archives (C4) and npz headers (C5).",
              "* modelscan without a finding does not mean the file was scanned: `skipped` and `error` say so.", ""]
    with open(output, "w") as out:
        out.write("\n".join(lines))
    print(f"wrote {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
