#include "shared.h"

PyObject *
b_lookup(PyObject *dict, PyObject *key)
{
    return Py_XNewRef(PyDict_GetItem(dict, key));
}
