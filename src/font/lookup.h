// Fonts by family name: a <family font="Liberation Serif"> finds its four
// faces with fontconfig, in the folders given (in order: --font-path,
// ANPHAM_FONT_PATH, the layout's fonts=), then in the system's fonts.
// fontconfig is loaded on first use (dlopen), not linked: only a layout
// that names a font by family pays for it.
#ifndef AP_FONT_LOOKUP_H
#define AP_FONT_LOOKUP_H

#include <stdbool.h>

#include "../base/arena.h"
#include "../base/diag.h"

// Find the faces of the family called name (compared without regard to
// case), regular, bold, italic and bold italic, in the first of dirs (in
// order; a folder that cannot be read is skipped) that holds a TrueType face
// of it, else among the system's fonts. files[i] becomes the face's absolute
// path (in the arena), or NULL when the family has no such face (the
// regular face is then used, as for a <family> without bold=). False with
// one error at loc naming up to three of the closest families found when no
// face of that family is anywhere.
bool ap_font_lookup(const char *name, const char *const *dirs, int ndirs, ap_arena_t *arena, const char *files[4],
                    ap_diags_t *diags, ap_loc_t loc);

#endif
