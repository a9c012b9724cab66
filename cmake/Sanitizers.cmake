# SPDX-License-Identifier: Apache-2.0
# ASan + UBSan for the asan preset; applied globally so tests and libraries agree.
if(CUSTOS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
