// File names: a path relative to a folder or to the file that names it (a
// layout's extends= and fonts=, a batch file's paths), and the file name
// of a numbered copy (NAME.pdf → NAME-007.pdf). Strings only: nothing here
// touches the file system.
#ifndef AP_PATH_H
#define AP_PATH_H

#include "arena.h"

// The folder of a file name ("." when it has none), in the arena.
const char *ap_path_dir(ap_arena_t *arena, const char *path);
// dir/path, or path itself when it is absolute or dir is NULL or "." (in the arena).
const char *ap_path_join(ap_arena_t *arena, const char *dir, const char *path);
// path as the file `file` names it: beside that file unless absolute (in the arena).
const char *ap_path_beside(ap_arena_t *arena, const char *file, const char *path);

// Digits of a copy number: as many as the count has, 3 at least ("007").
int ap_copy_width(int copies);
// The file of copy `copy` of `copies`: NAME.pdf → NAME-007.pdf (the number
// before the extension of the last path part; "-" stays "-"), in the arena.
const char *ap_copy_name(ap_arena_t *arena, const char *path, int copy, int copies);

#endif
