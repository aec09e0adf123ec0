#include <nanobind/nanobind.h>

NB_MODULE(_fast, m) {
    (void)m;
}
