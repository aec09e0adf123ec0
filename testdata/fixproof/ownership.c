/* An extension whose functions read shared lists, dicts and sys.modules
 * through the borrowed-reference APIs, in the control-flow shapes a fixer that
 * switches them to the strong-reference APIs has to handle: early returns,
 * goto cleanup, loops with break and continue, nested blocks, ownership taken
 * on one path only, references stolen by new containers, and a borrowed item
 * handed back to the caller.  Every container comes from the caller, so other
 * threads could reach it.
 *
 * ci/fixproof.py builds this file and a rewritten copy and runs
 * ownership_test.py against both: the rewrite must return, raise and leave
 * its arguments exactly as this file does, and leak nothing. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "ref_compat.h"

/* Early return when the lookup fails, then a new object computed from the
 * item. */
static PyObject *
list_first_repr(PyObject *self, PyObject *list)
{
    PyObject *item = PyList_GetItem(list, 0);
    if (item == NULL) {
        return NULL;
    }
    return PyObject_Repr(item);
}

/* The item itself goes back to the caller. */
static PyObject *
list_first(PyObject *self, PyObject *list)
{
    PyObject *item = PyList_GetItem(list, 0);
    if (item == NULL) {
        return NULL;
    }
    return Py_NewRef(item);
}

/* Several exits after the lookup: each check raises its own exception. */
static PyObject *
list_item_double(PyObject *self, PyObject *args)
{
    PyObject *list, *item;
    Py_ssize_t index;
    long value;

    if (!PyArg_ParseTuple(args, "On:list_item_double", &list, &index)) {
        return NULL;
    }
    item = PyList_GetItem(list, index);
    if (item == NULL) {
        return NULL;
    }
    if (item == Py_None) {
        PyErr_SetString(PyExc_ValueError, "item is None");
        return NULL;
    }
    if (!PyLong_Check(item)) {
        PyErr_Format(PyExc_TypeError, "expected an int, not %.100s",
                     Py_TYPE(item)->tp_name);
        return NULL;
    }
    value = PyLong_AsLong(item);
    if (value == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (value > LONG_MAX / 2 || value < LONG_MIN / 2) {
        PyErr_SetString(PyExc_OverflowError, "too large to double");
        return NULL;
    }
    return PyLong_FromLong(value * 2);
}

/* Two items that stay in use while owned temporaries are created, with every
 * failure jumping to one cleanup label. */
static PyObject *
list_pair_compare(PyObject *self, PyObject *args)
{
    PyObject *list, *first, *second;
    PyObject *first_str = NULL, *second_str = NULL, *result = NULL;
    Py_ssize_t i, j;
    int equal;

    if (!PyArg_ParseTuple(args, "Onn:list_pair_compare", &list, &i, &j)) {
        return NULL;
    }
    first = PyList_GetItem(list, i);
    if (first == NULL) {
        goto error;
    }
    first_str = PyObject_Str(first);
    if (first_str == NULL) {
        goto error;
    }
    second = PyList_GetItem(list, j);
    if (second == NULL) {
        goto error;
    }
    second_str = PyObject_Str(second);
    if (second_str == NULL) {
        goto error;
    }
    equal = PyObject_RichCompareBool(first, second, Py_EQ);
    if (equal < 0) {
        goto error;
    }
    result = PyUnicode_FromFormat("%U %s %U", first_str,
                                  equal ? "==" : "!=", second_str);
    if (result == NULL) {
        goto error;
    }
    Py_DECREF(first_str);
    Py_DECREF(second_str);
    return result;

error:
    Py_XDECREF(first_str);
    Py_XDECREF(second_str);
    return NULL;
}

/* Sum of the ints before the first item that is not a number; other
 * numbers (floats, complex) are skipped. */
static PyObject *
list_sum_ints(PyObject *self, PyObject *list)
{
    Py_ssize_t i, n;
    PyObject *total;

    n = PyList_Size(list);
    if (n < 0) {
        return NULL;
    }
    total = PyLong_FromLong(0);
    if (total == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        PyObject *item = PyList_GetItem(list, i);
        if (item == NULL) {
            Py_DECREF(total);
            return NULL;
        }
        if (!PyNumber_Check(item)) {
            break;
        }
        if (!PyLong_Check(item)) {
            continue;
        }
        PyObject *sum = PyNumber_Add(total, item);
        Py_DECREF(total);
        if (sum == NULL) {
            return NULL;
        }
        total = sum;
    }
    return total;
}

/* Older style without braces: a return from inside the loop, and a
 * comparison that runs the item's __eq__ (which may shrink the list). */
static PyObject *
list_index_of(PyObject *self, PyObject *args)
{
    PyObject *list, *target;
    Py_ssize_t i, n;

    if (!PyArg_ParseTuple(args, "OO:list_index_of", &list, &target))
        return NULL;
    n = PyList_Size(list);
    if (n < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *item = PyList_GetItem(list, i);
        int cmp;
        if (item == NULL)
            return NULL;
        cmp = PyObject_RichCompareBool(item, target, Py_EQ);
        if (cmp < 0)
            return NULL;
        if (cmp > 0)
            return PyLong_FromSsize_t(i);
    }
    Py_RETURN_NONE;
}

/* The item is used in nested branches, some of which return directly; the
 * last one keeps a pointer into the item's type until the final return. */
static PyObject *
list_describe(PyObject *self, PyObject *args)
{
    PyObject *list, *item;
    Py_ssize_t index;
    const char *kind;

    if (!PyArg_ParseTuple(args, "On:list_describe", &list, &index)) {
        return NULL;
    }
    item = PyList_GetItem(list, index);
    if (item == NULL) {
        return NULL;
    }
    if (PyLong_Check(item)) {
        int nonzero = PyObject_IsTrue(item);
        if (nonzero < 0) {
            return NULL;
        }
        if (nonzero) {
            return PyUnicode_FromFormat("int %R", item);
        }
        else {
            kind = "zero";
        }
    }
    else if (PyUnicode_Check(item)) {
        if (PyUnicode_GET_LENGTH(item) == 0) {
            kind = "empty str";
        }
        else {
            return PyUnicode_FromFormat("str of length %zd",
                                        PyUnicode_GET_LENGTH(item));
        }
    }
    else {
        if (item == Py_None) {
            kind = "None";
        }
        else {
            kind = Py_TYPE(item)->tp_name;
        }
    }
    return PyUnicode_FromString(kind);
}

/* Ownership is taken on one branch only: the item goes into a new tuple when
 * asked for, and is only read otherwise. */
static PyObject *
list_take_or_peek(PyObject *self, PyObject *args)
{
    PyObject *list, *item;
    Py_ssize_t index;
    int take;

    if (!PyArg_ParseTuple(args, "Onp:list_take_or_peek", &list, &index,
                          &take)) {
        return NULL;
    }
    item = PyList_GetItem(list, index);
    if (item == NULL) {
        return NULL;
    }
    if (take) {
        PyObject *tuple = PyTuple_New(1);
        if (tuple == NULL) {
            return NULL;
        }
        Py_INCREF(item);
        PyTuple_SET_ITEM(tuple, 0, item);
        return tuple;
    }
    else {
        int truth = PyObject_IsTrue(item);
        if (truth < 0) {
            return NULL;
        }
        return PyBool_FromLong(truth);
    }
}

/* Two items whose references are stolen by a new tuple. */
static PyObject *
list_swap_pair(PyObject *self, PyObject *list)
{
    PyObject *a, *b, *result;

    a = PyList_GetItem(list, 0);
    if (a == NULL) {
        return NULL;
    }
    b = PyList_GetItem(list, 1);
    if (b == NULL) {
        return NULL;
    }
    result = PyTuple_New(2);
    if (result == NULL) {
        return NULL;
    }
    Py_INCREF(b);
    PyTuple_SET_ITEM(result, 0, b);
    Py_INCREF(a);
    PyTuple_SET_ITEM(result, 1, a);
    return result;
}

/* Every item moves into a new list inside a loop. */
static PyObject *
list_reversed(PyObject *self, PyObject *list)
{
    Py_ssize_t i, n;
    PyObject *result;

    n = PyList_Size(list);
    if (n < 0) {
        return NULL;
    }
    result = PyList_New(n);
    if (result == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        PyObject *item = PyList_GetItem(list, n - 1 - i);
        if (item == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        Py_INCREF(item);
        PyList_SET_ITEM(result, i, item);
    }
    return result;
}

/* The classic hand-back of a borrowed item. */
static PyObject *
list_last(PyObject *self, PyObject *list)
{
    Py_ssize_t n = PyList_Size(list);
    PyObject *item;

    if (n < 0) {
        return NULL;
    }
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "list_last() of an empty list");
        return NULL;
    }
    item = PyList_GetItem(list, n - 1);
    if (item == NULL) {
        return NULL;
    }
    Py_INCREF(item);
    return item;
}

/* dict.get(key, default) through PyDict_GetItem, which reports a missing key,
 * a non-dict and a failing __hash__ or __eq__ all alike, as NULL with no
 * exception.  Called with the fast calling convention. */
static PyObject *
dict_get_or(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *value;

    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError,
                        "dict_get_or() takes exactly 3 arguments");
        return NULL;
    }
    value = PyDict_GetItem(args[0], args[1]);
    if (value == NULL) {
        Py_INCREF(args[2]);
        return args[2];
    }
    Py_INCREF(value);
    return value;
}

/* The borrowed lookup nested directly in the call that takes a reference. */
static PyObject *
dict_get_or_none(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *value;

    if (!PyArg_ParseTuple(args, "OO:dict_get_or_none", &dict, &key)) {
        return NULL;
    }
    value = Py_XNewRef(PyDict_GetItem(dict, key));
    if (value == NULL) {
        Py_RETURN_NONE;
    }
    return value;
}

/* PyDict_GetItemWithError: a missing key and a failed lookup are told apart
 * with PyErr_Occurred. */
static PyObject *
dict_lookup_repr(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *value;

    if (!PyArg_ParseTuple(args, "OO:dict_lookup_repr", &dict, &key)) {
        return NULL;
    }
    value = PyDict_GetItemWithError(dict, key);
    if (value == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        return PyUnicode_FromString("<missing>");
    }
    return PyObject_Repr(value);
}

/* A counter: the looked-up value feeds a computation whose result replaces it
 * in the dict (releasing the old value while the borrowed pointer is still
 * in scope). */
static PyObject *
dict_increment(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *value, *one, *updated;

    if (!PyArg_ParseTuple(args, "OO:dict_increment", &dict, &key)) {
        return NULL;
    }
    value = PyDict_GetItemWithError(dict, key);
    if (value == NULL && PyErr_Occurred()) {
        return NULL;
    }
    if (value == NULL) {
        updated = PyLong_FromLong(1);
    }
    else {
        one = PyLong_FromLong(1);
        if (one == NULL) {
            return NULL;
        }
        updated = PyNumber_Add(value, one);
        Py_DECREF(one);
    }
    if (updated == NULL) {
        return NULL;
    }
    if (PyDict_SetItem(dict, key, updated) < 0) {
        Py_DECREF(updated);
        return NULL;
    }
    return updated;
}

/* Two lookups and one shared exit that every path falls into. */
static PyObject *
dict_sum_two(PyObject *self, PyObject *args)
{
    PyObject *dict, *key1, *key2, *a, *b, *result = NULL;

    if (!PyArg_ParseTuple(args, "OOO:dict_sum_two", &dict, &key1, &key2)) {
        return NULL;
    }
    a = PyDict_GetItemWithError(dict, key1);
    if (a == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_KeyError, "first key missing");
        }
        goto done;
    }
    b = PyDict_GetItemWithError(dict, key2);
    if (b == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_KeyError, "second key missing");
        }
        goto done;
    }
    result = PyNumber_Add(a, b);

done:
    return result;
}

/* PyDict_GetItemString: a missing name gives None. */
static PyObject *
dict_get_string(PyObject *self, PyObject *args)
{
    PyObject *dict, *value;
    const char *name;

    if (!PyArg_ParseTuple(args, "Os:dict_get_string", &dict, &name)) {
        return NULL;
    }
    value = PyDict_GetItemString(dict, name);
    if (value == NULL) {
        Py_RETURN_NONE;
    }
    return PyObject_Repr(value);
}

/* dict.setdefault(key, default): the value now stored is returned. */
static PyObject *
dict_setdefault(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *default_value, *value;

    if (!PyArg_ParseTuple(args, "OOO:dict_setdefault", &dict, &key,
                          &default_value)) {
        return NULL;
    }
    value = PyDict_SetDefault(dict, key, default_value);
    if (value == NULL) {
        return NULL;
    }
    return Py_NewRef(value);
}

/* Grouping: dict.setdefault(key, []).append(item), returning the group's new
 * size. */
static PyObject *
dict_group_append(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *item, *fresh, *group;

    if (!PyArg_ParseTuple(args, "OOO:dict_group_append", &dict, &key,
                          &item)) {
        return NULL;
    }
    fresh = PyList_New(0);
    if (fresh == NULL) {
        return NULL;
    }
    group = PyDict_SetDefault(dict, key, fresh);
    Py_DECREF(fresh);
    if (group == NULL) {
        return NULL;
    }
    if (!PyList_Check(group)) {
        PyErr_SetString(PyExc_TypeError, "group is not a list");
        return NULL;
    }
    if (PyList_Append(group, item) < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(PyList_GET_SIZE(group));
}

/* sys.modules[name], created if missing, reported by its __name__. */
static PyObject *
import_module_name(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *module;

    if (!PyArg_ParseTuple(args, "s:import_module_name", &name)) {
        return NULL;
    }
    module = PyImport_AddModule(name);
    if (module == NULL) {
        return NULL;
    }
    return PyObject_GetAttrString(module, "__name__");
}

/* A chain of borrowed references: the module from sys.modules, its dict, and
 * an entry of that dict.  The module must stay alive while the others are
 * used. */
static PyObject *
module_attr(PyObject *self, PyObject *args)
{
    const char *name, *attr;
    PyObject *module, *dict, *value;

    if (!PyArg_ParseTuple(args, "ss:module_attr", &name, &attr)) {
        return NULL;
    }
    module = PyImport_AddModule(name);
    if (module == NULL) {
        return NULL;
    }
    dict = PyModule_GetDict(module);
    value = PyDict_GetItemString(dict, attr);
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "module %s has no attribute %s",
                     name, attr);
        return NULL;
    }
    return PyObject_Repr(value);
}

/* The variable takes a default the function does not own on the missing-key
 * path (as msgspec's annotation lookups do): a release after the join would
 * drop a reference to the default, so there must be no fix. */
static PyObject *
dict_get_or_fallback_repr(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *fallback, *value;

    if (!PyArg_ParseTuple(args, "OOO:dict_get_or_fallback_repr", &dict, &key,
                          &fallback)) {
        return NULL;
    }
    value = PyDict_GetItem(dict, key);
    if (value == NULL) {
        value = fallback;
    }
    return PyObject_Repr(value);
}

/* The referent of a weak reference, "<dead>" once it is gone. */
static PyObject *
weakref_repr(PyObject *self, PyObject *ref)
{
    PyObject *target = PyWeakref_GetObject(ref);
    if (target == NULL) {
        return NULL;
    }
    if (target == Py_None) {
        return PyUnicode_FromString("<dead>");
    }
    return PyObject_Repr(target);
}

/* The referent itself (None once it is gone), with the reference the caller
 * gets taken by hand. */
static PyObject *
weakref_target(PyObject *self, PyObject *ref)
{
    PyObject *target = PyWeakref_GetObject(ref);
    if (target == NULL) {
        return NULL;
    }
    Py_INCREF(target);
    return target;
}

static PyMethodDef ownership_methods[] = {
    {"list_first_repr", list_first_repr, METH_O, NULL},
    {"list_first", list_first, METH_O, NULL},
    {"list_item_double", list_item_double, METH_VARARGS, NULL},
    {"list_pair_compare", list_pair_compare, METH_VARARGS, NULL},
    {"list_sum_ints", list_sum_ints, METH_O, NULL},
    {"list_index_of", list_index_of, METH_VARARGS, NULL},
    {"list_describe", list_describe, METH_VARARGS, NULL},
    {"list_take_or_peek", list_take_or_peek, METH_VARARGS, NULL},
    {"list_swap_pair", list_swap_pair, METH_O, NULL},
    {"list_reversed", list_reversed, METH_O, NULL},
    {"list_last", list_last, METH_O, NULL},
    {"dict_get_or", (PyCFunction)(void (*)(void))dict_get_or, METH_FASTCALL,
     NULL},
    {"dict_get_or_none", dict_get_or_none, METH_VARARGS, NULL},
    {"dict_get_or_fallback_repr", dict_get_or_fallback_repr, METH_VARARGS,
     NULL},
    {"dict_lookup_repr", dict_lookup_repr, METH_VARARGS, NULL},
    {"dict_increment", dict_increment, METH_VARARGS, NULL},
    {"dict_sum_two", dict_sum_two, METH_VARARGS, NULL},
    {"dict_get_string", dict_get_string, METH_VARARGS, NULL},
    {"dict_setdefault", dict_setdefault, METH_VARARGS, NULL},
    {"dict_group_append", dict_group_append, METH_VARARGS, NULL},
    {"import_module_name", import_module_name, METH_VARARGS, NULL},
    {"module_attr", module_attr, METH_VARARGS, NULL},
    {"weakref_repr", weakref_repr, METH_O, NULL},
    {"weakref_target", weakref_target, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef ownership_module = {
    PyModuleDef_HEAD_INIT,
    "ownership",
    "Borrowed-reference lookups in the shapes a reference fixer must handle.",
    -1,
    ownership_methods,
};

PyMODINIT_FUNC
PyInit_ownership(void)
{
    return PyModule_Create(&ownership_module);
}
