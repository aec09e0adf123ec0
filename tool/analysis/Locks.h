// Locks and thread-state changes ftlint can see at a point of a function:
// critical sections, mutexes taken and not yet released, C++ lock guards in
// scope, and regions where the thread is detached from the interpreter
// (Py_BEGIN_ALLOW_THREADS, PyEval_SaveThread, py::gil_scoped_release).
#pragma once

#include "tool/analysis/TuContext.h"

#include "clang/AST/Stmt.h"

namespace ftlint {

// True when a lock of any kind is held at `site`.
bool lockHeldAt(TuContext &tu, const clang::Stmt *site);

// True when the thread is detached (not attached to the interpreter) at `site`.
bool detachedAt(TuContext &tu, const clang::Stmt *site);

// Blocking lock and wait functions (pthread_mutex_lock, sem_wait, ...), and
// C++ lock guard classes (std::lock_guard, ...).
bool isBlockingLockCall(const clang::CallExpr *call);
bool isLockGuardType(clang::QualType type);

}  // namespace ftlint
