# packaging.cmake - what goes into an installation and a .deb, and the
# self-contained (static) wtrec.  Included from the top CMakeLists.txt
# after the wtrec target exists.
#
#   cmake --install build --prefix P   bin/wtrec, share/man/man1/wtrec.1.gz,
#                                      share/wtrec/sql/*.sql
#   (cd build && cpack -G DEB)         wtrec_VERSION_ARCH.deb; its Depends
#                                      come from dpkg-shlibdeps (the
#                                      libraries the binary really links)
#   -DWT_STATIC=ON                     bin/wtrec linked statically: runs on
#                                      a host without libtracefs/libtraceevent
#                                      (or any library at all)

option(WT_STATIC "Link wtrec statically: one self-contained binary" OFF)
if(WT_STATIC)
  # -static makes the linker take the .a of every -l; the *_STATIC_LDFLAGS
  # of pkg-config add what those archives need in turn (libtraceevent:
  # -ldl, sqlite3: -lm -lpthread).  glibc warns that libtraceevent's
  # plugin loader (dlopen) would need the shared glibc at run time: wtrec
  # loads no plugins (their directory does not exist on such a host).
  # The IMPORTED_TARGETs of pkg_check_modules name the .so files by path:
  # give them the -l flags instead (the tests, dynamic, link the same).
  target_link_options(wtrec PRIVATE -static)
  foreach(m TRACEFS TRACEEVENT SQLITE3 ZLIB ZSTD)
    set_target_properties(PkgConfig::${m} PROPERTIES
                          INTERFACE_LINK_LIBRARIES "${${m}_STATIC_LDFLAGS}")
  endforeach()
endif()

# The man page, gzipped as Debian policy wants it (-n: no name or time
# stamp in the .gz, so the package is reproducible).
find_program(WT_GZIP gzip REQUIRED)
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/wtrec.1.gz
  COMMAND ${WT_GZIP} -9nc ${CMAKE_SOURCE_DIR}/docs/wtrec.1 > ${CMAKE_BINARY_DIR}/wtrec.1.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/docs/wtrec.1
  COMMENT "Compressing the man page")
add_custom_target(wtrec_man ALL DEPENDS ${CMAKE_BINARY_DIR}/wtrec.1.gz)

install(TARGETS wtrec RUNTIME DESTINATION bin)
install(FILES ${WT_SQL_FILES} DESTINATION share/wtrec/sql)
install(FILES ${CMAKE_BINARY_DIR}/wtrec.1.gz DESTINATION share/man/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wtrec)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "wtrec developers <wtrec@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "record and explain wait4/waitid: who waited on which child, and who did not")
set(CPACK_PACKAGE_DESCRIPTION
    "wtrec records wait4/waitid calls and the fork/exec/exit/signal events
around them through tracefs, and explains them offline: zombies, stolen
reaps (ECHILD), auto-reaped children, failed and polling waits, with SQL
reports, an HTML incident report and a Perfetto timeline.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES TRUE)
# --shell runs the sqlite3 command-line shell; everything else works without
set(CPACK_DEBIAN_PACKAGE_SUGGESTS sqlite3)
include(CPack)
