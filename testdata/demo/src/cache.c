/* Cache: a type whose instances other threads share. */
#include "speedups.h"

static PyObject *
Cache_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    CacheObject *self = (CacheObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->entries = PyDict_New();
    if (self->entries == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
Cache_dealloc(CacheObject *self)
{
    Py_XDECREF(self->entries);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Cache.get(key): the stored value, or None. */
static PyObject *
Cache_get(CacheObject *self, PyObject *key)
{
    PyObject *value = PyDict_GetItem(self->entries, key);
    if (value == NULL) {
        self->misses++;
        Py_RETURN_NONE;
    }
    self->hits++;
    return Py_NewRef(value);
}

static PyObject *
Cache_put(CacheObject *self, PyObject *args)
{
    PyObject *key, *value;
    if (!PyArg_ParseTuple(args, "OO", &key, &value)) {
        return NULL;
    }
    if (PyDict_SetItem(self->entries, key, value) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Cache.keys_matching(prefix): a list of the string keys that start with prefix. */
static PyObject *
Cache_keys_matching(CacheObject *self, PyObject *prefix)
{
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(self->entries, &pos, &key, &value)) {
        if (!PyUnicode_Check(key)) {
            continue;
        }
        int match = PyUnicode_Tailmatch(key, prefix, 0, PY_SSIZE_T_MAX, -1);
        if (match < 0 || (match && PyList_Append(result, key) < 0)) {
            Py_DECREF(result);
            return NULL;
        }
    }
    return result;
}

/* Cache.snapshot(): a dict copy, built privately. */
static PyObject *
Cache_snapshot(CacheObject *self, PyObject *unused)
{
    PyObject *copy = PyDict_Copy(self->entries);
    if (copy == NULL) {
        return NULL;
    }
    /* Private to this call: nobody else can see `copy` yet. */
    PyObject *marker = PyDict_GetItemString(copy, "__marker__");
    if (marker != NULL && PyDict_DelItemString(copy, "__marker__") < 0) {
        Py_DECREF(copy);
        return NULL;
    }
    return copy;
}

static PyMethodDef Cache_methods[] = {
    {"get", (PyCFunction)Cache_get, METH_O, "Return the cached value for key, or None."},
    {"put", (PyCFunction)Cache_put, METH_VARARGS, "Store a value."},
    {"keys_matching", (PyCFunction)Cache_keys_matching, METH_O, "Keys starting with a prefix."},
    {"snapshot", (PyCFunction)Cache_snapshot, METH_NOARGS, "A copy of the entries."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject Cache_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_speedups.Cache",
    .tp_basicsize = sizeof(CacheObject),
    .tp_dealloc = (destructor)Cache_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A shared lookup cache.",
    .tp_methods = Cache_methods,
    .tp_new = Cache_new,
};

int
speedups_add_types(PyObject *module)
{
    if (PyType_Ready(&Cache_Type) < 0) {
        return -1;
    }
    Py_INCREF(&Cache_Type);
    if (PyModule_AddObject(module, "Cache", (PyObject *)&Cache_Type) < 0) {
        Py_DECREF(&Cache_Type);
        return -1;
    }
    return 0;
}
