# credit_set_warnings(target): the project's warning flags, errors in CI.
function(credit_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(CREDIT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # GCC 12 at -O3 (Release) reports false -Wrestrict on ordinary
    # std::string assignments and concatenations inlined from libstdc++
    # (GCC PR 105329): keep the warning, but not as an error.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-error=restrict)
    endif()
  endif()
endfunction()

if(CREDIT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
