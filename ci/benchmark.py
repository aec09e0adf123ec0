#!/usr/bin/env python3
"""Measure ftlint against `clang -fsyntax-only` and `clang-tidy` on the same
compile commands, on the same machine, in the same run.

    python3 ci/benchmark.py [--ftlint build/ftlint] [--jobs 2] [--repeat 2]
                            [--corpus DIR] [--markdown OUT.md]

Data sets:
  demo          the bundled demo extension (testdata/demo), configured with CMake
  generated-c   C translation units shaped like extension modules: small files
                and 5,000-line files over shared headers
  generated-pybind11
                C++ translation units using Debian's pybind11 headers
  scaling       ftlint and clang on the first 50, 100 and 150 generated C TUs
  corpus        every DIR/*/compile_commands.json under --corpus (or
                $FTLINT_CORPUS; several directories joined with ':'), when
                given, and a total over all of them

For each set it prints wall time (the best of --repeat runs) and peak resident
memory for: ftlint cold (empty cache), ftlint warm (full cache), clang
-fsyntax-only over the same commands with the same parallelism, and
run-clang-tidy with one cheap check; and the ratios ftlint/clang. "Peak
memory" is the largest resident set of one process: for clang and clang-tidy
that is one TU; for ftlint it is the whole process, so the per-TU figure comes
from an extra `-j 1` run.

This is a measurement, not a test: it exits 0 whatever the numbers are.
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---------------------------------------------------------------------------
# Running and measuring.

def measure(argv, cwd=None):
    """Run argv; return (seconds, peak RSS in MiB of the largest process in
    its tree, exit status)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def best_of(repeat, argv, cwd=None, before=None, ok=(0,)):
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(argv, cwd))
        if runs[-1][2] not in ok:
            # A run that failed measures nothing worth comparing.
            print("benchmark: %s exited with %d; left out" % (shlex.join(argv), runs[-1][2]),
                  file=sys.stderr)
            return None
    seconds = min(r[0] for r in runs)
    memory = max(r[1] for r in runs)
    return seconds, memory


def parallel_runner(commands, path, jobs):
    """argv running `commands` (argv and cwd each), `jobs` at a time, with
    xargs and sh: a runner that costs a millisecond or two, so a one-file set
    measures clang and not the runner's start-up."""
    with open(path, "wb") as f:
        for c in commands:
            line = "cd %s && exec %s" % (shlex.quote(c["cwd"]), shlex.join(c["argv"]))
            f.write(line.encode() + b"\0")
    return ["xargs", "-0", "-a", path, "-P", str(jobs), "-n", "1", "sh", "-c"]


# ---------------------------------------------------------------------------
# Compile commands.

def load_database(build_dir):
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    for e in entries:
        if "arguments" not in e:
            e["arguments"] = shlex.split(e["command"])
    return entries


def syntax_only(entry, clang, clangxx):
    """The entry's command as `clang -fsyntax-only`: same flags, no output."""
    args = entry["arguments"]
    cxx = "++" in os.path.basename(args[0]) or entry["file"].endswith((".cpp", ".cc", ".cxx"))
    out = [clangxx if cxx else clang]
    skip = False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-o"):
            continue
        out.append(a)
    out.append("-fsyntax-only")
    return {"argv": out, "cwd": entry["directory"]}


def write_database(path, entries):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=1)
    return path


# ---------------------------------------------------------------------------
# The generated project.

HEADER = """\
#ifndef EXT_COMMON_H
#define EXT_COMMON_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    PyObject *cache;
    PyObject *items;
    Py_ssize_t hits;
} ExtState;

#define EXT_CHECK(x) do { if ((x) == NULL) { return NULL; } } while (0)

static inline Py_ssize_t
ext_clamp(Py_ssize_t value, Py_ssize_t low, Py_ssize_t high)
{
    return value < low ? low : value > high ? high : value;
}

PyObject *ext_format_error(const char *where, PyObject *obj);
#endif
"""

C_FUNCTIONS = """\
static PyObject *
first_item_{n}(PyObject *self, PyObject *list)
{{
    PyObject *item = PyList_GetItem(list, 0);
    EXT_CHECK(item);
    return PyObject_Repr(item);
}}

static PyObject *
lookup_{n}(PyObject *self, PyObject *args)
{{
    PyObject *mapping, *key;
    if (!PyArg_ParseTuple(args, "OO", &mapping, &key)) {{
        return NULL;
    }}
    PyObject *value = PyDict_GetItemWithError(mapping, key);
    if (value == NULL) {{
        if (!PyErr_Occurred()) {{
            PyErr_SetObject(PyExc_KeyError, key);
        }}
        return NULL;
    }}
    return Py_NewRef(value);
}}

static PyObject *
sum_values_{n}(PyObject *self, PyObject *mapping)
{{
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    long total = 0;
    while (PyDict_Next(mapping, &pos, &key, &value)) {{
        long v = PyLong_AsLong(value);
        if (v == -1 && PyErr_Occurred()) {{
            return NULL;
        }}
        total += v;
    }}
    return PyLong_FromLong(total);
}}

static PyObject *
build_{n}(PyObject *self, PyObject *arg)
{{
    Py_ssize_t n = ext_clamp(PyLong_AsSsize_t(arg), 0, 64);
    PyObject *list = PyList_New(n);
    EXT_CHECK(list);
    for (Py_ssize_t i = 0; i < n; i++) {{
        PyList_SET_ITEM(list, i, PyLong_FromSsize_t(i * {n}));
    }}
    PyObject *d = PyDict_New();
    if (d == NULL) {{
        Py_DECREF(list);
        return NULL;
    }}
    if (PyDict_SetItemString(d, "items", list) < 0) {{
        Py_DECREF(list);
        Py_DECREF(d);
        return NULL;
    }}
    Py_DECREF(list);
    PyObject *again = PyDict_GetItemString(d, "items");
    Py_XINCREF(again);
    Py_DECREF(d);
    return again;
}}

static PyObject *
join_{n}(PyObject *self, PyObject *seq)
{{
    PyObject *fast = PySequence_Fast(seq, "expected a sequence");
    EXT_CHECK(fast);
    Py_ssize_t size = PySequence_Fast_GET_SIZE(fast);
    PyObject *parts = PyList_New(0);
    if (parts == NULL) {{
        Py_DECREF(fast);
        return NULL;
    }}
    for (Py_ssize_t i = 0; i < size; i++) {{
        PyObject *s = PyObject_Str(PySequence_Fast_GET_ITEM(fast, i));
        if (s == NULL || PyList_Append(parts, s) < 0) {{
            Py_XDECREF(s);
            Py_DECREF(parts);
            Py_DECREF(fast);
            return NULL;
        }}
        Py_DECREF(s);
    }}
    Py_DECREF(fast);
    PyObject *sep = PyUnicode_FromString(",");
    if (sep == NULL) {{
        Py_DECREF(parts);
        return NULL;
    }}
    PyObject *joined = PyUnicode_Join(sep, parts);
    Py_DECREF(sep);
    Py_DECREF(parts);
    return joined;
}}

"""

C_MODULE = """\
static PyMethodDef methods[] = {{
{table}    {{NULL, NULL, 0, NULL}}
}};

static struct PyModuleDef module = {{
    PyModuleDef_HEAD_INIT, "{name}", NULL, -1, methods,
}};

PyMODINIT_FUNC
PyInit_{name}(void)
{{
    return PyModule_Create(&module);
}}
"""

PYBIND11_TU = """\
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <map>
#include <string>
#include <vector>

namespace py = pybind11;

namespace {{

struct Counter{n} {{
    std::map<std::string, long> counts;
    void add(const std::string &key, long by) {{ counts[key] += by; }}
    long get(const std::string &key) const {{
        auto it = counts.find(key);
        return it == counts.end() ? 0 : it->second;
    }}
    std::vector<std::string> keys() const {{
        std::vector<std::string> out;
        for (const auto &kv : counts) out.push_back(kv.first);
        return out;
    }}
}};

long total{n}(const std::vector<long> &values) {{
    long sum = 0;
    for (long v : values) sum += v * {n};
    return sum;
}}

}}  // namespace

PYBIND11_MODULE(bind_{n}, m) {{
    py::class_<Counter{n}>(m, "Counter")
        .def(py::init<>())
        .def("add", &Counter{n}::add, py::arg("key"), py::arg("by") = 1)
        .def("get", &Counter{n}::get)
        .def("keys", &Counter{n}::keys)
        .def("__len__", [](const Counter{n} &c) {{ return c.counts.size(); }});
    m.def("total", &total{n});
    m.def("scale", [](py::list items, double by) {{
        py::list out;
        for (auto item : items) out.append(item.cast<double>() * by);
        return out;
    }});
    m.def("first", [](py::dict d, py::str key) {{ return d.contains(key) ? d[key] : py::none(); }});
}}
"""


def c_source(name, functions):
    body = ['#include "ext_common.h"\n\n']
    table = ""
    for n in range(functions):
        body.append(C_FUNCTIONS.format(n=n))
        for f, kind in (("first_item", "METH_O"), ("lookup", "METH_VARARGS"),
                        ("sum_values", "METH_O"), ("build", "METH_O"),
                        ("join", "METH_O")):
            table += '    {"%s_%d", %s_%d, %s, NULL},\n' % (f, n, f, n, kind)
    body.append(C_MODULE.format(name=name, table=table))
    return "".join(body)


def generate(root, python_include, c_small, c_large, cxx):
    """A project under `root` with a compile database; returns the lists of
    C and C++ entries."""
    src = os.path.join(root, "src")
    include = os.path.join(root, "include")
    os.makedirs(src, exist_ok=True)
    os.makedirs(include, exist_ok=True)
    with open(os.path.join(include, "ext_common.h"), "w") as f:
        f.write(HEADER)
    build = os.path.join(root, "build")
    os.makedirs(build, exist_ok=True)
    c_entries, cxx_entries = [], []
    # Small modules of ~90 lines and large ones of ~5,000, the large ones
    # spread through the list.
    for i in range(c_small + c_large):
        large = c_large and i % max(1, (c_small + c_large) // c_large) == 0 \
            and sum(1 for e in c_entries if e["large"]) < c_large
        name = "mod_%03d" % i
        path = os.path.join(src, name + ".c")
        with open(path, "w") as f:
            f.write(c_source(name, 42 if large else 1))
        c_entries.append({"directory": build, "file": path, "large": large,
                          "arguments": ["cc", "-I" + include, "-I" + python_include,
                                        "-O2", "-Wall", "-fPIC", "-c", path,
                                        "-o", name + ".o"]})
    for i in range(cxx):
        name = "bind_%03d" % i
        path = os.path.join(src, name + ".cpp")
        with open(path, "w") as f:
            f.write(PYBIND11_TU.format(n=i))
        cxx_entries.append({"directory": build, "file": path, "large": False,
                            "arguments": ["c++", "-std=c++17", "-I" + python_include,
                                          "-O2", "-Wall", "-fPIC", "-c", path,
                                          "-o", name + ".o"]})
    return c_entries, cxx_entries


def lines_of(entries):
    return sum(sum(1 for _ in open(e["file"])) for e in entries)


# ---------------------------------------------------------------------------
# The comparison.

class Bench:
    def __init__(self, args, scratch):
        self.args = args
        self.scratch = scratch
        self.clang = shutil.which("clang-19") or shutil.which("clang")
        self.clangxx = shutil.which("clang++-19") or shutil.which("clang++")
        self.run_tidy = shutil.which("run-clang-tidy-19") or shutil.which("run-clang-tidy")
        self.tidy = shutil.which("clang-tidy-19") or shutil.which("clang-tidy")
        self.rows = []

    def ftlint(self, build, cache, *extra):
        return [self.args.ftlint, "-p", build, "-q", "--exit-zero", "--no-config",
                "-j", str(self.args.jobs), "--cache-dir", cache] + list(extra)

    def compare(self, label, build, tus, lines, per_tu_memory=False):
        jobs, repeat = self.args.jobs, self.args.repeat
        cache = os.path.join(self.scratch, "cache-" + label)
        clear = lambda: shutil.rmtree(cache, ignore_errors=True)
        cold = best_of(repeat, self.ftlint(build, cache), before=clear)
        warm = best_of(repeat, self.ftlint(build, cache))
        if cold is None or warm is None:
            return None
        entries = load_database(build)
        commands = [syntax_only(e, self.clang, self.clangxx) for e in entries]
        runner = parallel_runner(commands, os.path.join(self.scratch, label + "-clang.txt"), jobs)
        clang = best_of(repeat, runner)
        if clang is None:
            return None
        tidy = None
        if self.run_tidy and self.tidy:
            tidy = best_of(1, [self.run_tidy, "-j", str(jobs), "-p", build, "-quiet",
                               "-clang-tidy-binary", self.tidy,
                               "-checks=-*,bugprone-assert-side-effect"], ok=(0, 1))
        per_tu = None
        if per_tu_memory:
            one = self.ftlint(build, cache, "--no-cache")
            one[one.index("-j") + 1] = "1"
            measured = best_of(1, one)
            per_tu = measured[1] if measured else None
        row = {"set": label, "tus": tus, "lines": lines, "jobs": jobs,
               "ftlint_cold_s": cold[0], "ftlint_warm_s": warm[0], "clang_s": clang[0],
               "clang_tidy_s": tidy[0] if tidy else None,
               "ftlint_cold_mib": cold[1], "ftlint_j1_mib": per_tu, "clang_mib": clang[1],
               "clang_tidy_mib": tidy[1] if tidy else None}
        self.rows.append(row)
        print(format_row(row), flush=True)
        return row

    def total(self, label, rows):
        """A row summing `rows`: each tool's time over all of them, run one set
        after another, and the largest memory of any of them."""
        def summed(key):
            values = [r[key] for r in rows]
            return None if any(v is None for v in values) else sum(values)

        def largest(key):
            values = [r[key] for r in rows if r[key] is not None]
            return max(values) if values else None

        row = {"set": label, "tus": sum(r["tus"] for r in rows), "lines": sum(r["lines"] for r in rows),
               "jobs": self.args.jobs}
        for key in ("ftlint_cold_s", "ftlint_warm_s", "clang_s", "clang_tidy_s"):
            row[key] = summed(key)
        for key in ("ftlint_cold_mib", "ftlint_j1_mib", "clang_mib", "clang_tidy_mib"):
            row[key] = largest(key)
        self.rows.append(row)
        print(format_row(row), flush=True)
        return row


def fmt_s(v):
    return "—" if v is None else "%.2f" % v


def fmt_mib(v):
    return "—" if v is None else "%.0f" % v


def format_row(r):
    ratio = r["ftlint_cold_s"] / r["clang_s"] if r["clang_s"] else float("nan")
    warm = r["ftlint_warm_s"] / r["ftlint_cold_s"] if r["ftlint_cold_s"] else float("nan")
    return ("| %s | %d | %d | %s | %s | %s | %s | **%.2f×** | %.3f× | %s | %s | %s | %s |" % (
        r["set"], r["tus"], r["lines"], fmt_s(r["ftlint_cold_s"]), fmt_s(r["ftlint_warm_s"]),
        fmt_s(r["clang_s"]), fmt_s(r["clang_tidy_s"]), ratio, warm,
        fmt_mib(r["ftlint_cold_mib"]), fmt_mib(r["ftlint_j1_mib"]), fmt_mib(r["clang_mib"]),
        fmt_mib(r["clang_tidy_mib"])))


TABLE_HEAD = (
    "| set | TUs | lines | ftlint cold s | ftlint warm s | clang -fsyntax-only s | clang-tidy s "
    "| cold/clang | warm/cold | ftlint MiB (-jN) | ftlint MiB (-j1) | clang MiB/TU | clang-tidy MiB/TU |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def python_include(python):
    out = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def pybind11_usable(clangxx, include, scratch):
    probe = os.path.join(scratch, "probe.cpp")
    with open(probe, "w") as f:
        f.write("#include <pybind11/pybind11.h>\nint main() { return 0; }\n")
    return subprocess.run([clangxx, "-std=c++17", "-fsyntax-only", "-I" + include, probe],
                          capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ftlint", default=os.path.join(ROOT, "build", "ftlint"))
    parser.add_argument("--python", default="python3", help="whose headers the generated project uses")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--c-small", type=int, default=130)
    parser.add_argument("--c-large", type=int, default=20)
    parser.add_argument("--pybind11", type=int, default=50)
    parser.add_argument("--corpus", default=os.environ.get("FTLINT_CORPUS", ""))
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()
    args.ftlint = os.path.abspath(args.ftlint)
    if not os.access(args.ftlint, os.X_OK):
        sys.exit("benchmark: %s: no ftlint binary (build it first)" % args.ftlint)

    scratch = tempfile.mkdtemp(prefix="ftlint-bench-")
    bench = Bench(args, scratch)
    if not bench.clang or not bench.clangxx:
        sys.exit("benchmark: clang-19 / clang++-19 not found")
    version = subprocess.run([args.ftlint, "--version"], capture_output=True, text=True).stdout.strip()
    include = python_include(args.python)
    header = ("%s, %s, %d jobs on %d cores, best of %d runs; Python headers %s" %
              (version, os.path.basename(bench.clang), args.jobs, os.cpu_count() or 0,
               args.repeat, include))
    print(header)
    print()
    print(TABLE_HEAD, flush=True)
    try:
        # The demo.
        demo_build = os.path.join(scratch, "demo-build")
        subprocess.run(["cmake", "-S", os.path.join(ROOT, "testdata", "demo"), "-B", demo_build,
                        "-DPython3_EXECUTABLE=" + shutil.which(args.python)],
                       check=True, capture_output=True)
        demo = load_database(demo_build)
        bench.compare("demo", demo_build, len(demo), lines_of(demo))

        # The generated project, by language.
        c_entries, cxx_entries = generate(os.path.join(scratch, "gen"), include,
                                          args.c_small, args.c_large, args.pybind11)
        strip = lambda es: [{k: v for k, v in e.items() if k != "large"} for e in es]
        c_build = write_database(os.path.join(scratch, "gen-c"), strip(c_entries))
        bench.compare("generated C", c_build, len(c_entries), lines_of(c_entries), per_tu_memory=True)
        if cxx_entries and pybind11_usable(bench.clangxx, include, scratch):
            cxx_build = write_database(os.path.join(scratch, "gen-cxx"), strip(cxx_entries))
            bench.compare("generated pybind11", cxx_build, len(cxx_entries), lines_of(cxx_entries),
                          per_tu_memory=True)
        elif cxx_entries:
            print("benchmark: pybind11 headers not found; the pybind11 set is left out", file=sys.stderr)

        # Linear growth: the same kind of TUs, more of them.
        for n in (len(c_entries) // 3, 2 * len(c_entries) // 3):
            part = write_database(os.path.join(scratch, "gen-c-%d" % n), strip(c_entries[:n]))
            bench.compare("generated C, first %d" % n, part, n, lines_of(c_entries[:n]))

        # The development corpus, when present, set by set and as a whole.
        corpus_rows = []
        for root in filter(None, args.corpus.split(os.pathsep)):
            if not os.path.isdir(root):
                print("benchmark: %s: no such corpus directory" % root, file=sys.stderr)
                continue
            for name in sorted(os.listdir(root)):
                build = os.path.join(root, name)
                if os.path.isfile(os.path.join(build, "compile_commands.json")):
                    entries = load_database(build)
                    row = bench.compare("corpus " + name, build, len(entries), lines_of(
                        [dict(e, file=os.path.join(e["directory"], e["file"])) for e in entries]))
                    if row:
                        corpus_rows.append(row)
        if len(corpus_rows) > 1:
            bench.total("corpus, all %d sets" % len(corpus_rows), corpus_rows)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(header + "\n\n" + TABLE_HEAD + "\n")
            for r in bench.rows:
                f.write(format_row(r) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
