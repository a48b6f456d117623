# The Debian package (docs/packaging.md): install rules of the files that are not programs
# (packaging/CMakeLists.txt) and the CPack DEB settings. Included once, at the end of the
# top-level CMakeLists.txt, after every target exists.
#
#   cmake --build build --target package        or, in the build dir:   cpack -G DEB
#
# Depends = the `runtime` rows of packaging/debian-packages.txt (the one list of system
# packages), merged at package time with what dpkg-shlibdeps computes from the ELF files that
# were actually installed (packaging/debian-depends.cmake). A new program or library therefore
# needs no change here; a runtime package that is not a linked library (a Qt plugin, a helper
# program) goes into the list with the role `runtime`.

add_subdirectory("${PROJECT_SOURCE_DIR}/packaging" "${CMAKE_BINARY_DIR}/packaging")

# --- Depends from the one list ---------------------------------------------------------------
set(_qc_package_list "${PROJECT_SOURCE_DIR}/packaging/debian-packages.txt")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    "${_qc_package_list}")
file(STRINGS "${_qc_package_list}" _qc_package_rows REGEX "^[a-z0-9]")
set(_qc_runtime_packages)
foreach(_row IN LISTS _qc_package_rows)
    if(_row MATCHES "^([a-z0-9][a-z0-9.+-]+)[ \t]+([a-z,]+)")
        set(_name "${CMAKE_MATCH_1}")
        string(REPLACE "," ";" _roles "${CMAKE_MATCH_2}")
        if("runtime" IN_LIST _roles)
            list(APPEND _qc_runtime_packages "${_name}")
        endif()
    endif()
endforeach()
if(NOT _qc_runtime_packages)
    message(FATAL_ERROR "${_qc_package_list} lists no package with the role 'runtime'")
endif()
list(JOIN _qc_runtime_packages ", " _qc_runtime_depends)

# --- Package metadata ------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME quota-console)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "The Quota Console developers")
set(CPACK_PACKAGE_CONTACT "The Quota Console developers <quota-console@example.org>")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The long description of the .deb: lines of at most 79 columns, an empty line between paragraphs.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Quota Console watches, investigates and tunes the rate limits, plan quotas,\n"
    "idempotency keys and abuse detection of an API, all kept in a PostgreSQL\n"
    "quota database: live decisions and alerts, audited admin actions (plans,\n"
    "blocks, acknowledgements) and simulation of policy changes on recorded\n"
    "traffic with the enforcement core that production uses.\n"
    "\n"
    "This package holds the desktop console (quota-console), the command-line\n"
    "tool quotactl (migrations, simulation, policies, traces, metrics), the SQL\n"
    "migrations, the default policy, Prometheus alert rules and a systemd timer\n"
    "that evaluates the alert rules.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR TXZ) # make package_source; a release tarball is git archive
set(CPACK_SOURCE_IGNORE_FILES "/build.*/" "/\\\\.git/" "/\\\\.cache/")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # quota-console_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_qc_runtime_depends}")
# Useful beside it, never needed by it: psql for the operators, Prometheus and Alertmanager for
# the rules it ships, the Wayland platform plugin (without it Qt uses XWayland).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "postgresql-client, prometheus, prometheus-alertmanager, qt6-wayland")
# dpkg-shlibdeps runs in this pre-build script (merging with the list, one entry per package)
# rather than through CPACK_DEBIAN_PACKAGE_SHLIBDEPS, which would only append.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_PRE_BUILD_SCRIPTS "${PROJECT_SOURCE_DIR}/packaging/debian-depends.cmake")

include(CPack)
