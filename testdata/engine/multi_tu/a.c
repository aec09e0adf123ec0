#include "shared.h"

PyObject *
a_first(PyObject *list)
{
    return Py_XNewRef(shared_first(list));
}
