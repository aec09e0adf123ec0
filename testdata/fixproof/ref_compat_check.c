/* Thin wrappers that expose each strong-reference API to Python, so that
 * ref_compat_check_test.py can hold the replacements in ref_compat.h
 * (3.9-3.12) and the interpreter's own functions (3.13+) to one contract.
 *
 * Every wrapper also enforces the parts of the contract Python cannot see:
 * -1 comes with an exception and 0/1 without one, *result is NULL whenever
 * nothing was found, and a stale value in *result is always overwritten. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "ref_compat.h"

/* Any non-NULL pointer that is not an object: a function that leaves it in
 * *result has forgotten to set the output. */
static PyObject stale;

static PyObject *
contract_error(const char *api, const char *what)
{
    PyErr_Clear();
    PyErr_Format(PyExc_AssertionError, "%s: %s", api, what);
    return NULL;
}

/* (rc, value or None), or the exception for rc == -1. */
static PyObject *
report(const char *api, int rc, PyObject *value, int value_when_zero)
{
    if (value == &stale) {
        return contract_error(api, "*result was not written");
    }
    if (rc < 0) {
        if (value != NULL) {
            Py_DECREF(value);
            return contract_error(api, "-1 with a value in *result");
        }
        if (!PyErr_Occurred()) {
            return contract_error(api, "-1 without an exception");
        }
        return NULL;
    }
    if (PyErr_Occurred()) {
        Py_XDECREF(value);
        return contract_error(api, "success with an exception set");
    }
    if (rc > 1) {
        Py_XDECREF(value);
        return contract_error(api, "returned more than 1");
    }
    if (rc == 0 && !value_when_zero && value != NULL) {
        Py_DECREF(value);
        return contract_error(api, "0 with a value in *result");
    }
    if (value == NULL) {
        return Py_BuildValue("(iO)", rc, Py_None);
    }
    return Py_BuildValue("(iN)", rc, value);
}

static PyObject *
list_get_item_ref(PyObject *self, PyObject *args)
{
    PyObject *list, *item;
    Py_ssize_t index;

    if (!PyArg_ParseTuple(args, "On", &list, &index)) {
        return NULL;
    }
    item = PyList_GetItemRef(list, index);
    if (item == NULL && !PyErr_Occurred()) {
        return contract_error("PyList_GetItemRef", "NULL without exception");
    }
    return item;
}

static PyObject *
dict_get_item_ref(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *value = &stale;
    int rc;

    if (!PyArg_ParseTuple(args, "OO", &dict, &key)) {
        return NULL;
    }
    rc = PyDict_GetItemRef(dict, key, &value);
    return report("PyDict_GetItemRef", rc, value, 0);
}

/* The key arrives as bytes so that invalid UTF-8 can be passed. */
static PyObject *
dict_get_item_string_ref(PyObject *self, PyObject *args)
{
    PyObject *dict, *value = &stale;
    const char *key;
    int rc;

    if (!PyArg_ParseTuple(args, "Oy", &dict, &key)) {
        return NULL;
    }
    rc = PyDict_GetItemStringRef(dict, key, &value);
    return report("PyDict_GetItemStringRef", rc, value, 0);
}

static PyObject *
dict_setdefault_ref(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *default_value, *value = &stale;
    int want_result, rc;

    if (!PyArg_ParseTuple(args, "OOOp", &dict, &key, &default_value,
                          &want_result)) {
        return NULL;
    }
    if (want_result) {
        rc = PyDict_SetDefaultRef(dict, key, default_value, &value);
    }
    else {
        rc = PyDict_SetDefaultRef(dict, key, default_value, NULL);
        value = NULL;
    }
    if (want_result && rc >= 0 && value == NULL) {
        return contract_error("PyDict_SetDefaultRef", "no value in *result");
    }
    return report("PyDict_SetDefaultRef", rc, value, 1);
}

static PyObject *
import_add_module_ref(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *module;

    if (!PyArg_ParseTuple(args, "y", &name)) {
        return NULL;
    }
    module = PyImport_AddModuleRef(name);
    if (module == NULL && !PyErr_Occurred()) {
        return contract_error("PyImport_AddModuleRef",
                              "NULL without exception");
    }
    return module;
}

static PyObject *
weakref_get_ref(PyObject *self, PyObject *ref)
{
    PyObject *obj = &stale;
    int rc = PyWeakref_GetRef(ref, &obj);
    return report("PyWeakref_GetRef", rc, obj, 0);
}

/* The critical-section macros must open and close a block on every
 * version, one object or two. */
static PyObject *
critical_sections(PyObject *self, PyObject *args)
{
    PyObject *a, *b, *result;

    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(a);
    Py_BEGIN_CRITICAL_SECTION2(a, b);
    result = PyTuple_Pack(2, b, a);
    Py_END_CRITICAL_SECTION2();
    Py_END_CRITICAL_SECTION();
    return result;
}

static PyObject *
new_refs(PyObject *self, PyObject *obj)
{
    PyObject *none = Py_XNewRef((PyObject *)NULL);
    if (none != NULL) {
        return contract_error("Py_XNewRef", "NULL did not stay NULL");
    }
    return Py_BuildValue("(NN)", Py_NewRef(obj), Py_XNewRef(obj));
}

static PyMethodDef methods[] = {
    {"list_get_item_ref", list_get_item_ref, METH_VARARGS, NULL},
    {"dict_get_item_ref", dict_get_item_ref, METH_VARARGS, NULL},
    {"dict_get_item_string_ref", dict_get_item_string_ref, METH_VARARGS,
     NULL},
    {"dict_setdefault_ref", dict_setdefault_ref, METH_VARARGS, NULL},
    {"import_add_module_ref", import_add_module_ref, METH_VARARGS, NULL},
    {"weakref_get_ref", weakref_get_ref, METH_O, NULL},
    {"critical_sections", critical_sections, METH_VARARGS, NULL},
    {"new_refs", new_refs, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "ref_compat_check",
    "The strong-reference APIs, as ref_compat.h provides them.",
    -1,
    methods,
};

PyMODINIT_FUNC
PyInit_ref_compat_check(void)
{
    return PyModule_Create(&module);
}
