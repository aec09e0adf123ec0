// Hashing for maps and sets keyed by AST node addresses.
//
// LLVM's default pointer hash shifts the address, so nodes the AST allocator
// placed one after another get consecutive hash values. They then fill runs
// of adjacent buckets, and every insertion or lookup that lands inside a run
// probes along it: on a large function the parent map spent more on probing
// than on recording parents. Multiplying by a large odd constant and keeping
// the high bits spreads neighbours across the table.
#pragma once

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <cstdint>

namespace ftlint {

template <typename T>
struct ScatteredAddressInfo : llvm::DenseMapInfo<T *> {
  static unsigned getHashValue(const T *address) {
    uint64_t mixed = uint64_t(reinterpret_cast<uintptr_t>(address)) * 0x9E3779B97F4A7C15ull;
    return unsigned(mixed >> 32);
  }
};

template <typename Node, typename Value>
using NodeMap = llvm::DenseMap<Node *, Value, ScatteredAddressInfo<Node>>;
template <typename Node>
using NodeSet = llvm::DenseSet<Node *, ScatteredAddressInfo<Node>>;

}  // namespace ftlint
