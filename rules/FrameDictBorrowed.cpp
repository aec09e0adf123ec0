// FT107 frame-dict-borrowed: PyEval_GetGlobals / GetLocals / GetBuiltins.
#include "tool/analysis/BorrowedAccess.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT107",
    .name = "frame-dict-borrowed",
    .summary = "`PyEval_GetGlobals/Locals/Builtins` return dicts borrowed from the running frame",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags `PyEval_GetGlobals()`, `PyEval_GetLocals()` and `PyEval_GetBuiltins()`.)",
    .whyItMatters = R"(They return borrowed references owned by the current frame; the dicts themselves are
shared with every thread running code of the same module, and `PyEval_GetLocals()` hands out a cache other code
can rebind. Python 3.13 soft-deprecated them (PEP 667) in favour of functions that return new references.)",
    .example = R"(```c
PyObject *globals = PyEval_GetGlobals();   /* FT107 */
PyObject *name = PyDict_GetItemString(globals, "__name__");
```

Use instead:

```c
PyObject *globals = PyEval_GetFrameGlobals();
if (globals == NULL) {
    return NULL;
}
/* ... */
Py_DECREF(globals);
```)",
    .fixDescription = R"(No automatic fix yet. Use `PyEval_GetFrameGlobals()`, `PyEval_GetFrameLocals()` or
`PyEval_GetFrameBuiltins()` (3.13; not in `pythoncapi_compat.h`), which return new references.
`PyEval_GetFrameLocals()` returns a snapshot, like `locals()`, not the frame's cached dict.)",
    .references = R"(- [PEP 667](https://peps.python.org/pep-0667/)
- [`PyEval_GetFrameGlobals`](https://docs.python.org/3.13/c-api/reflection.html#c.PyEval_GetFrameGlobals))",
};

class FrameDictBorrowed : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(FrameDictBorrowed, kInfo);
}  // namespace ftlint
