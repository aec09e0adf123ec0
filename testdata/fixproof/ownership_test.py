"""Record what every function of the `ownership` extension does, and check
that none of them leaks or over-releases a reference.

Run as `python ownership_test.py [OUTPUT.json]` with the built module
importable as `ownership`.  The JSON document (written to OUTPUT.json, or to
stdout) has:

  outcomes          {"function: case": outcome}; an outcome is
                    ["returns", repr of the result, where] or
                    ["raises", type name, message], plus the repr of the
                    arguments after the call, since a function may change
                    them.  This part must be identical for the original
                    module and for a rewritten one.
  refcount_problems one entry per object whose reference count drifted while
                    a case was repeated (or per case that left new objects
                    allocated), each with a readable "message"; any entry
                    makes the exit status 1.
  info              things that may legitimately differ between builds (the
                    module's file, how many unraisable exceptions the
                    interpreter reported).

Two differences between the borrowed and the strong-reference APIs are
allowed and recorded accordingly:

* A container of the wrong type makes PyList_GetItem raise SystemError but
  PyList_GetItemRef raise TypeError.  Cases marked wrong_type therefore record
  only that something was raised, never what.  Whether an exception is raised
  at all is still compared: PyDict_GetItem on a non-dict raises nothing.
* PyDict_GetItem and PyDict_GetItemString swallow errors from a key's __hash__
  or __eq__ (and report a non-dict as a missing key).  A rewrite must keep
  doing so, by clearing the error when the strong-reference call returns -1,
  and the outcomes check that it does.  But 3.13 also reports failed hashes
  through sys.unraisablehook, which the rewrite no longer triggers, so the
  hook installed here only counts those reports, under info.

Setting FIXPROOF_TRACE=1 prints each case's name to stderr before it runs, so
that a crash can be pinned to a case.
"""

import array
import collections
import faulthandler
import gc
import itertools
import json
import os
import sys
import weakref

import ownership

N = 1000
TRACE = bool(os.environ.get("FIXPROOF_TRACE"))

faulthandler.enable()

unraisable_reports = 0
largest_block_change = 0  # the allocator noise that stayed below the limit


def count_unraisable(unraisable):
    global unraisable_reports
    unraisable_reports += 1


sys.unraisablehook = count_unraisable


# ---------------------------------------------------------------------------
# Objects with deterministic reprs and deliberately failing special methods.

class Item:
    """A fresh, mortal object with a stable repr."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Item(%r)" % (self.name,)

    def __str__(self):
        return "<%s>" % (self.name,)


class HashError(Exception):
    pass


class EqError(Exception):
    pass


class ReprError(Exception):
    pass


class BoolError(Exception):
    pass


class AddError(Exception):
    pass


class BadHash:
    """A key whose __hash__ raises."""

    def __hash__(self):
        raise HashError("__hash__ refused")

    def __repr__(self):
        return "BadHash()"


class BadEq:
    """A key with a chosen hash whose __eq__ raises.  Give it the hash of a
    key already in the dict and the lookup has to compare them."""

    def __init__(self, hash_value, label=None):
        self.hash_value = hash_value
        # str hashes vary between runs; the label keeps the repr stable.
        self.label = label if label is not None else str(hash_value)

    def __hash__(self):
        return self.hash_value

    def __eq__(self, other):
        raise EqError("__eq__ refused")

    def __repr__(self):
        return "BadEq(%s)" % (self.label,)


class BadRepr:
    def __repr__(self):
        raise ReprError("__repr__ refused")

    def __str__(self):
        raise ReprError("__str__ refused")


class BadBool:
    def __bool__(self):
        raise BoolError("__bool__ refused")

    def __repr__(self):
        return "BadBool()"


class BadAdd(int):
    """An int whose reflected addition raises; int + BadAdd calls it first."""

    def __radd__(self, other):
        raise AddError("__radd__ refused")

    def __repr__(self):
        return "BadAdd(%d)" % (int(self),)


class MyInt(int):
    def __repr__(self):
        return "MyInt(%d)" % (int(self),)


class MyStr(str):
    """Unlike "" and one-character or interned strs, which are shared and
    on some versions immortal, an instance is a mortal str of its own."""

    def __repr__(self):
        return "MyStr(%s)" % (str.__repr__(self),)


class ShrinkOnEq:
    """Empties the list it lives in when compared, freeing the other items
    while the C code is still looping over it: its next lookup fails."""

    def __init__(self, victim):
        self.victim = victim

    def __eq__(self, other):
        del self.victim[:]
        return False

    __hash__ = None

    def __repr__(self):
        return "ShrinkOnEq()"


class ListSub(list):
    """The C API ignores Python-level overrides on list subclasses."""

    def __getitem__(self, index):
        raise AssertionError("C code must not call __getitem__")

    def __repr__(self):
        return "ListSub(%s)" % (list.__repr__(self),)


class DictSub(dict):
    def __missing__(self, key):
        return "from __missing__"

    def __getitem__(self, key):
        raise AssertionError("C code must not call __getitem__")

    def __repr__(self):
        return "DictSub(%s)" % (dict.__repr__(self),)


def ephemeral_instance():
    """An instance of a class that nothing but the instance references."""
    cls = type("Ephemeral", (), {"__repr__": lambda self: "Ephemeral()"})
    return cls()


def shrinking_list():
    items = [Item("a"), Item("b"), Item("c")]
    items.insert(1, ShrinkOnEq(items))
    return items


BIG = 10 ** 20  # not a cached small int, so its reference count is its own

# Leaks of immortal objects (None, True, small ints, "" and interned strs on
# 3.12+; static strs on 3.11) cannot be seen, so every path of every function
# is also taken with an item that is a mortal object of its own.


# ---------------------------------------------------------------------------
# The cases.  make_args builds fresh arguments on every call, so the recorded
# call and the repeated calls of the reference-count check never see each
# other's changes.

Case = collections.namedtuple(
    "Case", "func label make_args wrong_type extra cleanup")
CASES = []


def case(func, label, make_args, wrong_type=False, extra=None, cleanup=None):
    """Register func(*make_args()).

    wrong_type: the container has the wrong type, so only whether the call
    raises is compared (the strong-reference APIs raise other types).
    extra(args): objects beyond the arguments whose reference counts must
    also stay stable (e.g. a module in sys.modules).
    cleanup(): undo global state the call created."""
    CASES.append(Case(func, label, make_args, wrong_type, extra, cleanup))


m = ownership

for f in (m.list_first_repr, m.list_first):
    case(f, "two items", lambda: ([Item("a"), Item("b")],))
    case(f, "None item", lambda: ([None, Item("b")],))
    case(f, "big int", lambda: ([BIG + 1],))
    case(f, "empty list", lambda: ([],))
    case(f, "list subclass", lambda: (ListSub([Item("s")]),))
    case(f, "tuple", lambda: ((Item("t"),),), wrong_type=True)
    case(f, "dict", lambda: ({0: Item("d")},), wrong_type=True)
    case(f, "None", lambda: (None,), wrong_type=True)
case(m.list_first_repr, "failing repr", lambda: ([BadRepr()],))


def double_items():
    return [21, None, Item("x"), 2 ** 61, 2 ** 70, MyInt(5), -4, True,
            10 ** 6, MyStr("s")]


for index in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1):
    case(m.list_item_double, "index %d" % index,
         lambda index=index: (double_items(), index))
case(m.list_item_double, "index not an int", lambda: (double_items(), "0"))
case(m.list_item_double, "tuple", lambda: ((1, 2), 0), wrong_type=True)


def pair_items():
    return [Item("a"), Item("b"), 3, 3.0, BadRepr(), BadEq(1)]


for i, j in ((0, 1), (1, 1), (2, 3), (0, 9), (9, 0), (4, 0), (0, 4), (5, 0),
             (0, 5), (-1, 0)):
    case(m.list_pair_compare, "items %d,%d" % (i, j),
         lambda i=i, j=j: (pair_items(), i, j))
case(m.list_pair_compare, "dict", lambda: ({0: 1, 1: 2}, 0, 1),
     wrong_type=True)

for label, make in (
        ("ints", lambda: [1, 2, 3]),
        ("skips other numbers", lambda: [1, 2.5, 3j, BIG, 3]),
        ("stops at None", lambda: [1, None, 5]),
        ("stops at an object", lambda: [BIG, Item("stop"), 5]),
        ("stops at a str", lambda: [1, MyStr("x"), 5]),
        ("None first", lambda: [None, 1]),
        ("empty", lambda: []),
        ("big ints and bools", lambda: [BIG, BIG, True, MyInt(7)]),
        ("failing addition", lambda: [1, BadAdd(2), 3]),
        ("failing addition after the stop", lambda: [1, None, BadAdd(2)]),
        ("list subclass", lambda: ListSub([4, 5])),
):
    case(m.list_sum_ints, label, lambda make=make: (make(),))
case(m.list_sum_ints, "tuple", lambda: ((1, 2),), wrong_type=True)
case(m.list_sum_ints, "str", lambda: ("abc",), wrong_type=True)

for label, make in (
        ("equal by value", lambda: ([1, 2, 3], 3.0)),
        ("identical item", lambda: ([Item("a"), BIG, Item("c")], BIG)),
        ("absent", lambda: ([1, 2, 3], 9)),
        ("empty", lambda: ([], 1)),
        ("failing __eq__", lambda: ([1, BadEq(5), 3], 3)),
        ("failing __eq__ after match", lambda: ([1, 3, BadEq(5)], 3)),
        ("__eq__ empties the list", lambda: (shrinking_list(), Item("z"))),
):
    case(m.list_index_of, label, make)
case(m.list_index_of, "tuple", lambda: ((1, 2), 2), wrong_type=True)
case(m.list_index_of, "one argument", lambda: ([1],))


def describe_items():
    return [7, 0, "", "abc", None, Item("q"), True, 2.5, ephemeral_instance(),
            MyInt(0), BIG, MyStr(""), MyStr("abc")]


for index in list(range(13)) + [13, -1]:
    case(m.list_describe, "index %d" % index,
         lambda index=index: (describe_items(), index))
case(m.list_describe, "tuple", lambda: (("x",), 0), wrong_type=True)


def take_items():
    return [Item("t"), BadBool(), 0, BIG]


for index, take in ((0, True), (0, False), (1, True), (1, False), (2, False),
                    (3, True), (4, True), (4, False)):
    case(m.list_take_or_peek, "index %d take %s" % (index, take),
         lambda index=index, take=take: (take_items(), index, take))
case(m.list_take_or_peek, "tuple", lambda: ((1,), 0, True), wrong_type=True)

for f in (m.list_swap_pair, m.list_reversed, m.list_last):
    case(f, "empty", lambda: ([],))
    case(f, "one item", lambda: ([Item("a")],))
    case(f, "two items", lambda: ([Item("a"), Item("b")],))
    case(f, "three items", lambda: ([Item("a"), None, BIG],))
    case(f, "repeated item", lambda: ([BIG] * 3,))
    case(f, "list subclass", lambda: (ListSub([Item("x"), Item("y")]),))
    case(f, "tuple", lambda: ((Item("a"), Item("b")),), wrong_type=True)
    case(f, "None", lambda: (None,), wrong_type=True)


def lookup_dict():
    return {"a": Item("A"), 7: Item("seven"), BIG: BIG + 1, None: "none"}


LOOKUP_KEYS = (
    ("present str key", lambda: "a"),
    ("present int key", lambda: 7),
    ("present None key", lambda: None),
    ("present big key", lambda: BIG),
    ("equal float key", lambda: 7.0),
    ("missing key", lambda: "zz"),
    ("__hash__ raises", BadHash),
    ("__eq__ raises on collision", lambda: BadEq(7)),
    ("__eq__ raises without collision", lambda: BadEq(12345)),
    ("unhashable key", lambda: []),
)
for label, key in LOOKUP_KEYS:
    case(m.dict_get_or, label,
         lambda key=key: (lookup_dict(), key(), Item("default")))
    case(m.dict_get_or_none, label, lambda key=key: (lookup_dict(), key()))
    case(m.dict_get_or_fallback_repr, label,
         lambda key=key: (lookup_dict(), key(), Item("fallback")))
    case(m.dict_lookup_repr, label, lambda key=key: (lookup_dict(), key()))
for f, extra_args in ((m.dict_get_or, (Item("default"),)),
                      (m.dict_get_or_none, ()),
                      (m.dict_lookup_repr, ())):
    case(f, "dict subclass, present",
         lambda extra_args=extra_args: (DictSub(a=1), "a") + extra_args)
    case(f, "dict subclass, missing",
         lambda extra_args=extra_args: (DictSub(a=1), "b") + extra_args)
    case(f, "list", lambda extra_args=extra_args: ([1], 0) + extra_args,
         wrong_type=True)
    case(f, "None", lambda extra_args=extra_args: (None, "a") + extra_args,
         wrong_type=True)
case(m.dict_get_or, "two arguments", lambda: ({}, 1))

for label, make in (
        ("existing int", lambda: ({"n": 41}, "n")),
        ("existing big int", lambda: ({"n": BIG}, "n")),
        ("new key", lambda: ({"n": 41}, "m")),
        ("float value", lambda: ({"n": 1.5}, "n")),
        ("value without addition", lambda: ({"n": Item("x")}, "n")),
        ("failing __radd__ value", lambda: ({"n": BadAdd(1)}, "n")),
        ("__hash__ raises", lambda: ({"n": 1}, BadHash())),
        ("__eq__ raises", lambda: ({7: 1}, BadEq(7))),
        ("unhashable key", lambda: ({"n": 1}, [])),
):
    case(m.dict_increment, label, make)
case(m.dict_increment, "list", lambda: ([1], 0), wrong_type=True)


def sum_dict():
    return {"a": 10 ** 6 + 1, "b": BIG, "s": Item("s"), 7: 2.5}


for k1, k2 in (("a", "b"), ("b", "b"), ("a", 7), ("a", "s"), ("a", "zz"),
               ("zz", "a"), ("zz", "yy")):
    case(m.dict_sum_two, "%r + %r" % (k1, k2),
         lambda k1=k1, k2=k2: (sum_dict(), k1, k2))
case(m.dict_sum_two, "first key __hash__ raises",
     lambda: (sum_dict(), BadHash(), "a"))
case(m.dict_sum_two, "second key __eq__ raises",
     lambda: (sum_dict(), "a", BadEq(7)))
case(m.dict_sum_two, "list", lambda: ([1, 2], 0, 1), wrong_type=True)


def string_dict():
    return {"a": Item("A"), "caf\u00e9": Item("cafe"), "": BIG, 5: "five"}


def colliding_string_dict():
    """A dict holding a BadEq key with the hash of "name", so looking up
    "name" has to call the failing __eq__."""
    return {BadEq(hash("name"), "hash('name')"): 1, "other": 2}


for label, make in (
        ("present", lambda: (string_dict(), "a")),
        ("non-ASCII name", lambda: (string_dict(), "caf\u00e9")),
        ("empty name", lambda: (string_dict(), "")),
        ("missing", lambda: (string_dict(), "b")),
        ("__eq__ raises on collision", lambda: (colliding_string_dict(),
                                                "name")),
        ("dict subclass", lambda: (DictSub(a=1), "a")),
        ("name with NUL", lambda: (string_dict(), "a\0b")),
        ("name not a str", lambda: (string_dict(), 5)),
):
    case(m.dict_get_string, label, make)
case(m.dict_get_string, "list", lambda: ([1], "a"), wrong_type=True)
case(m.dict_get_string, "None", lambda: (None, "a"), wrong_type=True)

for label, make in (
        ("absent key", lambda: ({}, "k", Item("default"))),
        ("present key", lambda: ({"k": Item("v")}, "k", Item("default"))),
        ("present, default identical", lambda: ({"k": BIG}, "k", BIG)),
        ("None default", lambda: ({}, "k", None)),
        ("__hash__ raises", lambda: ({}, BadHash(), Item("default"))),
        ("__eq__ raises", lambda: ({7: 1}, BadEq(7), Item("default"))),
        ("unhashable key", lambda: ({}, [], Item("default"))),
        ("dict subclass", lambda: (DictSub(), "k", Item("default"))),
):
    case(m.dict_setdefault, label, make)
case(m.dict_setdefault, "list", lambda: ([], 0, 1), wrong_type=True)

for label, make in (
        ("new group", lambda: ({}, "g", Item("x"))),
        ("existing group", lambda: ({"g": [Item("y")]}, "g", Item("x"))),
        ("existing group of another type", lambda: ({"g": 5}, "g",
                                                    Item("x"))),
        ("__hash__ raises", lambda: ({}, BadHash(), Item("x"))),
        ("__eq__ raises", lambda: ({7: []}, BadEq(7), Item("x"))),
):
    case(m.dict_group_append, label, make)
case(m.dict_group_append, "list", lambda: ([], "g", 1), wrong_type=True)

FRESH_MODULES = ("fixproof_fresh_a", "fixproof_fresh_b", "fixproof_fresh_c",
                 "fixproof_not_a_module")


def forget_fresh_modules():
    for name in FRESH_MODULES:
        sys.modules.pop(name, None)


def module_named(name):
    return lambda args: [sys.modules[name]] if name in sys.modules else []


def not_a_module():
    sys.modules["fixproof_not_a_module"] = ("not", "a", "module")
    return ("fixproof_not_a_module",)


for f, make_args in (
        (m.import_module_name, lambda name: (name,)),
        (m.module_attr, lambda name: (name, "__name__")),
):
    for name in ("sys", "os.path", "json", "fixproof_fresh_a"):
        case(f, name, lambda make_args=make_args, name=name: make_args(name),
             extra=module_named(name), cleanup=forget_fresh_modules)
    case(f, "not a module in sys.modules",
         lambda make_args=make_args: make_args(not_a_module()[0]),
         extra=module_named("fixproof_not_a_module"),
         cleanup=forget_fresh_modules)
case(m.import_module_name, "name not a str", lambda: (b"sys",))
case(m.import_module_name, "name with NUL", lambda: ("sys\0x",))
case(m.module_attr, "sys.maxsize", lambda: ("sys", "maxsize"),
     extra=module_named("sys"))
case(m.module_attr, "missing attribute", lambda: ("json", "no_such_name"),
     extra=module_named("json"))
case(m.module_attr, "missing attribute of a fresh module",
     lambda: ("fixproof_fresh_b", "x"), extra=module_named("fixproof_fresh_b"),
     cleanup=forget_fresh_modules)


# Referents kept alive by the module, so that their weak references stay live.
ALIVE = Item("alive")
ALIVE_BAD_REPR = BadRepr()


def dead_ref():
    referent = Item("gone")
    ref = weakref.ref(referent)
    del referent
    return ref


for f in (m.weakref_repr, m.weakref_target):
    case(f, "alive", lambda: (weakref.ref(ALIVE),), extra=lambda args: [ALIVE])
    case(f, "alive, failing repr", lambda: (weakref.ref(ALIVE_BAD_REPR),),
         extra=lambda args: [ALIVE_BAD_REPR])
    case(f, "proxy", lambda: (weakref.proxy(ALIVE),),
         extra=lambda args: [ALIVE])
    case(f, "dead", lambda: (dead_ref(),))
    # A non-weakref raises SystemError before the rewrite, TypeError after.
    case(f, "not a weakref", lambda: (Item("strong"),), wrong_type=True)
    case(f, "None", lambda: (None,), wrong_type=True)


# ---------------------------------------------------------------------------
# Recording.

def children(obj):
    """The references a container holds, one entry per slot."""
    if isinstance(obj, (list, tuple)):
        return list(obj)
    if isinstance(obj, dict):
        return list(obj.keys()) + list(obj.values())
    return []


def reachable(roots):
    """Every object reachable from roots through lists, tuples and dicts,
    with the number of container slots referring to each (by id)."""
    seen = {}
    held = collections.Counter()
    stack = list(roots)
    for obj in roots:
        seen.setdefault(id(obj), obj)
    while stack:
        obj = stack.pop()
        for child in children(obj):
            held[id(child)] += 1
            if id(child) not in seen:
                seen[id(child)] = child
                stack.append(child)
    return seen, held


def where(result, args):
    """Where in the arguments the returned object came from, if anywhere:
    a rewrite must hand back the same object, not an equal copy."""
    for i, arg in enumerate(args):
        if result is arg:
            return "args[%d]" % i
        if isinstance(arg, (list, tuple)):
            for j, item in enumerate(arg):
                if result is item:
                    return "args[%d][%d]" % (i, j)
        if isinstance(arg, dict):
            for key, value in arg.items():
                if result is value:
                    return "args[%d][%r]" % (i, key)
                if result is key:
                    return "key of args[%d]" % i
    if isinstance(result, (tuple, list)):
        inner = [where(item, args) for item in result]
        if any(inner):
            return inner
    return None


def show(obj, depth=0):
    """repr that recurses into containers itself, so that one element whose
    __repr__ raises (on purpose) does not hide the rest."""
    if depth < 4:
        if isinstance(obj, list):
            inner = "[%s]" % ", ".join(show(x, depth + 1) for x in obj)
            return inner if type(obj) is list else "%s(%s)" % (
                type(obj).__name__, inner)
        if isinstance(obj, tuple):
            inner = ", ".join(show(x, depth + 1) for x in obj)
            return "(%s%s)" % (inner, "," if len(obj) == 1 else "")
        if isinstance(obj, dict):
            inner = "{%s}" % ", ".join(
                "%s: %s" % (show(k, depth + 1), show(v, depth + 1))
                for k, v in obj.items())
            return inner if type(obj) is dict else "%s(%s)" % (
                type(obj).__name__, inner)
    # Weak references print addresses; show what they point to instead.
    if type(obj) is weakref.ref:
        target = obj()
        return "weakref(%s)" % ("dead" if target is None else show(target, depth + 1))
    if type(obj) in (weakref.ProxyType, weakref.CallableProxyType):
        return "weakproxy"
    return safe_repr(obj)


def call_outcome(c):
    args = c.make_args()
    try:
        result = c.func(*args)
    except Exception as exc:
        if c.wrong_type:
            raised = ["raises"]
        else:
            raised = ["raises", type(exc).__name__, str(exc)]
        return {"outcome": raised, "args_after": show(args)}
    return {"outcome": ["returns", show(result), where(result, args)],
            "args_after": show(args)}


def is_immortal(obj):
    # 3.12+ gives some objects a huge constant reference count.
    return sys.getrefcount(obj) > (1 << 29)


def repeat(func, args, times):
    # Not range(): a loop variable left holding a small int would change the
    # reference count of an int that may be among the tracked objects.
    for _ in itertools.repeat(None, times):
        try:
            func(*args)
        except Exception:
            pass


def refcount_check(c):
    """Repeat the call N times and compare every involved object's reference
    count before and after.  References that the arguments' containers gained
    or lost during the calls (setdefault inserting, a counter replacing its
    value, a group growing) are expected and subtracted."""
    args = c.make_args()
    warm = []
    for _ in itertools.repeat(None, 3):
        # A few calls first, so that one-time effects (an inserted key, a
        # created module, caches) happen before the counts are taken.
        try:
            warm.append(c.func(*args))
        except Exception:
            pass
    roots = list(args) + warm + (list(c.extra(args)) if c.extra else [])
    objects, held_before = reachable(roots)
    tracked = [obj for obj in objects.values() if not is_immortal(obj)]
    gc.collect()
    # The counts go into a C array: a list would hold references to the
    # small ints it stores, which are among the objects being counted.
    counts_before = array.array("q", (sys.getrefcount(obj) for obj in tracked))
    blocks_before = sys.getallocatedblocks()

    repeat(c.func, args, N)

    gc.collect()
    blocks_after = sys.getallocatedblocks()
    counts_after = array.array("q", (sys.getrefcount(obj) for obj in tracked))
    held_after = reachable(roots)[1]
    problems = []
    for obj, before, after in zip(tracked, counts_before, counts_after):
        expected = before + held_after[id(obj)] - held_before[id(obj)]
        if after != expected:
            kind = "leak" if after > expected else "over-release"
            problems.append({
                "kind": kind,
                "object": safe_repr(obj),
                "type": type(obj).__name__,
                "refcount_change": after - before,
                "expected_change": expected - before,
                "calls": N,
                "message": "%s of %s (%s): its reference count changed by "
                           "%+d over %d calls, expected %+d" % (
                               kind, safe_repr(obj), type(obj).__name__,
                               after - before, N, expected - before),
            })
    # An object nobody else refers to (a leaked result, say) has no count to
    # watch, but leaking one per call shows up as memory that is never freed.
    # Allocator noise is a handful of blocks, far below one per call.
    global largest_block_change
    if blocks_after - blocks_before >= N // 2:
        problems.append({
            "kind": "leak",
            "object": None,
            "allocated_blocks_change": blocks_after - blocks_before,
            "calls": N,
            "message": "leak of new objects: %+d memory blocks still "
                       "allocated after %d calls" % (
                           blocks_after - blocks_before, N),
        })
    else:
        largest_block_change = max(largest_block_change,
                                   blocks_after - blocks_before)
    return problems


def safe_repr(obj):
    try:
        text = repr(obj)
    except Exception as exc:
        text = "<%s whose repr raised %s>" % (type(obj).__name__,
                                              type(exc).__name__)
    return text if len(text) <= 200 else text[:200] + "..."


def main():
    outcomes = {}
    problems = []
    for c in CASES:
        key = "%s: %s" % (c.func.__name__, c.label)
        if key in outcomes:
            raise SystemExit("duplicate case name: " + key)
        if TRACE:
            sys.stderr.write("fixproof case: %s\n" % key)
            sys.stderr.flush()
        try:
            outcomes[key] = call_outcome(c)
            if c.cleanup:
                c.cleanup()
            for problem in refcount_check(c):
                problem["call"] = key
                problems.append(problem)
        finally:
            if c.cleanup:
                c.cleanup()

    document = {
        "python": sys.version.split()[0],
        "calls": len(outcomes),
        "repetitions": N,
        "outcomes": outcomes,
        "refcount_problems": problems,
        "info": {
            "module_file": os.path.abspath(ownership.__file__),
            "unraisable_reports": unraisable_reports,
            "largest_unflagged_block_change": largest_block_change,
        },
    }
    text = json.dumps(document, indent=1, sort_keys=True) + "\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    for problem in problems:
        sys.stderr.write("%s: %s\n" % (problem["call"], problem["message"]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
