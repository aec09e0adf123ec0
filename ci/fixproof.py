#!/usr/bin/env python3
"""Check that a rewritten C extension behaves exactly like the original.

    python3 ci/fixproof.py --python PYTHON --original ORIG.c --fixed FIXED.c \\
        --test TEST.py [--include DIR ...] [--module NAME]

Both sources are compiled, each into a temporary directory of its own, as the
extension module NAME (default: the stem of ORIG.c) against PYTHON's headers.
TEST.py then runs once against each build, in a fresh PYTHON process with the
build directory on PYTHONPATH, and writes a JSON document to the file named by
its first argument:

    {"calls": int, "outcomes": {call: outcome, ...},
     "refcount_problems": [{"call": call, "message": text, ...}, ...],
     "info": {"module_file": path, ...}}

The proof holds when both runs exit with status 0 (the test exits non-zero
when it sees a reference count drift) and the two "outcomes" objects are
equal.  "info" is for things that may differ and is never compared.

Exit status: 0 proven, 1 the builds behave differently (or one leaks or
crashes), 2 a build or set-up problem (compiler error, module not importable,
bad arguments).
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

CFLAGS = [
    "-shared", "-fPIC", "-O1", "-g", "-Wall",
    "-Werror=implicit-function-declaration",
    "-Werror=incompatible-pointer-types",
]
TEST_TIMEOUT = 900  # seconds per test run
TAIL_LINES = 25     # lines of a failed run's stderr shown in the report

EXIT_PROVEN, EXIT_DIFFERENT, EXIT_SETUP = 0, 1, 2


class SetupError(Exception):
    """Something other than the rewrite failed: exit status 2."""


def log(message=""):
    print(message, flush=True)


def interpreter_config(python):
    """Ask the interpreter itself where its headers are and how it names
    extension modules, so that the build matches it exactly."""
    probe = (
        "import json, platform, sys, sysconfig\n"
        "paths = sysconfig.get_paths()\n"
        "print(json.dumps({\n"
        "    'version': platform.python_version(),\n"
        "    'include': paths.get('include'),\n"
        "    'platinclude': paths.get('platinclude'),\n"
        "    'ext_suffix': sysconfig.get_config_var('EXT_SUFFIX'),\n"
        "    'platform': sys.platform,\n"
        "}))\n"
    )
    try:
        proc = subprocess.run([python, "-c", probe], capture_output=True,
                              text=True, timeout=120)
    except OSError as exc:
        raise SetupError("cannot run %s: %s" % (python, exc))
    if proc.returncode != 0:
        raise SetupError("%s could not report its configuration:\n%s"
                         % (python, proc.stderr.strip()))
    config = json.loads(proc.stdout)
    if not config["ext_suffix"]:
        raise SetupError("%s does not report EXT_SUFFIX" % python)
    header = os.path.join(config["include"] or "", "Python.h")
    if not os.path.isfile(header):
        raise SetupError("%s has no headers (%s is missing); install its "
                         "development package" % (python, header))
    return config


def compiler():
    return shlex.split(os.environ.get("CC") or "cc")


def build(label, source, module, config, includes, build_dir):
    """Compile source into build_dir/module+EXT_SUFFIX; return the path."""
    output = os.path.join(build_dir, module + config["ext_suffix"])
    include_dirs = [config["include"]]
    if config["platinclude"] and config["platinclude"] != config["include"]:
        include_dirs.append(config["platinclude"])
    include_dirs += includes
    command = compiler() + CFLAGS + ["-I" + d for d in include_dirs]
    if config["platform"] == "darwin":
        # Extensions resolve Python's symbols from the loading interpreter.
        command += ["-undefined", "dynamic_lookup"]
    # Expected outputs are stored as NAME.c.fixed: say the language.
    if not source.endswith((".c", ".cc", ".cpp", ".cxx")):
        command += ["-x", "c++" if ".cpp" in source or ".cc" in source else "c"]
    command += [source, "-o", output]
    try:
        proc = subprocess.run(command, capture_output=True, text=True)
    except OSError as exc:
        raise SetupError("cannot run the compiler %s: %s" % (command[0], exc))
    diagnostics = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise SetupError("compiling the %s build failed:\n$ %s\n%s"
                         % (label, shlex.join(command), diagnostics))
    if diagnostics:
        log("fixproof: compiler output for the %s build (%s):\n%s"
            % (label, source, diagnostics))
    return output


def test_environment(build_dir):
    env = dict(os.environ)
    # The build directory comes first so that no other copy of the module
    # can be imported instead.
    env["PYTHONPATH"] = os.pathsep.join(
        [build_dir] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"
    env["FIXPROOF_TRACE"] = "1"
    return env


def check_importable(python, module, build_dir, label):
    """Fail early, as a set-up problem, when a build does not define the
    module (wrong PyInit_ name, unresolved symbol)."""
    proc = subprocess.run(
        [python, "-c", "import %s" % module], capture_output=True, text=True,
        cwd=build_dir, env=test_environment(build_dir), timeout=120)
    if proc.returncode != 0:
        raise SetupError("the %s build does not import as module %r:\n%s"
                         % (label, module, proc.stderr.strip()))


def describe_exit(returncode):
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "signal %d" % -returncode
        return "crashed (%s)" % name
    return "exited with status %d" % returncode


def run_test(python, test, build_dir, label, malloc_debug):
    """Run the test against one build.  Returns (document or None, list of
    problems with this run, short summary of them or None)."""
    output = os.path.join(build_dir, "fixproof-result.json")
    env = test_environment(build_dir)
    if malloc_debug:
        # Freed memory is overwritten, so a use after an over-release crashes
        # or misbehaves at once instead of by luck.
        env["PYTHONMALLOC"] = "debug"
    try:
        proc = subprocess.run([python, test, output], capture_output=True,
                              text=True, cwd=build_dir, env=env,
                              timeout=TEST_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, ["the %s build's test run timed out after %d s"
                      % (label, TEST_TIMEOUT)], "%s build timed out" % label
    problems = []
    summary = None
    document = None
    try:
        with open(output, encoding="utf-8") as f:
            document = json.load(f)
    except (OSError, ValueError):
        pass

    trace = [line for line in proc.stderr.splitlines()
             if line.startswith("fixproof case: ")]
    other = [line for line in proc.stderr.splitlines()
             if not line.startswith("fixproof case: ")]
    drifts = (document or {}).get("refcount_problems", [])
    if proc.returncode != 0 and not (drifts and proc.returncode > 0):
        # A crash, or a failure of the test itself: show how it ended.  (A
        # plain non-zero exit with refcount entries is explained by them.)
        message = "the %s build's test run %s" % (
            label, describe_exit(proc.returncode))
        if document is None and trace:
            message += " during %r" % trace[-1][len("fixproof case: "):]
        tail = other[-TAIL_LINES:]
        if tail:
            message += ":\n" + "\n".join("    " + line for line in tail)
        problems.append(message)
        summary = "%s build %s" % (label, describe_exit(proc.returncode))
    elif document is None:
        problems.append("the %s build's test run wrote no readable result to "
                        "%s" % (label, output))
        summary = "%s build wrote no result" % label

    if document is not None:
        module_file = document.get("info", {}).get("module_file", "")
        if module_file and os.path.dirname(
                os.path.realpath(module_file)) != os.path.realpath(build_dir):
            raise SetupError("the %s run imported the module from %s, not from "
                             "its build directory %s" % (
                                 label, module_file, build_dir))
        for p in drifts:
            problems.append("the %s build: %s: %s" % (
                label, p.get("call"), p.get("message") or json.dumps(p)))
        if drifts and summary is None:
            calls = len(set(p.get("call") for p in drifts))
            summary = "reference counts drift in %d call%s of the %s build" % (
                calls, "" if calls == 1 else "s", label)
    return document, problems, summary


def show_outcome(entry):
    if entry is None:
        return "(no such call)"
    outcome = entry.get("outcome") if isinstance(entry, dict) else entry
    if isinstance(outcome, list) and outcome:
        if outcome[0] == "returns":
            text = "returns %s" % outcome[1]
            if len(outcome) > 2 and outcome[2]:
                text += " (the object at %s)" % (outcome[2],)
            return text
        if outcome[0] == "raises":
            if len(outcome) == 1:
                return "raises (type not compared)"
            return "raises %s: %s" % (outcome[1], outcome[2]) \
                if len(outcome) > 2 else "raises %s" % outcome[1]
    return json.dumps(outcome)


def compare(original, fixed):
    """Readable descriptions of every call whose record differs."""
    a = original.get("outcomes", {})
    b = fixed.get("outcomes", {})
    keys = list(a) + [k for k in b if k not in a]
    differences = []
    for key in keys:
        left, right = a.get(key), b.get(key)
        if left == right:
            continue
        lines = ["  %s" % key]
        if not isinstance(left, dict) or not isinstance(right, dict) or \
                left.get("outcome") != right.get("outcome"):
            lines.append("    original: %s" % show_outcome(left))
            lines.append("    fixed:    %s" % show_outcome(right))
        if isinstance(left, dict) and isinstance(right, dict):
            for field in sorted(set(left) | set(right)):
                if field == "outcome" or left.get(field) == right.get(field):
                    continue
                lines.append("    %s differs:" % field.replace("_", " "))
                lines.append("      original: %s" % (left.get(field),))
                lines.append("      fixed:    %s" % (right.get(field),))
        differences.append("\n".join(lines))
    return differences


def module_name(args):
    if args.module:
        return args.module
    name = os.path.basename(args.original)
    return name.split(".", 1)[0]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Build an extension and its rewritten copy and check "
                    "that a test records identical behaviour and stable "
                    "reference counts for both.")
    parser.add_argument("--python", default="python3",
                        help="interpreter to build for and test with "
                             "(default: python3 on PATH)")
    parser.add_argument("--original", required=True, help="original C source")
    parser.add_argument("--fixed", required=True, help="rewritten C source")
    parser.add_argument("--test", required=True,
                        help="test script; writes its JSON record to argv[1]")
    parser.add_argument("--include", action="append", default=[],
                        metavar="DIR", help="extra include directory")
    parser.add_argument("--module",
                        help="module name (default: the original's stem)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the build directories and print them")
    parser.add_argument("--no-malloc-debug", dest="malloc_debug",
                        action="store_false",
                        help="run the tests without PYTHONMALLOC=debug")
    args = parser.parse_args(argv)

    python = shutil.which(args.python) or args.python
    original = os.path.abspath(args.original)
    fixed = os.path.abspath(args.fixed)
    test = os.path.abspath(args.test)
    for path in (original, fixed, test):
        if not os.path.isfile(path):
            log("fixproof: no such file: %s" % path)
            return EXIT_SETUP
    # The rewritten copy may live elsewhere and still include headers that
    # sit next to the original.
    includes = [os.path.abspath(d) for d in args.include]
    includes.append(os.path.dirname(original))
    module = module_name(args)

    workdir = tempfile.mkdtemp(prefix="fixproof-")
    version = python
    try:
        config = interpreter_config(python)
        version = config["version"]
        dirs = {}
        for label, source in (("original", original), ("fixed", fixed)):
            dirs[label] = os.path.join(workdir, label)
            os.mkdir(dirs[label])
            build(label, source, module, config, includes, dirs[label])
            check_importable(python, module, dirs[label], label)

        documents, problems, summary = {}, [], []
        for label in ("original", "fixed"):
            document, run_problems, run_summary = run_test(
                python, test, dirs[label], label, args.malloc_debug)
            documents[label] = document
            problems += run_problems
            if run_summary:
                summary.append(run_summary)
    except SetupError as exc:
        log("fixproof: %s" % exc)
        log("fixproof: %s: set-up failed, nothing was compared" % version)
        return EXIT_SETUP
    finally:
        if args.keep:
            log("fixproof: build directories kept in %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    differences = []
    if documents["original"] is not None and documents["fixed"] is not None:
        differences = compare(documents["original"], documents["fixed"])
    calls = len((documents["original"] or documents["fixed"] or {})
                .get("outcomes", {}))

    if not differences and not problems:
        log("fixproof: %s: %d calls identical, refcounts stable in both builds"
            % (version, calls))
        return EXIT_PROVEN

    if differences:
        log("fixproof: %d of %d calls behave differently in the fixed build:"
            % (len(differences), calls))
        for text in differences:
            log(text)
    if problems:
        log("fixproof: problems:")
        for text in problems:
            log("  " + text)
    if differences:
        summary.insert(0, "%d of %d calls differ" % (len(differences), calls))
    log("fixproof: %s: FAILED: %s" % (version, "; ".join(summary)))
    return EXIT_DIFFERENT


if __name__ == "__main__":
    sys.exit(main())
