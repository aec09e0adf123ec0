/* Functions over lists the caller passes in. */
#include "speedups.h"

/* sum_list(list): the sum of a list of ints. */
PyObject *
speedups_sum_list(PyObject *self, PyObject *list)
{
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "expected a list");
        return NULL;
    }
    long total = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
        PyObject *item = PyList_GET_ITEM(list, i);
        long v = PyLong_AsLong(item);
        if (v == -1 && PyErr_Occurred()) {
            return NULL;
        }
        total += v;
    }
    return PyLong_FromLong(total);
}

/* pairs(items, *, reverse=False): [(a, b), (c, d), ...] from a flat list. */
PyObject *
speedups_pairs(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *items;
    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &items)) {
        return NULL;
    }
    /* Keyword-argument dicts are built for each call: not shared. */
    PyObject *reverse = kwargs ? PyDict_GetItemString(kwargs, "reverse") : NULL;
    int rev = reverse ? PyObject_IsTrue(reverse) : 0;
    if (rev < 0) {
        return NULL;
    }
    PyObject *copy = PySequence_List(items);
    if (copy == NULL) {
        return NULL;
    }
    if (rev && PyList_Reverse(copy) < 0) {
        Py_DECREF(copy);
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(copy) / 2;
    PyObject *result = PyList_New(n);
    if (result == NULL) {
        Py_DECREF(copy);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        /* `copy` is private to this call: its items cannot go away. */
        PyObject *pair = PyTuple_Pack(2, PyList_GET_ITEM(copy, 2 * i), PyList_GET_ITEM(copy, 2 * i + 1));
        if (pair == NULL) {
            Py_DECREF(copy);
            Py_DECREF(result);
            return NULL;
        }
        PyList_SET_ITEM(result, i, pair);
    }
    Py_DECREF(copy);
    return result;
}

/* first_or_default(list, default) */
PyObject *
speedups_first_or_default(PyObject *self, PyObject *args)
{
    PyObject *list, *fallback;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &list, &fallback)) {
        return NULL;
    }
    PyObject *first = PyList_GetItem(list, 0);
    if (first == NULL) {
        PyErr_Clear();
        return Py_NewRef(fallback);
    }
    return Py_NewRef(first);
}
