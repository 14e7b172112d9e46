// HarfBuzz, loaded when first needed (dlopen) rather than linked: a face
// whose metrics are in the cache (snapshot.c), with its subsets, needs no
// HarfBuzz at all, and linking it (with GLib, PCRE2, Graphite2, FreeType
// and Brotli, which Debian's build brings) made every start about 2.7 ms
// slower on the machines measured (docs/benchmarks.md). Include this after
// HarfBuzz's headers: each hb_* call below then goes through the loaded
// table. Call ap_hb_load() first.
#ifndef AP_HB_LAZY_H
#define AP_HB_LAZY_H

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdbool.h>
#include <stddef.h>

// Every HarfBuzz function anpham calls.
#define AP_HB_FUNCTIONS(X)                                                                                         \
  X(hb_blob_create_or_fail) X(hb_blob_create_from_file_or_fail) X(hb_blob_destroy) X(hb_blob_get_data)             \
  X(hb_blob_get_length) X(hb_face_create) X(hb_face_destroy) X(hb_face_get_glyph_count) X(hb_face_get_upem)       \
  X(hb_face_collect_unicodes) X(hb_face_reference_blob) X(hb_font_create) X(hb_font_destroy) X(hb_font_set_scale) \
  X(hb_font_get_glyph_h_advance) X(hb_font_get_nominal_glyph) X(hb_font_get_glyph_extents)                        \
  X(hb_ot_metrics_get_position) X(hb_ot_name_get_utf8) X(hb_set_create) X(hb_set_destroy) X(hb_set_next)          \
  X(hb_set_add) X(hb_set_allocation_successful) X(hb_tag_from_string) X(hb_subset_input_create_or_fail)           \
  X(hb_subset_input_destroy) X(hb_subset_input_unicode_set) X(hb_subset_input_set_flags) X(hb_subset_input_set)   \
  X(hb_subset_or_fail)

// The loaded functions.
typedef struct ap_hb_s {
#define AP_HB_POINTER(f) __typeof__(&f) p_##f;
  AP_HB_FUNCTIONS(AP_HB_POINTER)
#undef AP_HB_POINTER
} ap_hb_t;

extern ap_hb_t ap_hb; // Filled by ap_hb_load()

// Load libharfbuzz-subset (and through it libharfbuzz: sonames found at
// build time) once; false when it cannot be, *why then says why (static).
bool ap_hb_load(const char **why);

// The status of HarfBuzz's two library files, for keys of what they made
// (snapshot.c): false when either cannot be found.
bool ap_hb_identity(char *buf, size_t size);

// From here on, hb_x(...) calls the loaded function.
#define hb_blob_create_or_fail (*ap_hb.p_hb_blob_create_or_fail)
#define hb_blob_create_from_file_or_fail (*ap_hb.p_hb_blob_create_from_file_or_fail)
#define hb_blob_destroy (*ap_hb.p_hb_blob_destroy)
#define hb_blob_get_data (*ap_hb.p_hb_blob_get_data)
#define hb_blob_get_length (*ap_hb.p_hb_blob_get_length)
#define hb_face_create (*ap_hb.p_hb_face_create)
#define hb_face_destroy (*ap_hb.p_hb_face_destroy)
#define hb_face_get_glyph_count (*ap_hb.p_hb_face_get_glyph_count)
#define hb_face_get_upem (*ap_hb.p_hb_face_get_upem)
#define hb_face_collect_unicodes (*ap_hb.p_hb_face_collect_unicodes)
#define hb_face_reference_blob (*ap_hb.p_hb_face_reference_blob)
#define hb_font_create (*ap_hb.p_hb_font_create)
#define hb_font_destroy (*ap_hb.p_hb_font_destroy)
#define hb_font_set_scale (*ap_hb.p_hb_font_set_scale)
#define hb_font_get_glyph_h_advance (*ap_hb.p_hb_font_get_glyph_h_advance)
#define hb_font_get_nominal_glyph (*ap_hb.p_hb_font_get_nominal_glyph)
#define hb_font_get_glyph_extents (*ap_hb.p_hb_font_get_glyph_extents)
#define hb_ot_metrics_get_position (*ap_hb.p_hb_ot_metrics_get_position)
#define hb_ot_name_get_utf8 (*ap_hb.p_hb_ot_name_get_utf8)
#define hb_set_create (*ap_hb.p_hb_set_create)
#define hb_set_destroy (*ap_hb.p_hb_set_destroy)
#define hb_set_next (*ap_hb.p_hb_set_next)
#define hb_set_add (*ap_hb.p_hb_set_add)
#define hb_set_allocation_successful (*ap_hb.p_hb_set_allocation_successful)
#define hb_tag_from_string (*ap_hb.p_hb_tag_from_string)
#define hb_subset_input_create_or_fail (*ap_hb.p_hb_subset_input_create_or_fail)
#define hb_subset_input_destroy (*ap_hb.p_hb_subset_input_destroy)
#define hb_subset_input_unicode_set (*ap_hb.p_hb_subset_input_unicode_set)
#define hb_subset_input_set_flags (*ap_hb.p_hb_subset_input_set_flags)
#define hb_subset_input_set (*ap_hb.p_hb_subset_input_set)
#define hb_subset_or_fail (*ap_hb.p_hb_subset_or_fail)

#endif
