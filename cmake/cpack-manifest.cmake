# CPack installs the package's files through the build's cmake_install.cmake,
# which writes BUILD/install_manifest.txt with the package's /usr paths: that
# would make the next `make uninstall` remove the files of the installed
# Debian package instead of those of `make install`. Run by CPack before its
# install (CPACK_INSTALL_SCRIPTS: keep the manifest of `make install`) and
# after the package is made (CPACK_POST_BUILD_SCRIPTS, which see
# CPACK_PACKAGE_FILES: put it back, or remove CPack's when there was none).

set(kept "${CPACK_ANPHAM_MANIFEST}.kept")
if(NOT DEFINED CPACK_PACKAGE_FILES)
  file(REMOVE "${kept}")
  if(EXISTS "${CPACK_ANPHAM_MANIFEST}")
    configure_file("${CPACK_ANPHAM_MANIFEST}" "${kept}" COPYONLY)
  endif()
elseif(EXISTS "${kept}")
  file(RENAME "${kept}" "${CPACK_ANPHAM_MANIFEST}")
else()
  file(REMOVE "${CPACK_ANPHAM_MANIFEST}")
endif()
