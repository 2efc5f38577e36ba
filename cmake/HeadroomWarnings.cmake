# Warnings and sanitizers are applied through one interface target so every
# Headroom target gets the same flags and third-party code (Qt) gets none.
add_library(headroom_build_flags INTERFACE)
add_library(Headroom::BuildFlags ALIAS headroom_build_flags)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(headroom_build_flags INTERFACE -Wall -Wextra -Wpedantic)
    if(HEADROOM_WERROR)
        target_compile_options(headroom_build_flags INTERFACE -Werror)
    endif()
    if(HEADROOM_SANITIZE)
        target_compile_options(headroom_build_flags INTERFACE
            -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(headroom_build_flags INTERFACE -fsanitize=address,undefined)
    endif()
endif()

# Qt logging and string hygiene that keeps accidental conversions out.
target_compile_definitions(headroom_build_flags INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_MESSAGELOGCONTEXT)
