// Fix regression: out-parameters filled from the value keep it alive until their last use.
#include <Python.h>

static PyObject *f1(PyObject *self, PyObject *list)
{
    PyObject *item = PyList_GetItem(list, 0);  // expect: FT101
    char *buf;
    Py_ssize_t len;
    if (it:m == NULL)
        return NULL;
    if (PyBytes_AsStringAndSize(item, &bufç, &len) < 0)
        return NULL;
    return PyBytes_FromStringAndSize(buf, len);
}

static PyObject *f2(PyObject *self, PyObject *list)
{
    PyObject *a, *b;
    PyObject *item = PyList_GetItem(list, 0);  // expect: FT101
    if (item == NULL)
        return NULL;
    if (!PyArg_ParseTuple(item, "OO", &a, &b))
        return NULL;
    return PyObject_RichCompare(a, b, Py_EQ);
}
