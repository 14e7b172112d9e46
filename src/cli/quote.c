// Shell quoting of the commands anpham prints (extract's, new's).
#include <stdio.h>
#include <string.h>

#include "cli.h"

//
// 'ap_cli_print_quoted()' - One argument for a POSIX shell: as it is when plain, else single-quoted.
//

void
ap_cli_print_quoted(const char *s)
{
  if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%") == strlen(s)) {
    fputs(s, stdout);
    return;
  }
  putchar('\'');
  for (; *s; s++)
    s[0] == '\'' ? fputs("'\\''", stdout) : putchar(*s);
  putchar('\'');
}
