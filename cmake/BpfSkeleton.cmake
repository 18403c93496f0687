# bpf_skeleton(<name>): compiles bpf/<name>.bpf.c with clang for the BPF target against the
# checked-in vmlinux.h and generates <name>.skel.h with `bpftool gen skeleton`. The result is an
# INTERFACE library `<name>_skel` whose include directory holds the skeleton; the BPF object is
# embedded in the skeleton, so nothing but the agent binary is ever installed.

find_program(BPF_CLANG NAMES clang clang-16 clang-15 clang-14 REQUIRED)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(BPF_TARGET_ARCH x86)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(BPF_TARGET_ARCH arm64)
else()
  message(FATAL_ERROR "no vmlinux.h for ${CMAKE_SYSTEM_PROCESSOR}: run scripts/gen-vmlinux.sh on such a host")
endif()
set(BPF_VMLINUX_DIR ${PROJECT_SOURCE_DIR}/vmlinux/${BPF_TARGET_ARCH})

function(bpf_skeleton name)
  set(src ${PROJECT_SOURCE_DIR}/bpf/${name}.bpf.c)
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/bpf)
  set(obj ${out_dir}/${name}.bpf.o)
  set(skel ${out_dir}/${name}.skel.h)
  file(GLOB shared_headers ${PROJECT_SOURCE_DIR}/bpf/*.h)
  add_custom_command(
    OUTPUT ${skel}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${BPF_CLANG} -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_${BPF_TARGET_ARCH}
            -I${BPF_VMLINUX_DIR} -I${PROJECT_SOURCE_DIR}/bpf -c ${src} -o ${obj}
    COMMAND ${BPFTOOL} gen skeleton ${obj} name ${name}_bpf > ${skel}
    DEPENDS ${src} ${shared_headers} ${BPF_VMLINUX_DIR}/vmlinux.h
    COMMENT "BPF skeleton ${name}.skel.h"
    VERBATIM)
  add_custom_target(${name}_skel_gen DEPENDS ${skel})
  add_library(${name}_skel INTERFACE)
  add_dependencies(${name}_skel ${name}_skel_gen)
  target_include_directories(${name}_skel INTERFACE ${out_dir} ${PROJECT_SOURCE_DIR}/bpf)
endfunction()
