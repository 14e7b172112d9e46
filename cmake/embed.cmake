# Turn a file into a C array so the binary carries it (the layout schema),
# with its SHA-256 in hex (NAME_sha256: a key for what was worked out from
# it, hashed at build time rather than at every run):
# cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake
file(READ ${IN} hex HEX)
file(SHA256 ${IN} digest)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "// Generated from ${IN} by cmake/embed.cmake: do not edit.\n"
  "const unsigned char ${NAME}[] = {${body} 0};\n"
  "const unsigned ${NAME}_size = sizeof(${NAME}) - 1;\n"
  "const char ${NAME}_sha256[] = \"${digest}\";\n")
