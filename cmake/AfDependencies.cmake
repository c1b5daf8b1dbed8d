# Third-party dependencies, all from Debian 12 packages (scripts/setup.sh installs them).
# Nothing is downloaded at configure, build or run time.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(OpenSSL REQUIRED)         # libcrypto: SHA-256 of config files (audit log)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Eigen3 REQUIRED NO_MODULE)
find_package(Boost 1.74 REQUIRED)
find_package(date REQUIRED)            # HowardHinnant date: date::date, date::date-tz
# QuantLib (Debian's libquantlib0-dev ships neither a CMake config nor a .pc file).
find_path(QUANTLIB_INCLUDE_DIR ql/version.hpp REQUIRED)
# The static archive (same package) is preferred: the shared libQuantLib.so carries ~47 000 symbol
# relocations that the dynamic loader resolves at every process start (~10 ms of CPU, measured
# with `perf stat abstractfinance --help`: 20.7 -> 9.2 ms task-clock), whereas static linking pulls in only
# the calendar and Black-Scholes objects the code uses. Debian's archive is position-independent,
# so it links into the PIE executables. Pass -DQUANTLIB_LIBRARY=... to choose another.
find_library(QUANTLIB_LIBRARY NAMES libQuantLib.a QuantLib REQUIRED)
add_library(quantlib INTERFACE)
target_include_directories(quantlib SYSTEM INTERFACE ${QUANTLIB_INCLUDE_DIR})
target_link_libraries(quantlib INTERFACE ${QUANTLIB_LIBRARY})
if(AF_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(AF_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
