"""Hold the strong-reference APIs to their documented contract: the
replacements in ref_compat.h on 3.9-3.12 and the interpreter's own functions on
3.13+, through the wrappers in ref_compat_check.c.  Passing on every version
means code rewritten to these APIs behaves the same everywhere.

Run through ci/fixproof.py with ref_compat_check.c as both the original and
the fixed source:

    python3 ci/fixproof.py --python PYTHON \\
        --original testdata/fixproof/ref_compat_check.c \\
        --fixed testdata/fixproof/ref_compat_check.c \\
        --test testdata/fixproof/ref_compat_check_test.py

or directly with the built module importable.  Writes the same kind of JSON
document as ownership_test.py (to argv[1], or stdout); a broken expectation
or a reference-count drift is printed to stderr and makes the exit status 1.
"""

import array
import gc
import itertools
import json
import os
import sys
import weakref

import ref_compat_check as rc

N = 1000


class Obj:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Obj(%r)" % (self.name,)


class HashError(Exception):
    pass


class EqError(Exception):
    pass


class BadHash:
    def __hash__(self):
        raise HashError("__hash__ refused")


class BadEq:
    def __init__(self, hash_value):
        self.hash_value = hash_value

    def __hash__(self):
        return self.hash_value

    def __eq__(self, other):
        raise EqError("__eq__ refused")


class ListSub(list):
    pass


class DictSub(dict):
    def __missing__(self, key):
        return "from __missing__"


failures = []
outcomes = {}
refcount_problems = []


def run(func, *args):
    try:
        return ("returns", func(*args))
    except Exception as exc:
        return ("raises", type(exc), str(exc))


def expect(label, func, args, expected, check_refs=True):
    """Call func(*args); expected is ("returns", value) compared with ==
    (and `is` for the objects the API hands back), or ("raises", type)."""
    got = run(func, *args)
    if got[0] == "raises":
        shown = ["raises", got[1].__name__]
    else:
        shown = ["returns", repr(got[1])]
    outcomes[label] = shown
    if expected[0] == "raises":
        ok = got[0] == "raises" and got[1] is expected[1]
    else:
        ok = got[0] == "returns" and same(got[1], expected[1])
    if not ok:
        failures.append("%s: expected %s, got %s" % (
            label, describe(expected), describe(got)))
    if check_refs:
        check_refcounts(label, func, args)


def same(got, want):
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(got) == len(want) and all(
            same(g, w) for g, w in zip(got, want))
    if isinstance(want, (Obj, type(sys))):
        return got is want
    return type(got) is type(want) and got == want


def describe(outcome):
    if outcome[0] == "raises":
        return "raises %s" % ": ".join(
            [outcome[1].__name__] + list(outcome[2:3]))
    return "returns %r" % (outcome[1],)


def check_refcounts(label, func, args, extra=()):
    objects = []
    seen = set()
    for arg in list(args) + list(extra):
        for obj in [arg] + (list(arg) if isinstance(arg, (list, tuple)) else
                            list(arg.keys()) + list(arg.values())
                            if isinstance(arg, dict) else []):
            if id(obj) not in seen and sys.getrefcount(obj) < (1 << 29):
                seen.add(id(obj))
                objects.append(obj)
    # Not range(): a loop variable left holding a small int would change the
    # reference count of an int that may be among the tracked objects.
    for _ in itertools.repeat(None, 3):
        run(func, *args)
    gc.collect()
    # A C array, so that the stored counts hold no references to small ints.
    before = array.array("q", (sys.getrefcount(obj) for obj in objects))
    for _ in itertools.repeat(None, N):
        run(func, *args)
    gc.collect()
    after = array.array("q", (sys.getrefcount(obj) for obj in objects))
    for obj, b, a in zip(objects, before, after):
        if a != b:
            message = "%s of %r: reference count changed by %+d over %d calls" \
                % ("leak" if a > b else "over-release", obj, a - b, N)
            refcount_problems.append({"call": label, "message": message})


def main():
    a, b, d = Obj("a"), Obj("b"), Obj("default")

    # PyList_GetItemRef
    lst = [a, b]
    expect("list: item 0", rc.list_get_item_ref, (lst, 0), ("returns", a))
    expect("list: item 1", rc.list_get_item_ref, (lst, 1), ("returns", b))
    expect("list: index 2", rc.list_get_item_ref, (lst, 2),
           ("raises", IndexError))
    expect("list: index -1", rc.list_get_item_ref, (lst, -1),
           ("raises", IndexError))
    expect("list: subclass", rc.list_get_item_ref, (ListSub([a]), 0),
           ("returns", a))
    expect("list: tuple", rc.list_get_item_ref, ((a,), 0),
           ("raises", TypeError))
    expect("list: None", rc.list_get_item_ref, (None, 0),
           ("raises", TypeError))

    # PyDict_GetItemRef
    dct = {"k": a, 7: b}
    expect("dict: present", rc.dict_get_item_ref, (dct, "k"),
           ("returns", (1, a)))
    expect("dict: equal key", rc.dict_get_item_ref, (dct, 7.0),
           ("returns", (1, b)))
    expect("dict: missing", rc.dict_get_item_ref, (dct, "zz"),
           ("returns", (0, None)))
    expect("dict: subclass ignores __missing__", rc.dict_get_item_ref,
           (DictSub(), "zz"), ("returns", (0, None)))
    expect("dict: __hash__ raises", rc.dict_get_item_ref, (dct, BadHash()),
           ("raises", HashError))
    expect("dict: __eq__ raises", rc.dict_get_item_ref, (dct, BadEq(7)),
           ("raises", EqError))
    expect("dict: unhashable", rc.dict_get_item_ref, (dct, []),
           ("raises", TypeError))
    expect("dict: list", rc.dict_get_item_ref, ([1], 0),
           ("raises", SystemError))

    # PyDict_GetItemStringRef
    sdct = {"k": a, "caf\u00e9": b}
    expect("dict str: present", rc.dict_get_item_string_ref, (sdct, b"k"),
           ("returns", (1, a)))
    expect("dict str: UTF-8", rc.dict_get_item_string_ref,
           (sdct, "caf\u00e9".encode()), ("returns", (1, b)))
    expect("dict str: missing", rc.dict_get_item_string_ref, (sdct, b"zz"),
           ("returns", (0, None)))
    expect("dict str: invalid UTF-8", rc.dict_get_item_string_ref,
           (sdct, b"\xff"), ("raises", UnicodeDecodeError))
    expect("dict str: list", rc.dict_get_item_string_ref, ([1], b"k"),
           ("raises", SystemError))

    # PyDict_SetDefaultRef: 0 when it inserted, 1 when the key was there.
    for want in (True, False):
        suffix = "" if want else ", result NULL"
        fresh = {}
        expect("setdefault: absent" + suffix, rc.dict_setdefault_ref,
               (fresh, "k", d, want), ("returns", (0, d if want else None)),
               check_refs=False)
        if fresh != {"k": d} or fresh["k"] is not d:
            failures.append("setdefault: absent%s: dict is %r afterwards"
                            % (suffix, fresh))
        expect("setdefault: present" + suffix, rc.dict_setdefault_ref,
               ({"k": a}, "k", d, want),
               ("returns", (1, a if want else None)))
        expect("setdefault: present, value is the default" + suffix,
               rc.dict_setdefault_ref, ({"k": d}, "k", d, want),
               ("returns", (1, d if want else None)))
        expect("setdefault: __hash__ raises" + suffix, rc.dict_setdefault_ref,
               ({}, BadHash(), d, want), ("raises", HashError))
        expect("setdefault: __eq__ raises" + suffix, rc.dict_setdefault_ref,
               ({7: a}, BadEq(7), d, want), ("raises", EqError))
        expect("setdefault: list" + suffix, rc.dict_setdefault_ref,
               ([], "k", d, want), ("raises", SystemError))
    grow = {}
    check_refcounts("setdefault: repeated on one dict", rc.dict_setdefault_ref,
                    (grow, "k", d, True))

    # PyImport_AddModuleRef
    expect("import: sys", rc.import_add_module_ref, (b"sys",),
           ("returns", sys))
    check_refcounts("import: sys module", rc.import_add_module_ref,
                    (b"sys",), extra=(sys,))
    sys.modules.pop("ref_compat_fresh", None)
    got = run(rc.import_add_module_ref, b"ref_compat_fresh")
    created = sys.modules.get("ref_compat_fresh")
    outcomes["import: fresh"] = ["returns", repr(got[1])]
    if got[0] != "returns" or got[1] is not created or \
            type(created) is not type(sys):
        failures.append("import: fresh: expected the new module in "
                        "sys.modules, got %s" % describe(got))
    check_refcounts("import: fresh", rc.import_add_module_ref,
                    (b"ref_compat_fresh",), extra=(created,))
    expect("import: fresh again", rc.import_add_module_ref,
           (b"ref_compat_fresh",), ("returns", created), check_refs=False)
    sys.modules.pop("ref_compat_fresh", None)

    # PyWeakref_GetRef
    target = Obj("target")
    ref = weakref.ref(target)
    proxy = weakref.proxy(target)
    expect("weakref: alive", rc.weakref_get_ref, (ref,),
           ("returns", (1, target)))
    expect("weakref: proxy", rc.weakref_get_ref, (proxy,),
           ("returns", (1, target)))
    del target
    gc.collect()
    expect("weakref: dead", rc.weakref_get_ref, (ref,), ("returns", (0, None)))
    expect("weakref: not a weakref", rc.weakref_get_ref, (a,),
           ("raises", TypeError))

    # Py_NewRef, Py_XNewRef and the critical-section macros
    expect("new refs", rc.new_refs, (a,), ("returns", (a, a)))
    expect("critical sections", rc.critical_sections, (a, b),
           ("returns", (b, a)))

    document = {
        "python": sys.version.split()[0],
        "calls": len(outcomes),
        "outcomes": outcomes,
        "refcount_problems": refcount_problems,
        "info": {"module_file": os.path.abspath(rc.__file__),
                 "failures": failures},
    }
    text = json.dumps(document, indent=1, sort_keys=True) + "\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    for line in failures + ["%s: %s" % (p["call"], p["message"])
                            for p in refcount_problems]:
        sys.stderr.write(line + "\n")
    return 1 if failures or refcount_problems else 0


if __name__ == "__main__":
    sys.exit(main())
