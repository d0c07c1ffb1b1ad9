"""llama.cpp is built for a portable x86-64 target: a native build (AVX-512, AMX) faults on other CPUs."""

import llama_cpp


def test_llama_cpp_is_built_without_avx512_or_amx():
    info = llama_cpp.llama_print_system_info().decode()
    assert "AVX2 = 1" in info, info  # the portable baseline is there
    assert "AVX512" not in info and "AMX" not in info, (
        f"native build; rebuild with the Makefile's LLAMA_CMAKE_ARGS: {info}"
    )
