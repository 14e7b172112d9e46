// qpdf's C API, loaded when first needed (dlopen) rather than linked: only
// `anpham extract`, `anpham verify` and `anpham sign` read PDFs, and linking libqpdf (with
// the C++ runtime and GnuTLS it brings) made every render start 7.5 ms
// slower. Include this after <qpdf/qpdf-c.h>: each qpdf_* call below then
// goes through the loaded table. Call ap_qpdf_load() first.
#ifndef AP_QPDF_LAZY_H
#define AP_QPDF_LAZY_H

#include <qpdf/qpdf-c.h>
#include <stdbool.h>

#include "base/diag.h"

// Every qpdf function anpham calls.
#define AP_QPDF_FUNCTIONS(X)                                                                                       \
  X(qpdf_init) X(qpdf_cleanup) X(qpdf_read) X(qpdf_read_memory) X(qpdf_silence_errors)                             \
  X(qpdf_set_suppress_warnings) X(qpdf_get_error) X(qpdf_get_error_full_text) X(qpdf_more_warnings)                \
  X(qpdf_next_warning) X(qpdf_check_pdf) X(qpdf_is_encrypted) X(qpdf_get_root) X(qpdf_get_trailer)                 \
  X(qpdf_get_object_by_id) X(qpdf_oh_release_all) X(qpdf_oh_new_null) X(qpdf_oh_is_null) X(qpdf_oh_is_bool)       \
  X(qpdf_oh_is_integer) X(qpdf_oh_is_string) X(qpdf_oh_is_name) X(qpdf_oh_is_name_and_equals) X(qpdf_oh_is_array) \
  X(qpdf_oh_is_dictionary) X(qpdf_oh_is_stream) X(qpdf_oh_get_key) X(qpdf_oh_get_dict) X(qpdf_oh_get_name)        \
  X(qpdf_oh_get_bool_value) X(qpdf_oh_get_int_value) X(qpdf_oh_get_int_value_as_int) X(qpdf_oh_get_utf8_value)    \
  X(qpdf_oh_get_binary_string_value) X(qpdf_oh_get_array_n_items) X(qpdf_oh_get_array_item)                      \
  X(qpdf_oh_get_stream_data) X(qpdf_oh_get_page_content_data) X(qpdf_get_num_pages) X(qpdf_get_page_n)           \
  /* anpham sign: objects edited and written again */                                                             \
  X(qpdf_oh_unparse) X(qpdf_oh_unparse_resolved) X(qpdf_make_indirect_object) X(qpdf_oh_replace_key)               \
  X(qpdf_oh_new_dictionary) X(qpdf_oh_new_array) X(qpdf_oh_append_item) X(qpdf_oh_get_object_id)                  \
  X(qpdf_oh_get_generation) X(qpdf_oh_is_indirect) X(qpdf_oh_new_name) X(qpdf_oh_new_integer)                     \
  X(qpdf_oh_new_unicode_string) X(qpdf_oh_get_numeric_value) X(qpdf_oh_new_real_from_double)                       \
  /* anpham verify: the revisions of a signed PDF compared key by key */                                          \
  X(qpdf_oh_begin_dict_key_iter) X(qpdf_oh_dict_more_keys) X(qpdf_oh_dict_next_key) X(qpdf_oh_get_type_code)

// The loaded functions.
typedef struct ap_qpdf_s {
#define AP_QPDF_POINTER(f) __typeof__(&f) p_##f;
  AP_QPDF_FUNCTIONS(AP_QPDF_POINTER)
#undef AP_QPDF_POINTER
} ap_qpdf_t;

extern ap_qpdf_t ap_qpdf; // Filled by ap_qpdf_load()

// Load libqpdf (its soname found at build time) once; false with a
// diagnostic naming the library when it cannot be loaded.
bool ap_qpdf_load(ap_diags_t *diags);

// From here on, qpdf_x(...) calls the loaded function.
#define qpdf_init (*ap_qpdf.p_qpdf_init)
#define qpdf_cleanup (*ap_qpdf.p_qpdf_cleanup)
#define qpdf_read (*ap_qpdf.p_qpdf_read)
#define qpdf_read_memory (*ap_qpdf.p_qpdf_read_memory)
#define qpdf_silence_errors (*ap_qpdf.p_qpdf_silence_errors)
#define qpdf_set_suppress_warnings (*ap_qpdf.p_qpdf_set_suppress_warnings)
#define qpdf_get_error (*ap_qpdf.p_qpdf_get_error)
#define qpdf_get_error_full_text (*ap_qpdf.p_qpdf_get_error_full_text)
#define qpdf_more_warnings (*ap_qpdf.p_qpdf_more_warnings)
#define qpdf_next_warning (*ap_qpdf.p_qpdf_next_warning)
#define qpdf_check_pdf (*ap_qpdf.p_qpdf_check_pdf)
#define qpdf_is_encrypted (*ap_qpdf.p_qpdf_is_encrypted)
#define qpdf_get_root (*ap_qpdf.p_qpdf_get_root)
#define qpdf_get_trailer (*ap_qpdf.p_qpdf_get_trailer)
#define qpdf_get_object_by_id (*ap_qpdf.p_qpdf_get_object_by_id)
#define qpdf_oh_release_all (*ap_qpdf.p_qpdf_oh_release_all)
#define qpdf_oh_new_null (*ap_qpdf.p_qpdf_oh_new_null)
#define qpdf_oh_is_null (*ap_qpdf.p_qpdf_oh_is_null)
#define qpdf_oh_is_bool (*ap_qpdf.p_qpdf_oh_is_bool)
#define qpdf_oh_is_integer (*ap_qpdf.p_qpdf_oh_is_integer)
#define qpdf_oh_is_string (*ap_qpdf.p_qpdf_oh_is_string)
#define qpdf_oh_is_name (*ap_qpdf.p_qpdf_oh_is_name)
#define qpdf_oh_is_name_and_equals (*ap_qpdf.p_qpdf_oh_is_name_and_equals)
#define qpdf_oh_is_array (*ap_qpdf.p_qpdf_oh_is_array)
#define qpdf_oh_is_dictionary (*ap_qpdf.p_qpdf_oh_is_dictionary)
#define qpdf_oh_is_stream (*ap_qpdf.p_qpdf_oh_is_stream)
#define qpdf_oh_get_key (*ap_qpdf.p_qpdf_oh_get_key)
#define qpdf_oh_get_dict (*ap_qpdf.p_qpdf_oh_get_dict)
#define qpdf_oh_get_name (*ap_qpdf.p_qpdf_oh_get_name)
#define qpdf_oh_get_bool_value (*ap_qpdf.p_qpdf_oh_get_bool_value)
#define qpdf_oh_get_int_value (*ap_qpdf.p_qpdf_oh_get_int_value)
#define qpdf_oh_get_int_value_as_int (*ap_qpdf.p_qpdf_oh_get_int_value_as_int)
#define qpdf_oh_get_utf8_value (*ap_qpdf.p_qpdf_oh_get_utf8_value)
#define qpdf_oh_get_binary_string_value (*ap_qpdf.p_qpdf_oh_get_binary_string_value)
#define qpdf_oh_get_array_n_items (*ap_qpdf.p_qpdf_oh_get_array_n_items)
#define qpdf_oh_get_array_item (*ap_qpdf.p_qpdf_oh_get_array_item)
#define qpdf_oh_get_stream_data (*ap_qpdf.p_qpdf_oh_get_stream_data)
#define qpdf_oh_get_page_content_data (*ap_qpdf.p_qpdf_oh_get_page_content_data)
#define qpdf_get_num_pages (*ap_qpdf.p_qpdf_get_num_pages)
#define qpdf_get_page_n (*ap_qpdf.p_qpdf_get_page_n)
#define qpdf_oh_unparse (*ap_qpdf.p_qpdf_oh_unparse)
#define qpdf_oh_unparse_resolved (*ap_qpdf.p_qpdf_oh_unparse_resolved)
#define qpdf_make_indirect_object (*ap_qpdf.p_qpdf_make_indirect_object)
#define qpdf_oh_replace_key (*ap_qpdf.p_qpdf_oh_replace_key)
#define qpdf_oh_new_dictionary (*ap_qpdf.p_qpdf_oh_new_dictionary)
#define qpdf_oh_new_array (*ap_qpdf.p_qpdf_oh_new_array)
#define qpdf_oh_append_item (*ap_qpdf.p_qpdf_oh_append_item)
#define qpdf_oh_get_object_id (*ap_qpdf.p_qpdf_oh_get_object_id)
#define qpdf_oh_get_generation (*ap_qpdf.p_qpdf_oh_get_generation)
#define qpdf_oh_is_indirect (*ap_qpdf.p_qpdf_oh_is_indirect)
#define qpdf_oh_new_name (*ap_qpdf.p_qpdf_oh_new_name)
#define qpdf_oh_new_integer (*ap_qpdf.p_qpdf_oh_new_integer)
#define qpdf_oh_new_unicode_string (*ap_qpdf.p_qpdf_oh_new_unicode_string)
#define qpdf_oh_get_numeric_value (*ap_qpdf.p_qpdf_oh_get_numeric_value)
#define qpdf_oh_new_real_from_double (*ap_qpdf.p_qpdf_oh_new_real_from_double)
#define qpdf_oh_begin_dict_key_iter (*ap_qpdf.p_qpdf_oh_begin_dict_key_iter)
#define qpdf_oh_dict_more_keys (*ap_qpdf.p_qpdf_oh_dict_more_keys)
#define qpdf_oh_dict_next_key (*ap_qpdf.p_qpdf_oh_dict_next_key)
#define qpdf_oh_get_type_code (*ap_qpdf.p_qpdf_oh_get_type_code)

#endif
