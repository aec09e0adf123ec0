#include <Python.h>

static PyObject *cache;

static PyObject *
get(PyObject *self, PyObject *args)
{
    PyObject *list, *dict;
    if (!PyArg_ParseTuple(args, "OO", &list, &dict)) return NULL;
    PyObject *item = PyList_GetItem(list, 0);
    if (item == NULL) return NULL;
    Py_INCREF(item);
    PyObject *value = PyDict_GetItemString(dict, "key");
    if (value == NULL) { Py_DECREF(item); Py_RETURN_NONE; }
    PyObject *key, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(dict, &pos, &key, &v)) {
        if (cache == NULL) cache = Py_NewRef(v);
    }
    return item;
}

static PyMethodDef methods[] = {{"get", get, METH_VARARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "m", NULL, -1, methods};
PyMODINIT_FUNC PyInit_m(void) { return PyModule_Create(&def); }
