/* wall RUNS CMD [ARG...]: runs CMD RUNS times, one after the other, and
 * prints for each run "WALL_NS MAXRSS_KB MINOR_FAULTS" (page faults that
 * read nothing from disk: first touches of memory). bench/run.sh compiles it on the
 * fly: a monotonic clock around fork/exec/wait4 and the child's own rusage
 * need nothing but libc (no /usr/bin/time, no hyperfine). Exit status 1 when
 * a run fails (the runs before it are printed), 2 on usage, 3 on a system
 * error. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3 || atoi(argv[1]) < 1) {
    fprintf(stderr, "usage: wall RUNS CMD [ARG...]\n");
    return 2;
  }
  int runs = atoi(argv[1]);
  for (int i = 0; i < runs; i++) {
    struct timespec a, b;
    struct rusage ru;
    int st;
    fflush(stdout);
    clock_gettime(CLOCK_MONOTONIC, &a);
    pid_t pid = fork();
    if (pid < 0) {
      perror("wall: fork");
      return 3;
    }
    if (pid == 0) {
      execvp(argv[2], argv + 2);
      perror(argv[2]);
      _exit(127);
    }
    /* wait4, not RUSAGE_CHILDREN: the peak of this run alone. */
    if (wait4(pid, &st, 0, &ru) < 0) {
      perror("wall: wait4");
      return 3;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      fprintf(stderr, "wall: run %d of %s failed (%s %d)\n", i + 1, argv[2],
              WIFEXITED(st) ? "exit" : "signal",
              WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
      return 1;
    }
    long long ns = (long long)(b.tv_sec - a.tv_sec) * 1000000000LL +
                   (b.tv_nsec - a.tv_nsec);
    printf("%lld %ld %ld\n", ns, ru.ru_maxrss, ru.ru_minflt); /* ru_maxrss: KiB on Linux */
  }
  return 0;
}
