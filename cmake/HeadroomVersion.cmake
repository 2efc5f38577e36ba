# The version shown by --version and the About dialog: the project version,
# refined by `git describe` when the source is a git checkout.
set(HEADROOM_VERSION_STRING "${PROJECT_VERSION}")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
    execute_process(
        COMMAND "${GIT_EXECUTABLE}" describe --tags --always --dirty
        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
        OUTPUT_VARIABLE HEADROOM_GIT_DESCRIBE
        OUTPUT_STRIP_TRAILING_WHITESPACE
        ERROR_QUIET
        RESULT_VARIABLE _headroom_git_result)
    if(_headroom_git_result EQUAL 0 AND HEADROOM_GIT_DESCRIBE)
        set(HEADROOM_VERSION_STRING "${PROJECT_VERSION}+${HEADROOM_GIT_DESCRIBE}")
    endif()
endif()
message(STATUS "Headroom version: ${HEADROOM_VERSION_STRING}")
