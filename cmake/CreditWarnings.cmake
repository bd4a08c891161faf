# credit_set_warnings(target): the project's warning flags, errors in CI.
function(credit_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(CREDIT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(CREDIT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
