# REBOOK_MALLOC: the allocator every rebook_binary links (cmake/RebookTargets.cmake).
#
# gperftools' tcmalloc (libtcmalloc_minimal) by default: SQLite allocates and frees small
# blocks for every row it writes (Debian builds it without lookaside), and glibc's malloc made
# that about a tenth of a region plan commit; with tcmalloc the same commit took 12-20 % less
# wall time (docs/pipeline.md, "A commit on two threads, and the allocator"). Not with the
# sanitizers, which bring their own malloc; tests (rebook_test) keep glibc's, so they run as
# they did. -DREBOOK_TCMALLOC=OFF builds the binaries with glibc's malloc, for comparison.
option(REBOOK_TCMALLOC "Link the binaries with gperftools' tcmalloc" ON)
set(REBOOK_MALLOC "")
if(REBOOK_TCMALLOC AND NOT REBOOK_SANITIZE AND NOT REBOOK_SANITIZE_THREAD AND NOT REBOOK_FUZZ)
  pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
  set(REBOOK_MALLOC PkgConfig::TCMALLOC)
endif()
