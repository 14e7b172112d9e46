// libxml2 speaks only through anpham: its process-wide generic and
// structured error handlers are replaced, once, by ones that keep the first
// message instead of printing it. Every parser, schema and XPath context
// also has its own handler; these catch what libxml2 reports outside any
// context (encoding conversion, "function not found" from XPath).
#include "parse-xml.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void keep_generic(void *data, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void keep_message(const char *text);
static void keep_structured(void *data, xmlErrorPtr err);

static char stray[512]; // First message given to the process-wide handlers since the last ap_xml_stray()

//
// 'ap_xml_quiet()' - Keep libxml2's process-wide messages instead of printing them.
//
// Cheap and idempotent: every entry point of parse/ and bind/ calls it.
//

void
ap_xml_quiet(void)
{
  static bool done; // Handlers set (they are process-wide)

  if (done)
    return;
  done = true;
  xmlInitParser();
  xmlSetGenericErrorFunc(NULL, keep_generic);
  xmlSetStructuredErrorFunc(NULL, keep_structured);
}

//
// 'ap_xml_stray()' - Copy the first message libxml2 gave outside any context, then forget it.
//
// buf gets "" when there was none, else one line without its trailing
// newline. Returns buf.
//

const char *
ap_xml_stray(char *buf, size_t size)
{
  if (!stray[0]) { // (as a rule: every XPath evaluation asks, before and after)
    if (size)
      buf[0] = '\0';
    return buf;
  }
  snprintf(buf, size, "%s", stray);
  stray[0] = '\0';
  return buf;
}

// Generic handler (printf-like, called once per message or message piece).
static void
keep_generic(void *data, const char *fmt, ...)
{
  char text[512]; // The formatted piece
  va_list ap;

  (void)data;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  keep_message(text);
}

// Keep text when no message is kept yet: one line, no trailing newline.
static void
keep_message(const char *text)
{
  if (stray[0] || !text)
    return;
  snprintf(stray, sizeof(stray), "%s", text);
  size_t n = strlen(stray);
  while (n > 0 && (stray[n - 1] == '\n' || stray[n - 1] == ' '))
    stray[--n] = '\0';
  for (char *c = stray; *c; c++)
    if (*c == '\n' || *c == '\r')
      *c = ' ';
}

// Structured handler: keep the message of an error (warnings are dropped).
static void
keep_structured(void *data, xmlErrorPtr err)
{
  (void)data;
  if (err && err->level >= XML_ERR_ERROR)
    keep_message(err->message);
}
