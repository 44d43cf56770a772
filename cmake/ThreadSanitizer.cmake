# REBOOK_SANITIZE_THREAD: build everything with ThreadSanitizer (the `tsan` preset of
# CMakePresets.json; run by `tools/test.sh --tsan`). Debian's gRPC, Abseil, protobuf and SQLite are
# not instrumented: their pthread locks are seen (TSan intercepts them), their atomics are not.
# cmake/tsan/absl_sync.cc makes absl::Mutex (rebook's and gRPC's locks) visible to TSan and is
# linked into every executable (rebook_tsan_runtime); cmake/tsan/tsan.supp names the third-party
# frames whose reports are false for the remaining reason. Our own code gets no suppressions.
option(REBOOK_SANITIZE_THREAD "Build with ThreadSanitizer" OFF)
if(REBOOK_SANITIZE_THREAD)
  if(REBOOK_SANITIZE)
    message(FATAL_ERROR "REBOOK_SANITIZE (ASan) and REBOOK_SANITIZE_THREAD cannot be combined")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  # GCC 12 warns that TSan does not model std::atomic_thread_fence (-Wtsan), which headers of
  # Abseil and gRPC use; and at -O1 the instrumentation causes the same false "may be used
  # uninitialized" as ASan (see REBOOK_SANITIZE). The release preset keeps both as errors.
  list(APPEND REBOOK_WARNINGS -Wno-tsan -Wno-maybe-uninitialized)
  add_library(rebook_tsan_sync OBJECT ${CMAKE_CURRENT_LIST_DIR}/tsan/absl_sync.cc)
  target_link_libraries(rebook_tsan_sync PRIVATE absl::synchronization)
endif()

# rebook_tsan_runtime(target): under REBOOK_SANITIZE_THREAD, links the absl::Mutex annotations
# into the executable `target`; otherwise nothing. rebook_binary and rebook_test call it.
function(rebook_tsan_runtime target)
  if(REBOOK_SANITIZE_THREAD)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:rebook_tsan_sync>)
    target_link_libraries(${target} PRIVATE absl::synchronization ${CMAKE_DL_LIBS})
  endif()
endfunction()

# The suite that runs under TSan: the server, the notifier and the tests that drive them over
# real sockets, and offers_test (a plan commit works on two more threads, rebooking/commit.cc).
# rebook_test() labels these `tsan` (the tsan test preset runs that label), and the target
# tsan_suite (the tsan build preset) builds them with the binaries they start.
set(REBOOK_TSAN_TESTS api_e2e_test import_cutoff_e2e_test import_process_e2e_test
    graceful_stop_e2e_test notify_e2e_test notify_kill_e2e_test offers_e2e_test notifier_test
    notify_core_test offers_test)
if(REBOOK_SANITIZE_THREAD)
  add_custom_target(tsan_suite)
  add_dependencies(tsan_suite ${REBOOK_TSAN_TESTS} rebookd rebook-notifier rebookctl rebook-gen)
endif()
