#include <Python.h>
int a; // NOLINT
int b; // NOLINT(FT101, FT2)
// NOLINTNEXTLINE(FT201)
int c;
/* NOLINTBEGIN(FT3) */
int d;
/* NOLINTEND(FT3) */
int e; // noqa: FT101,FT999
int f; // noqa
int g; // NOLINT(bugprone-foo)
// NOLINTEND(FT1)
// NOLINTBEGIN
int h; /* NOLINT( */ 
