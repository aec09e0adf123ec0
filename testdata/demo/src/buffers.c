/* Scratch buffers for byte copies. */
#include "speedups.h"

#include <string.h>

static char *scratch_buffer;
static Py_ssize_t scratch_size;

/* scratch(data): a copy of a bytes object, made through a reusable buffer. */
PyObject *
speedups_scratch(PyObject *self, PyObject *data)
{
    char *src;
    Py_ssize_t len;
    if (PyBytes_AsStringAndSize(data, &src, &len) < 0) {
        return NULL;
    }
    if (len > scratch_size) {
        char *bigger = PyObject_Realloc(scratch_buffer, (size_t)len);
        if (bigger == NULL) {
            return PyErr_NoMemory();
        }
        scratch_buffer = bigger;
        scratch_size = len;
    }
    memcpy(scratch_buffer, src, (size_t)len);
    return PyBytes_FromStringAndSize(scratch_buffer, len);
}
