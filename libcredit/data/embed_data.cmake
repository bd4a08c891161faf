# Turns a data file into a C++ source defining
#   extern const unsigned char <SYMBOL>[];  (NUL-terminated file contents)
# in namespace credit::normalize_internal. Usage:
#   cmake -DIN=<file> -DOUT=<file.cc> -DSYMBOL=<name> -P embed_data.cmake
# The contents go out as a hex byte list, so any byte survives.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
get_filename_component(name "${IN}" NAME)
file(WRITE "${OUT}.tmp"
"// Generated from ${name} by libcredit/data/embed_data.cmake. Do not edit.\n"
"namespace credit::normalize_internal {\n"
"extern const unsigned char ${SYMBOL}[];\n"
"const unsigned char ${SYMBOL}[] = {\n${bytes}\n0x00};\n"
"}  // namespace credit::normalize_internal\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
