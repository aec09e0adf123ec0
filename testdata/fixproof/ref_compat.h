/* Strong-reference lookup APIs for Pythons that predate them.
 *
 * Python 3.13 added PyList_GetItemRef, PyDict_GetItemRef,
 * PyDict_GetItemStringRef, PyDict_SetDefaultRef, PyImport_AddModuleRef and
 * PyWeakref_GetRef, which return new references instead of borrowed ones, and
 * the critical-section macros.  Code rewritten to use them still has to build
 * on 3.9-3.12, so this header supplies equivalents there.  Each one follows the
 * documented 3.13 contract: the same return values, the same exception types,
 * and *result set to NULL on every path that does not find a value.  On 3.13
 * and later the header adds nothing and the interpreter's own functions are
 * used.
 *
 * These replacements are only correct with the GIL held: each one takes its
 * strong reference after the borrowed lookup returns, which is atomic only
 * because no other thread runs in between.  That is the situation on every
 * Python this header is active for (free threading starts with 3.13). */
#ifndef FIXPROOF_REF_COMPAT_H
#define FIXPROOF_REF_COMPAT_H

#include <Python.h>

#if PY_VERSION_HEX < 0x030A0000
/* Py_NewRef and Py_XNewRef appeared in 3.10. */
static inline PyObject *
Py_NewRef(PyObject *obj)
{
    Py_INCREF(obj);
    return obj;
}

static inline PyObject *
Py_XNewRef(PyObject *obj)
{
    Py_XINCREF(obj);
    return obj;
}
#endif

#if PY_VERSION_HEX < 0x030D0000
/* Without free threading a critical section is just a block: the GIL already
 * serialises access to the object.  The braces keep the scoping identical, so
 * a variable declared inside the section is not visible after it on any
 * version. */
#  ifndef Py_BEGIN_CRITICAL_SECTION
#    define Py_BEGIN_CRITICAL_SECTION(op) {
#    define Py_END_CRITICAL_SECTION() }
#  endif
#  ifndef Py_BEGIN_CRITICAL_SECTION2
#    define Py_BEGIN_CRITICAL_SECTION2(a, b) {
#    define Py_END_CRITICAL_SECTION2() }
#  endif
#endif

#if PY_VERSION_HEX < 0x030D0000
/* New reference to list[index], or NULL with an exception.  3.13 raises
 * TypeError for a non-list, where PyList_GetItem raises SystemError; an
 * out-of-range index raises the same IndexError as PyList_GetItem. */
static inline PyObject *
PyList_GetItemRef(PyObject *list, Py_ssize_t index)
{
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "expected a list");
        return NULL;
    }
    return Py_XNewRef(PyList_GetItem(list, index));
}

/* 1 and a new reference in *result when the key is present, 0 and NULL when it
 * is absent, -1 and NULL with an exception set on error (including errors
 * raised by the key's __hash__ or __eq__, which PyDict_GetItem would swallow).
 * A non-dict raises SystemError, like PyDict_GetItemWithError. */
static inline int
PyDict_GetItemRef(PyObject *mp, PyObject *key, PyObject **result)
{
    PyObject *value;

    if (!PyDict_Check(mp)) {
        *result = NULL;
        PyErr_BadInternalCall();
        return -1;
    }
    value = PyDict_GetItemWithError(mp, key);
    if (value != NULL) {
        *result = Py_NewRef(value);
        return 1;
    }
    *result = NULL;
    return PyErr_Occurred() ? -1 : 0;
}

/* PyDict_GetItemRef with a key given as a UTF-8 C string.  A string that is
 * not valid UTF-8 is an error (UnicodeDecodeError), not a missing key. */
static inline int
PyDict_GetItemStringRef(PyObject *mp, const char *key, PyObject **result)
{
    PyObject *key_obj;
    int found;

    key_obj = PyUnicode_FromString(key);
    if (key_obj == NULL) {
        *result = NULL;
        return -1;
    }
    found = PyDict_GetItemRef(mp, key_obj, result);
    Py_DECREF(key_obj);
    return found;
}

/* -1 on error, 0 if the key was absent and default_value was inserted, 1 if
 * the key was already present.  Unless result is NULL, *result receives a new
 * reference to the value now stored under the key (NULL on error).
 *
 * This calls PyDict_SetDefault, not a lookup followed by an insert, so the
 * key's __hash__ and __eq__ run exactly as often as they did in code that
 * called PyDict_SetDefault directly.  Whether the insert happened is read
 * from the dict's size: a single PyDict_SetDefault grows the dict by one entry
 * exactly when it inserts.  (A key whose __eq__ removes other entries of the
 * same dict during the lookup could defeat this; nothing sane does that.) */
static inline int
PyDict_SetDefaultRef(PyObject *mp, PyObject *key, PyObject *default_value,
                     PyObject **result)
{
    Py_ssize_t size_before;
    PyObject *value;

    if (result != NULL) {
        *result = NULL;
    }
    if (!PyDict_Check(mp)) {
        PyErr_BadInternalCall();
        return -1;
    }
    size_before = PyDict_GET_SIZE(mp);
    value = PyDict_SetDefault(mp, key, default_value);
    if (value == NULL) {
        return -1;
    }
    if (result != NULL) {
        *result = Py_NewRef(value);
    }
    return PyDict_GET_SIZE(mp) > size_before ? 0 : 1;
}

/* New reference to sys.modules[name], creating an empty module there first
 * if it is missing (or is not a module object), as PyImport_AddModule does. */
static inline PyObject *
PyImport_AddModuleRef(const char *name)
{
    return Py_XNewRef(PyImport_AddModule(name));
}

/* 1 and a new reference in *pobj while the referent is alive, 0 and NULL once
 * it is dead, -1 and NULL with TypeError if ref is not a weak reference. */
static inline int
PyWeakref_GetRef(PyObject *ref, PyObject **pobj)
{
    PyObject *obj;

    if (ref == NULL || !PyWeakref_Check(ref)) {
        *pobj = NULL;
        PyErr_SetString(PyExc_TypeError, "expected a weakref");
        return -1;
    }
    obj = PyWeakref_GetObject(ref);
    if (obj == NULL) {
        *pobj = NULL;
        return -1;
    }
    /* A dead weak reference reports None; None itself cannot be weakly
     * referenced, so None always means dead. */
    if (obj == Py_None) {
        *pobj = NULL;
        return 0;
    }
    *pobj = Py_NewRef(obj);
    return 1;
}
#endif

#endif /* FIXPROOF_REF_COMPAT_H */
