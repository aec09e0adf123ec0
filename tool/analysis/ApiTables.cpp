#include "tool/analysis/ApiTables.h"

#include <algorithm>
#include <initializer_list>

namespace ftlint {
namespace {

// Versions and replacements: ../shared/reference/cpython-free-threading-api.md §1.
constexpr BorrowedApi kBorrowedApis[] = {
    {"PyList_GetItem", "FT101", "list", "PyList_GetItemRef", "3.13", false, 0, "", ""},
    {"PyList_GET_ITEM", "FT101", "list", "PyList_GetItemRef", "3.13", true, 0, "", ""},
    {"PyDict_GetItem", "FT102", "dict", "PyDict_GetItemRef", "3.13", false, 0, "", ""},
    {"PyDict_GetItemWithError", "FT102", "dict", "PyDict_GetItemRef", "3.13", false, 0, "", ""},
    {"_PyDict_GetItemWithError", "FT102", "dict", "PyDict_GetItemRef", "3.13", false, 0, "", ""},
    {"PyDict_GetItemString", "FT102", "dict", "PyDict_GetItemStringRef", "3.13", false, 0, "", ""},
    {"_PyDict_GetItemStringWithError", "FT102", "dict", "PyDict_GetItemStringRef", "3.13", false, 0, "",
     "it is deprecated since 3.14 and scheduled for removal in 3.18"},
    {"PyDict_SetDefault", "FT103", "dict", "PyDict_SetDefaultRef", "3.13", false, 0, "",
     "mind that PyDict_SetDefaultRef() returns 1 when the key was present and 0 when it inserted the default"},
    {"PyWeakref_GetObject", "FT104", "weak reference", "PyWeakref_GetRef", "3.13", false, -1,
     "the referent can be destroyed by another thread at any moment",
     "PyWeakref_GetObject() is deprecated since 3.13 and removed in 3.15"},
    {"PyWeakref_GET_OBJECT", "FT104", "weak reference", "PyWeakref_GetRef", "3.13", true, -1,
     "the referent can be destroyed by another thread at any moment",
     "PyWeakref_GET_OBJECT() is deprecated since 3.13 and removed in 3.15"},
    {"PyImport_AddModule", "FT105", "sys.modules", "PyImport_AddModuleRef", "3.13", false, -1,
     "another thread can remove or replace the module in sys.modules and free it", ""},
    {"PyImport_AddModuleObject", "FT105", "sys.modules", "PyImport_AddModuleRef", "3.13", false, -1,
     "another thread can remove or replace the module in sys.modules and free it",
     "there is no str-object variant: PyImport_AddModuleRef() takes a C string"},
    {"PyCell_GET", "FT106", "cell", "PyCell_Get", "3.0", true, 0, "", ""},
    {"PyEval_GetGlobals", "FT107", "frame", "PyEval_GetFrameGlobals", "3.13", false, -1,
     "the reference is borrowed from the running frame", "PyEval_GetGlobals() is soft-deprecated since 3.13"},
    {"PyEval_GetLocals", "FT107", "frame", "PyEval_GetFrameLocals", "3.13", false, -1,
     "the reference is borrowed from the running frame, whose locals other code can rebind",
     "PyEval_GetFrameLocals() returns a snapshot, like locals()"},
    {"PyEval_GetBuiltins", "FT107", "frame", "PyEval_GetFrameBuiltins", "3.13", false, -1,
     "the reference is borrowed from the running frame", "PyEval_GetBuiltins() is soft-deprecated since 3.13"},
    {"PySys_GetObject", "FT108", "sys", "PySys_GetOptionalAttrString", "3.15", false, -1,
     "another thread can rebind the attribute (sys.stdout = ...) and free the old value",
     "older Pythons get it from pythoncapi_compat.h"},
};

// Calls that keep none of their arguments: they read, count, compare or
// modify the container in place.
bool readsEveryArgument(std::string_view f) {
  return isOneOf(f, {"Py_INCREF", "Py_DECREF", "Py_XINCREF", "Py_XDECREF", "_Py_INCREF", "_Py_DECREF",
                 "_Py_XDECREF", "Py_IncRef", "Py_DecRef", "_Py_IncRef", "_Py_DecRef", "_Py_Dealloc",
                 "Py_SIZE", "Py_TYPE", "Py_REFCNT", "_Py_REFCNT", "Py_IS_TYPE", "Py_Is", "Py_IsNone",
                 "_Py_IsImmortal",
                 "PyList_Size", "PyList_GET_SIZE", "PyList_GetItem", "PyList_GetItemRef", "PyList_GetSlice",
                 "PyList_AsTuple",
                 "PyDict_Size", "PyDict_GET_SIZE", "PyDict_GetItem", "PyDict_GetItemWithError",
                 "_PyDict_GetItemWithError", "PyDict_GetItemString", "_PyDict_GetItemStringWithError",
                 "PyDict_GetItemRef", "PyDict_GetItemStringRef", "PyDict_Contains", "PyDict_ContainsString",
                 "PyDict_Next", "PyDict_Keys", "PyDict_Values", "PyDict_Items", "PyDict_Copy",
                 "PyTuple_Size", "PyTuple_GET_SIZE", "PyTuple_GetItem", "PyTuple_GetSlice",
                 "PySequence_Size", "PySequence_Length", "PySequence_Check", "PySequence_Fast",
                 "PySequence_List", "PySequence_Tuple", "PySequence_GetItem", "PySequence_Contains",
                 "PySequence_Index", "PySequence_Count",
                 "PyObject_Length", "PyObject_Size", "PyObject_IsTrue", "PyObject_Not", "PyObject_Repr",
                 "PyObject_Str", "PyObject_Hash", "PyObject_TypeCheck", "PyObject_IsInstance",
                 "PyObject_GetIter", "PyObject_RichCompare", "PyObject_RichCompareBool", "PyObject_GetItem",
                 "PyObject_GetAttr", "PyObject_GetAttrString", "PyObject_HasAttr", "PyObject_HasAttrString",
                 "PyMapping_Keys", "PyMapping_Values", "PyMapping_Items", "PyMapping_Size",
                 "PyMapping_Length", "PyMapping_HasKey", "PyMapping_HasKeyString",
                 "PyArg_ParseTuple", "PyArg_ParseTupleAndKeywords", "PyArg_UnpackTuple",
                 "PyUnicode_Join", "PyList_Check", "PyList_CheckExact", "PyDict_Check",
                 "PyDict_CheckExact", "PyTuple_Check", "PyTuple_CheckExact"});
}

// Calls that modify their first argument in place and keep the others.
bool modifiesFirstKeepsRest(std::string_view f) {
  return isOneOf(f, {"PyList_Append", "PyList_Insert", "PyList_SetItem", "PyList_SET_ITEM", "PyDict_SetItem",
                 "PyDict_SetItemString", "PyDict_SetDefault", "PyDict_SetDefaultRef", "PyTuple_SetItem",
                 "PyTuple_SET_ITEM", "PySet_Add", "PyObject_SetItem", "PyObject_SetAttr",
                 "PyObject_SetAttrString", "PyModule_AddObject", "PyModule_AddObjectRef", "PyModule_Add"});
}

// Calls whose first argument is modified and whose other arguments are only
// read (their items are copied).
bool modifiesFirstReadsRest(std::string_view f) {
  return isOneOf(f, {"PyList_SetSlice", "PyDict_Update", "PyDict_Merge", "PyDict_MergeFromSeq2", "PyList_Extend",
                 "_PyList_Extend", "PyList_Sort", "PyList_Reverse", "PyList_Clear", "PyDict_DelItem",
                 "PyDict_DelItemString", "PyDict_Clear", "PyDict_Pop", "PyDict_PopString", "Py_SET_SIZE",
                 "PySet_Discard", "PySet_Clear", "PySet_Pop"});
}

}  // namespace

const std::vector<BorrowedApi> &borrowedApis() {
  static const std::vector<BorrowedApi> all(std::begin(kBorrowedApis), std::end(kBorrowedApis));
  return all;
}

bool isOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const BorrowedApi *findBorrowedApi(std::string_view name) {
  for (const auto &api : kBorrowedApis)
    if (api.name == name) return &api;
  return nullptr;
}

bool createsFreshContainer(std::string_view callee, std::string_view buildValueFormat) {
  if (callee == "Py_BuildValue" || callee == "_Py_BuildValue_SizeT") {
    size_t i = buildValueFormat.find_first_not_of(" \t");
    return i != std::string_view::npos && std::string_view("[{(").find(buildValueFormat[i]) != std::string_view::npos;
  }
  return isOneOf(callee, {"PyList_New", "PyDict_New", "PyDict_Copy", "PyList_GetSlice", "PySequence_List",
                 "PyDict_Keys", "PyDict_Values", "PyDict_Items", "PyMapping_Keys", "PyMapping_Values",
                 "PyMapping_Items", "PyObject_Dir", "_PyDict_NewPresized", "PyTuple_New", "PyTuple_Pack",
                 "PyList_AsTuple", "PySequence_Tuple", "PyCell_New", "PyUnicode_Split", "PyUnicode_RSplit",
                 "PyUnicode_Splitlines", "PyUnicode_Partition", "PyUnicode_RPartition", "PyDict_FromKeys"});
}

ArgumentUse argumentUse(std::string_view callee, unsigned index) {
  if (readsEveryArgument(callee)) return ArgumentUse::Reads;
  if (modifiesFirstKeepsRest(callee)) return index == 0 ? ArgumentUse::Mutates : ArgumentUse::Keeps;
  if (modifiesFirstReadsRest(callee)) return index == 0 ? ArgumentUse::Mutates : ArgumentUse::Reads;
  return ArgumentUse::Keeps;
}

bool isAccessMacro(std::string_view macro) {
  return isOneOf(macro, {"PyList_GET_ITEM", "PyList_SET_ITEM", "PyTuple_GET_ITEM", "PyTuple_SET_ITEM",
                 "PySequence_Fast_GET_ITEM", "PySequence_Fast_ITEMS", "PyCell_GET", "PyWeakref_GET_OBJECT"});
}

bool isReadOnlyMacro(std::string_view macro) {
  return isOneOf(macro, {"Py_CLEAR", "Py_VISIT", "Py_XDECREF", "Py_DECREF", "Py_INCREF", "Py_XINCREF", "Py_SIZE", "Py_TYPE",
                 "Py_REFCNT", "PyList_GET_ITEM", "PyList_GET_SIZE", "PyTuple_GET_ITEM", "PyTuple_GET_SIZE",
                 "PySequence_Fast_GET_ITEM", "PySequence_Fast_GET_SIZE", "PySequence_Fast_ITEMS",
                 "PyDict_GET_SIZE", "PyList_Check", "PyList_CheckExact", "PyDict_Check", "PyDict_CheckExact",
                 "PyTuple_Check", "PyTuple_CheckExact", "Py_IS_TYPE"});
}

const char *allocDomainName(AllocDomain d) {
  switch (d) {
  case AllocDomain::Raw: return "raw (PyMem_Raw*)";
  case AllocDomain::Mem: return "PyMem";
  case AllocDomain::Object: return "PyObject";
  case AllocDomain::Libc: return "C library (malloc)";
  case AllocDomain::None: break;
  }
  return "unknown";
}

AllocDomain allocatorDomain(std::string_view f) {
  if (isOneOf(f, {"PyMem_RawMalloc", "PyMem_RawCalloc", "PyMem_RawRealloc"})) return AllocDomain::Raw;
  if (isOneOf(f, {"PyMem_Malloc", "PyMem_Calloc", "PyMem_Realloc"})) return AllocDomain::Mem;
  if (isOneOf(f, {"PyObject_Malloc", "PyObject_Calloc", "PyObject_Realloc"})) return AllocDomain::Object;
  if (isOneOf(f, {"malloc", "calloc", "realloc", "strdup", "strndup", "aligned_alloc", "reallocarray"}))
    return AllocDomain::Libc;
  return AllocDomain::None;
}

AllocDomain deallocatorDomain(std::string_view f) {
  if (isOneOf(f, {"PyMem_RawFree", "PyMem_RawRealloc"})) return AllocDomain::Raw;
  if (isOneOf(f, {"PyMem_Free", "PyMem_Realloc"})) return AllocDomain::Mem;
  if (isOneOf(f, {"PyObject_Free", "PyObject_Realloc"})) return AllocDomain::Object;
  if (isOneOf(f, {"free", "realloc", "reallocarray"})) return AllocDomain::Libc;
  return AllocDomain::None;
}

const char *freeFunctionOf(AllocDomain d) {
  switch (d) {
  case AllocDomain::Raw: return "PyMem_RawFree";
  case AllocDomain::Mem: return "PyMem_Free";
  case AllocDomain::Object: return "PyObject_Free";
  case AllocDomain::Libc: return "free";
  case AllocDomain::None: break;
  }
  return "";
}

std::string_view apiBaseName(std::string_view callee) {
  if (callee.starts_with("_Py")) callee.remove_prefix(1);
  if (callee.ends_with("_SizeT")) callee.remove_suffix(6);
  return callee;
}

bool callsPythonCode(std::string_view callee) {
  return isOneOf(apiBaseName(callee), {"PyObject_Call", "PyObject_CallObject", "PyObject_CallNoArgs", "PyObject_CallNoArg",
                          "PyObject_CallOneArg", "PyObject_CallFunction", "PyObject_CallFunctionObjArgs",
                          "PyObject_CallMethod", "PyObject_CallMethodObjArgs", "PyObject_CallMethodNoArgs",
                          "PyObject_CallMethodOneArg", "PyObject_CallMethodId", "PyObject_CallMethodIdObjArgs",
                          "PyObject_CallMethodIdNoArgs", "PyObject_CallMethodIdOneArg", "PyObject_Vectorcall",
                          "PyObject_VectorcallDict", "PyObject_VectorcallMethod", "PyObject_FastCall",
                          "PyObject_FastCallDict", "PyObject_CallObjectWithKeywords", "PyEval_CallObject",
                          "PyEval_CallObjectWithKeywords", "PyEval_CallFunction", "PyEval_CallMethod",
                          "PyVectorcall_Call", "PyCFunction_Call"});
}

bool isKeywordArgumentsName(std::string_view name) {
  return isOneOf(name, {"kwargs", "kwds", "kw", "kws", "kwarg", "keywords", "kwdict"});
}

}  // namespace ftlint
