/* A stand-in for nanobind's header, for tests only: it defines NB_MODULE with
 * nanobind's signature so that module detection can be checked without the
 * library installed. It is not nanobind. */
#pragma once
#include <Python.h>
#define NB_MODULE(name, variable)                                              \
    static void nb_init_##name(PyObject *variable);                            \
    extern "C" PyObject *PyInit_##name(void) { return nullptr; }               \
    static void nb_init_##name(PyObject *variable)
