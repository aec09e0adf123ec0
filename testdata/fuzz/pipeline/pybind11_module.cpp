#include <pybind11/pybind11.h>
namespace py = pybind11;
static py::object cached;
PYBIND11_MODULE(m, mod) {
    mod.def("get", []() { if (!cached) cached = py::int_(1); return cached; });
}
