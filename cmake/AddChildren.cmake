# rebook_add_child_directories(): add_subdirectory() every child folder that has a CMakeLists.txt,
# so that each tool or benchmark lives in its own folder and adding one touches no shared file.
function(rebook_add_child_directories)
  file(GLOB children LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  foreach(child IN LISTS children)
    if(IS_DIRECTORY ${child} AND EXISTS ${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
