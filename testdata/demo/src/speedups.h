/* Declarations shared by the _speedups translation units. */
#ifndef SPEEDUPS_H
#define SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *entries;   /* dict: key -> cached value */
    Py_ssize_t hits;
    Py_ssize_t misses;
} CacheObject;

extern PyTypeObject Cache_Type;

/* Every file that includes this header gets this helper; ftlint reports its
 * finding once, not once per translation unit. */
static inline PyObject *
speedups_lookup_option(PyObject *options, const char *name)
{
    return PyDict_GetItemString(options, name);
}

PyObject *speedups_sum_list(PyObject *self, PyObject *list);
PyObject *speedups_pairs(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *speedups_first_or_default(PyObject *self, PyObject *args);
PyObject *speedups_scratch(PyObject *self, PyObject *arg);
int speedups_add_types(PyObject *module);

#endif
