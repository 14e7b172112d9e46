# Turn a file into a C array so the binary carries it (the layout schema):
# cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "// Generated from ${IN} by cmake/embed.cmake: do not edit.\n"
  "const unsigned char ${NAME}[] = {${body} 0};\n"
  "const unsigned ${NAME}_size = sizeof(${NAME}) - 1;\n")
