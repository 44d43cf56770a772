# Helpers that keep every folder's CMakeLists.txt to a few lines.
#
#   rebook_library(domain SOURCES a.cc b.cc DEPS rebook::common date::date-tz)
#     -> static library rebook_domain with the alias rebook::domain.
#   rebook_test(domain_test SOURCES a_test.cc DEPS rebook::domain)
#     -> gtest binary registered with CTest, one CTest entry per test case.
#   rebook_binary(rebookd SOURCES main.cc DEPS rebook::api)
#     -> executable written to <build>/bin, with the project's allocator (cmake/Malloc.cmake).

function(rebook_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(rebook_${name} STATIC ${ARG_SOURCES})
  add_library(rebook::${name} ALIAS rebook_${name})
  target_include_directories(rebook_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(rebook_${name} PRIVATE ${REBOOK_WARNINGS})
  target_link_libraries(rebook_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  set_property(GLOBAL APPEND PROPERTY REBOOK_LIBRARIES rebook_${name})
endfunction()

# rebook_write_layer_model(file): writes every rebook_library's folder and direct link libraries
# as JSON, for tools/check_layers.py to hold against the Layout table of docs/development.md.
function(rebook_write_layer_model file)
  get_property(libraries GLOBAL PROPERTY REBOOK_LIBRARIES)
  set(json "{")
  set(separator "")
  foreach(library IN LISTS libraries)
    get_target_property(dir ${library} SOURCE_DIR)
    file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${dir})
    get_target_property(links ${library} LINK_LIBRARIES)
    set(items "")
    foreach(link IN LISTS links)
      if(link MATCHES "^rebook::")
        list(APPEND items "\"${link}\"")
      endif()
    endforeach()
    list(JOIN items ", " items)
    string(APPEND json "${separator}\n  \"${library}\": {\"folder\": \"${folder}\", \"links\": [${items}]}")
    set(separator ",")
  endforeach()
  file(WRITE ${file} "${json}\n}\n")
endfunction()

function(rebook_binary name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${REBOOK_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} ${REBOOK_MALLOC})
  rebook_tsan_runtime(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
endfunction()

function(rebook_test name)
  if(NOT REBOOK_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT;RESOURCE_LOCK" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  # RESOURCE_LOCK name: the target's test cases never run beside each other (ctest -j).
  set(extra_properties "")
  if(ARG_RESOURCE_LOCK)
    set(extra_properties RESOURCE_LOCK ${ARG_RESOURCE_LOCK})
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${REBOOK_WARNINGS} ${REBOOK_HARNESS_FLAGS} ${REBOOK_TEST_FLAGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  rebook_tsan_runtime(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  # Tests find the project's binaries and sources through compiled-in paths; the environment
  # variables REBOOK_BIN_DIR and REBOOK_SOURCE_DIR override them when set.
  target_compile_definitions(${name} PRIVATE
    REBOOK_TEST_BIN_DIR="${PROJECT_BINARY_DIR}/bin"
    REBOOK_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # A list would not survive gtest_discover_tests' PROPERTIES, so tsan replaces the labels.
  if(REBOOK_SANITIZE_THREAD AND name IN_LIST REBOOK_TSAN_TESTS)
    set(ARG_LABELS tsan)
  endif()
  # An empty LABELS value would swallow the next keyword, so it is passed only when set.
  if(ARG_LABELS)
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
      PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}" ${extra_properties})
  else()
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
      PROPERTIES TIMEOUT ${ARG_TIMEOUT} ${extra_properties})
  endif()
endfunction()

# rebook_grpc_pch(target): precompile the gRPC runtime and the generated API headers for a
# target with several sources that speak API v1. They take most of each such source's compile
# time; a target's sources then parse them once instead of once each.
function(rebook_grpc_pch target)
  if(REBOOK_PCH)
    target_precompile_headers(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch/grpc_api.h)
  endif()
endfunction()
