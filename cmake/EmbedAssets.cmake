# SPDX-License-Identifier: Apache-2.0
# custos_embed_assets(TARGET <target> NAME <name> DIR <dir> PREFIX </mount>): embeds every file
# under DIR in TARGET at build time. Generates ${CMAKE_CURRENT_BINARY_DIR}/<name>_assets.{h,cc};
# the header declares `const custos::http::AssetTable& custos::http::embedded::<name>();`
# (http/static_assets.h), to hand to http::StaticAssets. Each file gets its bytes, a content type
# from its extension and a strong ETag (the first 16 hex digits of its SHA-256). The generator
# (EmbedAssetsGen.cmake) reruns when a file changes; adding or removing a file re-globs at the
# next build (CONFIGURE_DEPENDS). Nothing is downloaded.
set(CUSTOS_EMBED_ASSETS_GEN "${CMAKE_CURRENT_LIST_DIR}/EmbedAssetsGen.cmake")

function(custos_embed_assets)
  cmake_parse_arguments(ARG "" "TARGET;NAME;DIR;PREFIX" "" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_NAME OR NOT ARG_DIR OR NOT DEFINED ARG_PREFIX)
    message(FATAL_ERROR "custos_embed_assets: TARGET, NAME, DIR and PREFIX are required")
  endif()
  get_filename_component(dir "${ARG_DIR}" ABSOLUTE)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS LIST_DIRECTORIES false "${dir}/*")
  list(SORT files)
  set(out_cc "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_assets.cc")
  set(out_h "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_assets.h")
  add_custom_command(
    OUTPUT "${out_cc}" "${out_h}"
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DNAME=${ARG_NAME} -DPREFIX=${ARG_PREFIX}
            -DOUT_CC=${out_cc} -DOUT_H=${out_h} -P ${CUSTOS_EMBED_ASSETS_GEN}
    DEPENDS ${files} ${CUSTOS_EMBED_ASSETS_GEN}
    COMMENT "Embedding ${ARG_NAME} assets from ${dir}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE "${out_cc}")
  target_include_directories(${ARG_TARGET} PRIVATE "${CMAKE_CURRENT_BINARY_DIR}")
endfunction()
