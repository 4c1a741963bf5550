/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-report.c: libFuzzer target for the report parser, validation and canonical JSON. */

#include "config.h"

#include "hirc-report.h"
#include "hirc-taxonomy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Must match REPORT_MAX_BYTES in hirc-report.c: serialised text above it is refused on purpose. */
#define REPORT_MAX_BYTES (192 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* Kept for the process's life, as the kiosk keeps it; reachable, so not a leak. */
  static HircTaxonomy *taxonomy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HircReport) report = NULL;
  g_autoptr(HircReport) again = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(HircSecureBuffer) first = NULL;
  g_autoptr(HircSecureBuffer) second = NULL;

  if (taxonomy == NULL)
    {
      if (!hirc_secure_init (&error))
        abort ();
      taxonomy = hirc_taxonomy_new_default ();
    }

  report = hirc_report_new_from_json ((const char *) data, size, &error);
  if (report == NULL)
    {
      /* Every refusal says why. */
      if (error == NULL || error->domain != HIRC_REPORT_ERROR || error->message[0] == '\0')
        abort ();
      return 0;
    }

  problems = hirc_report_validate (report, taxonomy);
  for (guint i = 0; i < problems->len; i++)
    {
      HircProblem *problem = g_ptr_array_index (problems, i);

      if (problem->field == NULL || problem->message == NULL || problem->message[0] == '\0')
        abort ();
    }

  /* The canonical form is a fixed point: it parses, and serialises to itself. */
  first = hirc_report_serialise (report);
  if (first->len <= REPORT_MAX_BYTES)
    {
      again = hirc_report_new_from_json ((const char *) first->data, first->len, &error);
      if (again == NULL)
        abort ();
      second = hirc_report_serialise (again);
      if (second->len != first->len || memcmp (first->data, second->data, first->len) != 0)
        abort ();
    }

  hirc_report_wipe (report);
  return 0;
}
