#include <Python.h>

PyObject *
fine(PyObject *dict)
{
    return Py_XNewRef(PyDict_GetItemString(dict, "key"));
}
