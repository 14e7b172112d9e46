// A layout's parameters: declared by <param name value> (read in layout.c),
// $name in its XPath expressions; the driver declares $copy and $copies and
// sets values from --set.
#include "parse-xml.h"

#include <string.h>

//
// 'ap_layout_add_param()' - Declare an empty parameter unless the layout declares it.
//

bool
ap_layout_add_param(ap_layout_t *layout, const char *name)
{
  for (int i = 0; i < layout->nparams; i++)
    if (!strcmp(layout->params[i][0], name))
      return true;
  if (layout->nparams == AP_LAYOUT_MAX_PARAMS)
    return false;
  layout->params[layout->nparams][0] = name;
  layout->params[layout->nparams][1] = "";
  layout->nparams++;
  return true;
}

//
// 'ap_layout_params_save()' - The values of the parameters, now.
//

void
ap_layout_params_save(const ap_layout_t *layout, ap_layout_params_t *saved)
{
  saved->count = layout->nparams;
  for (int i = 0; i < layout->nparams; i++)
    saved->values[i] = layout->params[i][1];
}

//
// 'ap_layout_params_restore()' - Back to saved values (parameters declared since, gone).
//

void
ap_layout_params_restore(ap_layout_t *layout, const ap_layout_params_t *saved)
{
  layout->nparams = saved->count;
  for (int i = 0; i < saved->count; i++)
    layout->params[i][1] = saved->values[i];
}

//
// 'ap_layout_set_param()' - Give a declared parameter another value.
//

bool
ap_layout_set_param(ap_layout_t *layout, const char *name, size_t len, const char *value)
{
  for (int i = 0; i < layout->nparams; i++)
    if (strlen(layout->params[i][0]) == len && !strncmp(layout->params[i][0], name, len)) {
      layout->params[i][1] = value;
      return true;
    }
  return false;
}
