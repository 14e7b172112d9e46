// File names relative to a folder or to the file that names them, and the
// names of numbered copies (path.h).
#include "path.h"

#include <stdio.h>
#include <string.h>

//
// 'ap_path_dir()' - The folder of a file name.
//

const char *
ap_path_dir(ap_arena_t *arena, const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash)
    return ".";
  return slash == path ? "/" : ap_arena_strndup(arena, path, (size_t)(slash - path));
}

//
// 'ap_path_join()' - A path relative to a folder.
//

const char *
ap_path_join(ap_arena_t *arena, const char *dir, const char *path)
{
  if (path[0] == '/' || !dir || !strcmp(dir, "."))
    return ap_arena_strdup(arena, path);
  return ap_arena_printf(arena, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", path);
}

//
// 'ap_path_beside()' - A path relative to the file that names it.
//

const char *
ap_path_beside(ap_arena_t *arena, const char *file, const char *path)
{
  return ap_path_join(arena, strchr(file, '/') ? ap_path_dir(arena, file) : NULL, path);
}

//
// 'ap_copy_width()' - Digits of a copy number.
//

int
ap_copy_width(int copies)
{
  int width = snprintf(NULL, 0, "%d", copies);
  return width < 3 ? 3 : width;
}

//
// 'ap_copy_name()' - The file of one numbered copy.
//

const char *
ap_copy_name(ap_arena_t *arena, const char *path, int copy, int copies)
{
  if (!strcmp(path, "-"))
    return path;
  const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
  int stem = dot && (!slash || dot > slash) ? (int)(dot - path) : (int)strlen(path);
  return ap_arena_printf(arena, "%.*s-%0*d%s", stem, path, ap_copy_width(copies) & 15, copy, path + stem);
}
