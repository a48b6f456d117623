# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS, set in cmake/Packaging.cmake): runs after the
# files are installed into the staging directory and before the .deb is made.
#
# Computes with dpkg-shlibdeps the packages of the shared libraries that every installed ELF file
# needs, and merges them into CPACK_DEBIAN_PACKAGE_DEPENDS (the `runtime` rows of
# packaging/debian-packages.txt): one entry per package, the versioned one when dpkg-shlibdeps
# gives a minimal version. A library that belongs to no Debian package stops the packaging.

cmake_policy(VERSION 3.25)

if(NOT CPACK_GENERATOR STREQUAL "DEB")
    return()
endif()

if(NOT IS_DIRECTORY "${CPACK_TEMPORARY_DIRECTORY}")
    message(FATAL_ERROR "CPACK_TEMPORARY_DIRECTORY is not set: run as a CPack pre-build script")
endif()
find_program(QC_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(NOT QC_DPKG_SHLIBDEPS)
    message(FATAL_ERROR "dpkg-shlibdeps is missing: install the Debian package dpkg-dev")
endif()

# The ELF files of the staging directory (by their magic number; `file` need not be installed).
file(GLOB_RECURSE _qc_files LIST_DIRECTORIES false "${CPACK_TEMPORARY_DIRECTORY}/*")
set(_qc_elf_files)
foreach(_file IN LISTS _qc_files)
    if(NOT IS_SYMLINK "${_file}")
        file(READ "${_file}" _magic LIMIT 4 HEX)
        if(_magic STREQUAL "7f454c46")
            list(APPEND _qc_elf_files "${_file}")
        endif()
    endif()
endforeach()
if(NOT _qc_elf_files)
    message(FATAL_ERROR "no ELF file in ${CPACK_TEMPORARY_DIRECTORY}: nothing for dpkg-shlibdeps")
endif()

# dpkg-shlibdeps wants a debian/control in its working directory; keep it out of the package,
# beside the staging directory.
get_filename_component(_qc_staging_parent "${CPACK_TEMPORARY_DIRECTORY}" DIRECTORY)
set(_qc_work "${_qc_staging_parent}/qc-shlibdeps")
file(REMOVE_RECURSE "${_qc_work}")
file(MAKE_DIRECTORY "${_qc_work}/debian")
file(WRITE "${_qc_work}/debian/control" "")
execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env LC_ALL=C "${QC_DPKG_SHLIBDEPS}" -O ${_qc_elf_files}
    WORKING_DIRECTORY "${_qc_work}"
    RESULT_VARIABLE _qc_result
    OUTPUT_VARIABLE _qc_output
    ERROR_VARIABLE _qc_error)
file(REMOVE_RECURSE "${_qc_work}")
if(NOT _qc_result EQUAL 0 OR NOT _qc_output MATCHES "shlibs:Depends=([^\n]*)")
    message(FATAL_ERROR "dpkg-shlibdeps failed on ${_qc_elf_files}:\n${_qc_error}\n"
        "Every shared library the programs link must come from a Debian package.")
endif()
set(_qc_computed "${CMAKE_MATCH_1}")

# Merge: "name (>= v)" replaces a bare "name"; otherwise the first mention is kept.
set(_qc_names)
string(REPLACE ", " ";" _qc_entries "${CPACK_DEBIAN_PACKAGE_DEPENDS}, ${_qc_computed}")
foreach(_entry IN LISTS _qc_entries)
    string(STRIP "${_entry}" _entry)
    if(_entry STREQUAL "")
        continue()
    endif()
    string(REGEX MATCH "^[^ (|]+" _name "${_entry}")
    string(MAKE_C_IDENTIFIER "${_name}" _key)
    if(NOT _name IN_LIST _qc_names)
        list(APPEND _qc_names "${_name}")
        set(_qc_entry_${_key} "${_entry}")
    elseif(_entry MATCHES "\\(" AND NOT _qc_entry_${_key} MATCHES "\\(")
        set(_qc_entry_${_key} "${_entry}")
    endif()
endforeach()
list(SORT _qc_names)
set(_qc_depends)
foreach(_name IN LISTS _qc_names)
    string(MAKE_C_IDENTIFIER "${_name}" _key)
    list(APPEND _qc_depends "${_qc_entry_${_key}}")
endforeach()
list(JOIN _qc_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
message(STATUS "Depends: ${CPACK_DEBIAN_PACKAGE_DEPENDS}")
