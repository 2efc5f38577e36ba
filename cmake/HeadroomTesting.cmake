# headroom_add_test(NAME tst_x SOURCES a.cpp LABEL unit [LIBS ...] [TIMEOUT s])
# One Qt Test executable, registered with ctest, labelled, run offscreen.
function(headroom_add_test)
    cmake_parse_arguments(T "" "NAME;LABEL;TIMEOUT" "SOURCES;LIBS;ENV" ${ARGN})
    if(NOT T_LABEL)
        message(FATAL_ERROR "headroom_add_test(${T_NAME}): LABEL is required (unit, integration, ui)")
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    qt_add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test Headroom::BuildFlags ${T_LIBS})
    # Headers are included by their path from the repository root, the test's own
    # helpers too ("tests/integration/sandbox/SandboxTestClient.h").
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
    # Tests compare against string literals all the time: allow literal -> QString
    # (QT_RESTRICTED_CAST_FROM_ASCII) while production code stays strict. -U comes
    # after BuildFlags' -D on the command line, so it wins.
    target_compile_options(${T_NAME} PRIVATE -UQT_NO_CAST_FROM_ASCII)
    target_compile_definitions(${T_NAME} PRIVATE QT_RESTRICTED_CAST_FROM_ASCII)
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    # Runs keep their destination's state store; a test's runs keep theirs in
    # the test's own directory, never in the user's data directory.
    set_tests_properties(${T_NAME} PROPERTIES
        LABELS "${T_LABEL}"
        TIMEOUT ${T_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=*.debug=false;HEADROOM_STATE_DIR=${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}-state;${T_ENV}")
endfunction()
