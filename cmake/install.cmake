# What `cmake --install` (make install PREFIX=...) puts where, `make uninstall`
# and the Debian package of `make deb` (CPack). Included by CMakeLists.txt.
#
#   PREFIX/bin/anpham
#   PREFIX/share/anpham/fonts/            anpham's own fonts (found from bin/anpham: src/base/installed.c)
#   PREFIX/share/anpham/layouts/          the ready layouts; schema/ holds layout.rng and batch.rng
#   PREFIX/share/anpham/data/             the data of the editions (the examples)
#   PREFIX/share/anpham/samples/          editions.txt, districts.xml, archive.xml (anpham archive's default)
#   PREFIX/share/man/man1/anpham*.1.gz    anpham(1) and anpham-COMMAND(1), made from docs/command-line.md
#   PREFIX/share/bash-completion/completions/anpham
#   PREFIX/share/doc/anpham/              README.md and docs/*.md
# The layouts name their fonts as ../fonts and the samples their layouts and
# data as ../layouts and ../data: the tree under share/anpham is the source
# tree's, so everything renders from there as from the source tree.

set(AP_SHARE_DIR ${CMAKE_INSTALL_DATADIR}/anpham)

# The man pages, from the document on every change of it (tools/man-pages.pl:
# perl-base and gzip, both essential in Debian)...
find_program(AP_PERL perl REQUIRED)
set(AP_MAN_DIR ${CMAKE_BINARY_DIR}/man)
add_custom_command(OUTPUT ${AP_MAN_DIR}/anpham.1.gz
  COMMAND ${AP_PERL} ${CMAKE_SOURCE_DIR}/tools/man-pages.pl ${CMAKE_SOURCE_DIR}/docs/command-line.md ${AP_MAN_DIR}
          ${PROJECT_VERSION}
  DEPENDS ${CMAKE_SOURCE_DIR}/docs/command-line.md ${CMAKE_SOURCE_DIR}/tools/man-pages.pl
  COMMENT "Man pages from docs/command-line.md")
add_custom_target(man ALL DEPENDS ${AP_MAN_DIR}/anpham.1.gz)

# ...what is installed...
install(TARGETS anpham RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/fonts ${CMAKE_SOURCE_DIR}/layouts ${CMAKE_SOURCE_DIR}/data
        DESTINATION ${AP_SHARE_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/samples/editions.txt ${CMAKE_SOURCE_DIR}/samples/districts.xml
              ${CMAKE_SOURCE_DIR}/samples/archive.xml DESTINATION ${AP_SHARE_DIR}/samples)
install(DIRECTORY ${AP_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING PATTERN "*.1.gz")
install(FILES ${CMAKE_SOURCE_DIR}/completion/anpham.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME anpham)
file(GLOB AP_DOCS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${AP_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR})

# ...and removed: every file install_manifest.txt lists (cmake --install
# writes it), then anpham's own folders left empty.
add_custom_target(uninstall
  COMMAND ${CMAKE_COMMAND} -DMANIFEST=${CMAKE_BINARY_DIR}/install_manifest.txt -P ${CMAKE_SOURCE_DIR}/cmake/uninstall.cmake
  COMMENT "Removing the files of install_manifest.txt")

# The Debian package (make deb: cpack -G DEB in the build folder): installed
# under /usr, its dependencies those of the libraries the binary links
# (dpkg-shlibdeps), and the packages of libqpdf, which `extract` and `verify`
# load when they run (src/qpdf-lazy.c), of libcrypto and libssl, which `sign` loads
# (src/sign/openssl-lazy.c), and of fontconfig, which a <family font="NAME">
# loads (src/font/lookup.c): dpkg-shlibdeps cannot see those.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME anpham)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "anpham maintainers <maintainers@users.noreply.b-seed-e4134fe4.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "typesets Vietnamese provincial Party documents into print-ready PDF")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "An XML layout definition and XML data are combined into a PDF with the
Vietnamese fonts embedded (subset), a correct text layer, tags, bookmarks
and document information; PDF/A-3 archives carry their own source. Ready
layouts for reports, handouts, slides and appendices, with the data of
their editions as examples, are in /usr/share/anpham.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "")
find_program(AP_DPKG_QUERY dpkg-query)
foreach(ap_lazy_lib ${AP_QPDF_LIB} ${AP_CRYPTO_LIB} ${AP_SSL_LIB} ${AP_FONTCONFIG_LIB} ${AP_ICUUC_LIB} ${AP_HB_LIB}
                    ${AP_HB_SUBSET_LIB}) # loaded when needed (dlopen)
  get_filename_component(ap_lazy_real ${ap_lazy_lib} REALPATH)
  if(AP_DPKG_QUERY)
    execute_process(COMMAND ${AP_DPKG_QUERY} -S ${ap_lazy_real} OUTPUT_VARIABLE ap_lazy_owner ERROR_QUIET)
    string(REGEX MATCH "^[^:,]+" ap_lazy_package "${ap_lazy_owner}")
    if(ap_lazy_package)
      list(APPEND ap_lazy_packages ${ap_lazy_package})
    endif()
  endif()
endforeach()
if(ap_lazy_packages)
  list(REMOVE_DUPLICATES ap_lazy_packages)
  string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_DEPENDS "${ap_lazy_packages}")
endif()
# The manifest of `make install` survives a package build (cmake/cpack-manifest.cmake).
set(CPACK_ANPHAM_MANIFEST ${CMAKE_BINARY_DIR}/install_manifest.txt)
set(CPACK_INSTALL_SCRIPTS ${CMAKE_SOURCE_DIR}/cmake/cpack-manifest.cmake)
set(CPACK_POST_BUILD_SCRIPTS ${CMAKE_SOURCE_DIR}/cmake/cpack-manifest.cmake)
include(CPack)
