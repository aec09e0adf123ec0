/* A header included by two translation units: its finding must be reported once. */
#ifndef MULTI_TU_SHARED_H
#define MULTI_TU_SHARED_H
#include <Python.h>

static inline PyObject *
shared_first(PyObject *list)
{
    return PyList_GetItem(list, 0);
}

#endif
