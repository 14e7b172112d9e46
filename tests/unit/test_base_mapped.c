// Unit tests for base/mapped.c and ap_files_map(): a confined file mapped
// reads as its bytes; an empty one is read; a guarded mapping whose file is
// made shorter ends the process with one error line and status 1 (not a
// SIGBUS crash); a SIGBUS elsewhere is still fatal.
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/files.h"
#include "base/mapped.h"

#define PAGES 4 // Size of the test file, in pages

static char dir[] = "/tmp/anpham-mapped-XXXXXX";

// Write a file of PAGES pages (byte i is i % 251) into the test folder; its path.
static const char *
make_file(const char *name, size_t size)
{
  static char path[4][256];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  for (size_t i = 0; i < size; i++)
    fputc((int)(i % 251), f);
  assert_int_equal(fclose(f), 0);
  return p;
}

static int
setup(void **state)
{
  (void)state;
  return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
  (void)state;
  char command[300];
  snprintf(command, sizeof(command), "rm -rf '%s'", dir);
  return system(command) == 0 ? 0 : -1;
}

// Run body in a child with stderr into a pipe; its wait status, and what it wrote in out.
static int
in_child(void (*body)(const char *), const char *path, char *out, size_t size)
{
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) { // cmocka's own SIGBUS handler off: the child is a plain program
    signal(SIGBUS, SIG_DFL);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    body(path);
    _exit(0);
  }
  close(fds[1]);
  size_t len = 0;
  ssize_t n;
  while (len + 1 < size && (n = read(fds[0], out + len, size - 1 - len)) > 0)
    len += (size_t)n;
  out[len] = '\0';
  close(fds[0]);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return status;
}

static void
test_map_reads_the_bytes(void **state)
{
  (void)state;
  size_t page = (size_t)sysconf(_SC_PAGESIZE), size = PAGES * page + 17;
  const char *path = make_file("font.ttf", size);
  ap_files_t *files = ap_files_create();
  ap_diags_t diags = {0};
  const void *bytes;
  size_t got;

  assert_true(ap_files_allow(files, dir));
  assert_true(ap_files_map(files, path, AP_FILE_FONT, &bytes, &got, &diags, ap_loc_file(path), NULL));
  assert_true(ap_mapped_is(bytes));
  assert_int_equal(got, size);
  for (size_t i = 0; i < size; i++)
    assert_int_equal(((const unsigned char *)bytes)[i], i % 251);
  ap_files_unmap(bytes);
  assert_false(ap_mapped_is(bytes));

  // An empty file is read (nothing to map), and released the same way...
  const char *empty = make_file("empty.ttf", 0);
  assert_true(ap_files_map(files, empty, AP_FILE_FONT, &bytes, &got, &diags, ap_loc_file(empty), NULL));
  assert_int_equal(got, 0);
  assert_false(ap_mapped_is(bytes));
  ap_files_unmap(bytes);

  // Outside the allowed folders: refused like a read, one error...
  assert_false(ap_files_map(files, "/etc/hostname", AP_FILE_FONT, &bytes, &got, &diags, ap_loc_file("x"), NULL));
  assert_int_equal(diags.errors, 1);
  assert_null(bytes);
  ap_diags_clear(&diags);
  ap_files_destroy(files);
}

// In a child: map the file, make it one byte long, read its last page.
static void
shrink_and_read(const char *path)
{
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  int fd = open(path, O_RDWR);
  const volatile unsigned char *bytes = ap_mapped_map(fd, PAGES * page, path, "font file");
  if (!bytes || ftruncate(fd, 1) != 0)
    _exit(3);
  (void)bytes[(PAGES - 1) * page];
  _exit(4); // Not reached: the page is past the end of the file
}

static void
test_shrunk_file_ends_the_run_with_one_line(void **state)
{
  (void)state;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  const char *path = make_file("shrinks.ttf", PAGES * page);
  char err[1024], expected[512];

  int status = in_child(shrink_and_read, path, err, sizeof(err));
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 1);
  snprintf(expected, sizeof(expected), "%s: error: the font file changed while it was read (another program made it "
           "shorter): expected a file that stays\n", path);
  assert_string_equal(err, expected);
}

// In a child: guard one mapping, then fault on a mapping made without the guard.
static void
fault_elsewhere(const char *path)
{
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  int fd = open(path, O_RDWR);
  if (!ap_mapped_map(fd, page, path, "font file"))
    _exit(3);
  const volatile unsigned char *other = mmap(NULL, PAGES * page, PROT_READ, MAP_PRIVATE, fd, 0);
  if (other == MAP_FAILED || ftruncate(fd, 1) != 0)
    _exit(3);
  (void)other[(PAGES - 1) * page];
  _exit(4);
}

static void
test_other_sigbus_is_still_fatal(void **state)
{
  (void)state;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  const char *path = make_file("other.ttf", PAGES * page);
  char err[1024];

  int status = in_child(fault_elsewhere, path, err, sizeof(err));
  assert_true(WIFSIGNALED(status));
  assert_int_equal(WTERMSIG(status), SIGBUS);
  assert_string_equal(err, "");
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_map_reads_the_bytes),
      cmocka_unit_test(test_shrunk_file_ends_the_run_with_one_line),
      cmocka_unit_test(test_other_sigbus_is_still_fatal),
  };

  return cmocka_run_group_tests(tests, setup, teardown);
}
