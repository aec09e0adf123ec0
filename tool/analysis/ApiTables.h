// Facts about the CPython C API that more than one rule needs: which calls
// return borrowed references and what replaces them, which calls create a
// container nobody else can see yet, and which arguments a call may keep.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace ftlint {

// True when `name` is one of `names`.
bool isOneOf(std::string_view name, std::initializer_list<std::string_view> names);

struct BorrowedApi {
  std::string_view name;         // PyList_GetItem
  std::string_view rule;         // FT101
  std::string_view container;    // "list", "dict", ...: what the reference points into
  std::string_view replacement;  // PyList_GetItemRef
  std::string_view addedIn;      // "3.13"
  bool isMacro;                  // PyList_GET_ITEM leaves no call in the AST
  int containerArg;              // index of the container argument, -1 if none
  // For APIs without a container argument: why the reference may die.
  std::string_view risk;
  // Extra advice for the message ("removed in Python 3.15", ...).
  std::string_view note;
};

const BorrowedApi *findBorrowedApi(std::string_view name);
const std::vector<BorrowedApi> &borrowedApis();

// True when `callee` returns a new list/dict/tuple that no other thread can
// reach until the caller publishes it. For Py_BuildValue the format decides,
// so pass its format string.
bool createsFreshContainer(std::string_view callee, std::string_view buildValueFormat = {});

// The API a call names, without the spellings headers rename it to:
// PY_SSIZE_T_CLEAN's `_..._SizeT` and the leading underscore of provisional
// names (_PyObject_Vectorcall, _PyArg_ParseTuple_SizeT -> PyArg_ParseTuple).
std::string_view apiBaseName(std::string_view callee);

// True when `callee` calls a Python object (PyObject_CallOneArg,
// PyObject_CallMethod, PyObject_Vectorcall, ...): its result is whatever
// that Python code returns, which ftlint cannot see.
bool callsPythonCode(std::string_view callee);

// What a call does with the object passed as argument `index`.
enum class ArgumentUse {
  Reads,    // looks at it and keeps no reference
  Mutates,  // changes it in place (PyDict_SetItem's dict) and keeps no reference
  Keeps,    // stores it, steals it, or hands it to code ftlint cannot see
};
ArgumentUse argumentUse(std::string_view callee, unsigned index);

// Macros over CPython internals that leave no call in the AST on some
// versions (PyList_GET_ITEM is `op->ob_item[i]`). The outermost one a user
// wrote names the API.
bool isAccessMacro(std::string_view macro);

// Macros that only read their arguments (Py_DECREF, PyList_GET_SIZE, ...).
bool isReadOnlyMacro(std::string_view macro);

// Allocator domains: memory must be freed by the domain that allocated it,
// and on free-threaded builds the object domain may only hold Python objects.
enum class AllocDomain { None, Raw, Mem, Object, Libc };
const char *allocDomainName(AllocDomain d);
// The domain a call allocates from (realloc functions included), or None.
AllocDomain allocatorDomain(std::string_view callee);
// The domain a call frees into (realloc functions included), or None.
AllocDomain deallocatorDomain(std::string_view callee);
// The function that frees memory of a domain: "PyMem_Free" for Mem.
const char *freeFunctionOf(AllocDomain d);

// Parameter names that conventionally hold a keyword-argument dict, which
// CPython builds fresh for each call.
bool isKeywordArgumentsName(std::string_view name);

}  // namespace ftlint
