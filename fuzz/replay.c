// Replay: run a fuzz target's code on files without libFuzzer, for the
// regression tests of the normal build (gcc, `make test`). Each argument is
// a file, or a folder whose files are all replayed; a crash, a leak under a
// sanitizer or an abort() of the target's own checks fails the run.
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_path(const char *path);

//
// 'main()' - Replay every file given.
//

int
main(int argc, char **argv)
{
  int count = 0; // Inputs replayed

  for (int i = 1; i < argc; i++) {
    int n = replay_path(argv[i]);
    if (n < 0)
      return 1;
    count += n;
  }
  printf("%d inputs replayed\n", count);
  return 0;
}

// Replay one file, or every file of a folder (sorted order does not matter:
// each input stands alone). Returns how many, or -1 when one is unreadable.
static int
replay_path(const char *path)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    int count = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
      if (e->d_name[0] == '.')
        continue;
      char sub[4096];
      snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
      int n = replay_path(sub);
      if (n < 0) {
        closedir(d);
        return -1;
      }
      count += n;
    }
    if (d)
      closedir(d);
    return count;
  }

  FILE *fp = fopen(path, "rb");
  uint8_t *data = malloc((size_t)st.st_size + 1);
  if (!fp || !data || fread(data, 1, (size_t)st.st_size, fp) != (size_t)st.st_size) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    if (fp)
      fclose(fp);
    free(data);
    return -1;
  }
  fclose(fp);
  printf("replay %s\n", path);
  fflush(stdout);
  LLVMFuzzerTestOneInput(data, (size_t)st.st_size);
  free(data);
  return 1;
}
