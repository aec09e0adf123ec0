/* The _legacy module: single-phase initialisation, as older extensions do it. */
#include "speedups.h"

static PyObject *
legacy_version(PyObject *self, PyObject *unused)
{
    PyObject *globals = PyModule_GetDict(self);
    PyObject *version = speedups_lookup_option(globals, "VERSION");
    return Py_XNewRef(version);
}

static PyMethodDef legacy_methods[] = {
    {"version", legacy_version, METH_NOARGS, "The module's VERSION."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef legacy_module = {
    PyModuleDef_HEAD_INIT, "_legacy", "Old-style helpers.", -1, legacy_methods,
};

PyMODINIT_FUNC
PyInit__legacy(void)
{
    PyObject *m = PyModule_Create(&legacy_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddStringConstant(m, "VERSION", "1.0") < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
