/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-journey.h: one reporter's way through the kiosk, from the start page to the reference:
 * the pages, their answers in the report, validation on Continue, "Check your answers", the
 * save, and the confirmation. */
#pragma once

#include <gtk/gtk.h>

#include "hirc-kiosk-window.h"
#include "hirc-report.h"
#include "hirc-submit.h"
#include "hirc-taxonomy.h"

G_BEGIN_DECLS

#define HIRC_TYPE_JOURNEY (hirc_journey_get_type ())
G_DECLARE_FINAL_TYPE (HircJourney, hirc_journey, HIRC, JOURNEY, GObject)

/* submitter may be NULL, in which case sending fails with the message for a failed save.
 * state_dir names where the sync service listens, to wake it after a save. */
HircJourney *hirc_journey_new       (HircKioskWindow    *window,
                                     const HircTaxonomy *taxonomy,
                                     HircSubmitter      *submitter,
                                     const char         *state_dir);
/* Shows the start page. */
void         hirc_journey_start     (HircJourney        *self);
/* An ambassador takes the report with the reporter: it records that it was assisted and by
 * whom, adds the ambassador's questions, and begins at the first question. Only from the start
 * page. */
void         hirc_journey_begin_assisted (HircJourney *self,
                                          const char  *ambassador_id);
/* TRUE from the first question until the journey is wiped or finished: while there is
 * something of the reporter's to protect. */
gboolean     hirc_journey_is_active (HircJourney        *self);
/* TRUE while the report is being sealed and saved on a worker thread, until "save-done". */
gboolean     hirc_journey_is_saving (HircJourney        *self);
/* Overwrites and drops every answer and empties every field. While saving, the wipe happens
 * as soon as the save returns, just before "save-done". */
void         hirc_journey_wipe      (HircJourney        *self);

G_END_DECLS
