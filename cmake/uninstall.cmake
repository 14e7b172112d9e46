# make uninstall (cmake --build build --target uninstall):
#   cmake -DMANIFEST=build/install_manifest.txt -P cmake/uninstall.cmake
# removes every file that `cmake --install` listed in MANIFEST, then the
# folders of anpham's own left empty (PREFIX/share/anpham/..., PREFIX/share/doc/anpham):
# shared folders such as PREFIX/bin or PREFIX/share/man/man1 stay. Like
# the install, it honours DESTDIR (the manifest lists the paths without it).

if(NOT MANIFEST OR NOT EXISTS "${MANIFEST}")
  message(FATAL_ERROR "uninstall: '${MANIFEST}' is missing: nothing was installed from this build folder")
endif()
file(STRINGS "${MANIFEST}" listed)
set(installed)
foreach(file ${listed})
  list(APPEND installed "$ENV{DESTDIR}${file}")
endforeach()

# The files, and each folder between a file and its nearest folder named anpham...
set(folders)
foreach(file ${installed})
  if(EXISTS "${file}" OR IS_SYMLINK "${file}")
    message(STATUS "Removing ${file}")
    file(REMOVE "${file}")
  endif()
  string(FIND "${file}" "/anpham/" own REVERSE)
  if(own GREATER -1)
    string(SUBSTRING "${file}" 0 ${own} top)
    set(top "${top}/anpham")
    get_filename_component(folder "${file}" DIRECTORY)
    string(FIND "${folder}" "${top}/" below)
    while(below EQUAL 0)
      list(APPEND folders "${folder}")
      get_filename_component(folder "${folder}" DIRECTORY)
      string(FIND "${folder}" "${top}/" below)
    endwhile()
    list(APPEND folders "${top}")
  endif()
endforeach()

# ...deepest first, each when nothing is left in it.
list(REMOVE_DUPLICATES folders)
list(SORT folders)
list(REVERSE folders)
foreach(folder ${folders})
  file(GLOB left LIST_DIRECTORIES true "${folder}/*" "${folder}/.*")
  if(IS_DIRECTORY "${folder}" AND NOT left)
    message(STATUS "Removing ${folder}/")
    file(REMOVE_RECURSE "${folder}")
  endif()
endforeach()
