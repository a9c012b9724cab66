# SPDX-License-Identifier: Apache-2.0
# custos_embed_text(TARGET <target> FILE <file> HEADER <header> NAMESPACE <ns> FUNCTION <fn>):
# embeds one file's bytes in TARGET at build time as `std::string_view <ns>::<fn>()`, declared by
# the project header HEADER (included by the generated source). The generator
# (EmbedTextGen.cmake) reruns when the file changes. Nothing is downloaded.
set(CUSTOS_EMBED_TEXT_GEN "${CMAKE_CURRENT_LIST_DIR}/EmbedTextGen.cmake")

function(custos_embed_text)
  cmake_parse_arguments(ARG "" "TARGET;FILE;HEADER;NAMESPACE;FUNCTION" "" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_FILE OR NOT ARG_HEADER OR NOT ARG_NAMESPACE OR NOT ARG_FUNCTION)
    message(FATAL_ERROR "custos_embed_text: TARGET, FILE, HEADER, NAMESPACE and FUNCTION are required")
  endif()
  get_filename_component(file "${ARG_FILE}" ABSOLUTE)
  set(out_cc "${CMAKE_CURRENT_BINARY_DIR}/${ARG_FUNCTION}_text.cc")
  add_custom_command(
    OUTPUT "${out_cc}"
    COMMAND ${CMAKE_COMMAND} -DFILE=${file} -DHEADER=${ARG_HEADER} -DNAMESPACE=${ARG_NAMESPACE}
            -DFUNCTION=${ARG_FUNCTION} -DOUT_CC=${out_cc} -P ${CUSTOS_EMBED_TEXT_GEN}
    DEPENDS "${file}" ${CUSTOS_EMBED_TEXT_GEN}
    COMMENT "Embedding ${file}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE "${out_cc}")
endfunction()
