# Project-wide build conventions: warnings, Qt hygiene defines, test and library helpers.

set(QC_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/..")

# Warnings for every project target (not for third-party code).
function(qc_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
        -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
        -Wno-missing-field-initializers)
    if(QC_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# The Qt defines every Qt-using target of the project is built with (STYLE.md habit 3).
function(qc_qt_defines target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
        QT_USE_QSTRINGBUILDER QT_NO_FOREACH QT_NO_KEYWORDS)
endfunction()

# qc_add_library(NAME [QT] SOURCES ... [PUBLIC_LINK ...] [PRIVATE_LINK ...])
function(qc_add_library name)
    cmake_parse_arguments(ARG "QT" "" "SOURCES;PUBLIC_LINK;PRIVATE_LINK" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_include_directories(${name} PUBLIC "${QC_SOURCE_DIR}/core" "${QC_SOURCE_DIR}")
    target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_LINK} PRIVATE ${ARG_PRIVATE_LINK})
    set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    qc_set_warnings(${name})
    if(ARG_QT)
        qc_qt_defines(${name})
    else()
        set_target_properties(${name} PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF)
    endif()
endfunction()

# qc_add_test(NAME SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s] [ENVIRONMENT ...])
# One Qt Test executable = one CTest test. Tests link the libraries under test; they never
# compile production sources themselves.
function(qc_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    qc_set_warnings(${name})
    qc_qt_defines(${name})
    target_compile_definitions(${name} PRIVATE
        QC_SOURCE_DIR="${QC_SOURCE_DIR}" QC_BINARY_DIR="${CMAKE_BINARY_DIR}")
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;${ARG_ENVIRONMENT}")
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
endfunction()
