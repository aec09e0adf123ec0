/* The _speedups module: multi-phase initialisation. */
#include "speedups.h"

static PyObject *default_encoding;   /* created lazily, on first use */

static PyObject *
get_default_encoding(PyObject *self, PyObject *unused)
{
    if (default_encoding == NULL) {
        default_encoding = PyUnicode_InternFromString("utf-8");
    }
    return Py_XNewRef(default_encoding);
}

static PyObject *
configure(PyObject *self, PyObject *options)
{
    if (!PyDict_Check(options)) {
        PyErr_SetString(PyExc_TypeError, "options must be a dict");
        return NULL;
    }
    PyObject *level = speedups_lookup_option(options, "level");
    return Py_NewRef(level ? level : Py_None);
}

static PyMethodDef speedups_methods[] = {
    {"sum_list", speedups_sum_list, METH_O, "Sum the integers of a list."},
    {"pairs", (PyCFunction)(void (*)(void))speedups_pairs, METH_VARARGS | METH_KEYWORDS, "Pair up items."},
    {"first_or_default", speedups_first_or_default, METH_VARARGS, "First item of a list, or a default."},
    {"scratch", speedups_scratch, METH_O, "Copy a bytes object through a scratch buffer."},
    {"get_default_encoding", get_default_encoding, METH_NOARGS, "The default encoding."},
    {"configure", configure, METH_O, "Read options from a dict."},
    {NULL, NULL, 0, NULL},
};

static int
speedups_exec(PyObject *module)
{
    return speedups_add_types(module);
}

static PyModuleDef_Slot speedups_slots[] = {
    {Py_mod_exec, speedups_exec},
    {0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_speedups",
    .m_doc = "Fast helpers for the demo package.",
    .m_size = 0,
    .m_methods = speedups_methods,
    .m_slots = speedups_slots,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModuleDef_Init(&speedups_module);
}
