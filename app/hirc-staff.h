/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-staff.h: the people who may sign in at a kiosk (its administrator and the Hate Crime
 * Ambassadors), their PINs as Argon2id hashes, and the growing delay after wrong PINs, all kept
 * in staff.conf in the state folder so that the delay survives a restart. No GTK. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HIRC_STAFF_ERROR (hirc_staff_error_quark ())

typedef enum
{
  HIRC_STAFF_ERROR_IO,
  HIRC_STAFF_ERROR_DAMAGED,     /* staff.conf cannot be understood */
  HIRC_STAFF_ERROR_WEAK_PIN,    /* too short, not digits, or too easy to guess */
  HIRC_STAFF_ERROR_PIN_IN_USE,  /* another member already has this PIN */
  HIRC_STAFF_ERROR_NOT_FOUND,
  HIRC_STAFF_ERROR_INVALID,     /* a name or id that cannot be used */
} HircStaffError;

GQuark hirc_staff_error_quark (void);

typedef enum
{
  HIRC_STAFF_ROLE_ADMINISTRATOR,
  HIRC_STAFF_ROLE_AMBASSADOR,
} HircStaffRole;

typedef struct
{
  char          *id;     /* "admin" for the administrator, "amb-N" for ambassadors */
  char          *name;   /* as the administrator entered it, shown only on staff screens */
  HircStaffRole  role;
} HircStaffMember;

void             hirc_staff_member_free (HircStaffMember *member);
HircStaffMember *hirc_staff_member_copy (const HircStaffMember *member);

typedef enum
{
  HIRC_SIGN_IN_ACCEPTED,
  HIRC_SIGN_IN_WRONG_PIN,
  HIRC_SIGN_IN_WAIT,            /* too many wrong PINs: nothing is checked until retry_at */
} HircSignInResult;

#define HIRC_STAFF_PIN_MIN_DIGITS 6
#define HIRC_STAFF_PIN_MAX_DIGITS 12
/* Wrong PINs before the first delay, the first delay, and its cap; it doubles in between. */
#define HIRC_STAFF_FREE_ATTEMPTS      3
#define HIRC_STAFF_FIRST_DELAY_SECONDS 30
#define HIRC_STAFF_MAX_DELAY_SECONDS  (60 * 60)

typedef struct _HircStaff HircStaff;

/* Loads staff.conf from state_dir, or starts an empty list when there is none. */
HircStaff        *hirc_staff_open              (const char       *state_dir,
                                                GError          **error);
void              hirc_staff_free              (HircStaff        *self);

gboolean          hirc_staff_has_administrator (HircStaff        *self);
/* Members sorted administrator first, then ambassadors by name. */
GPtrArray        *hirc_staff_list              (HircStaff        *self);

/* Checks a new PIN: 6 to 12 digits, not one digit repeated, not a run like 123456 or 987654.
 * Returns NULL or a plain sentence for the person choosing it. */
const char       *hirc_staff_pin_problem       (const char       *pin);

/* Sets the administrator's PIN, hashing it; saved at once. */
gboolean          hirc_staff_set_administrator_pin (HircStaff    *self,
                                                    const char   *pin,
                                                    GError      **error);
/* Adds an ambassador and returns their new id. */
char             *hirc_staff_add_ambassador    (HircStaff        *self,
                                                const char       *name,
                                                const char       *pin,
                                                GError          **error);
gboolean          hirc_staff_set_ambassador_pin (HircStaff       *self,
                                                 const char      *id,
                                                 const char      *pin,
                                                 GError         **error);
gboolean          hirc_staff_remove_ambassador (HircStaff        *self,
                                                const char       *id,
                                                GError          **error);

/* Checks pin against every member at time now (Unix seconds). While a delay runs, nothing is
 * checked and *retry_at says when to try again; each wrong PIN is saved before returning, so
 * restarting the kiosk does not reset the count. On success *member_out is the member. */
HircSignInResult  hirc_staff_sign_in           (HircStaff        *self,
                                                const char       *pin,
                                                gint64            now,
                                                HircStaffMember **member_out,
                                                gint64           *retry_at,
                                                GError          **error);
/* The first delay after HIRC_STAFF_FREE_ATTEMPTS wrong PINs (kiosk.conf's [staff]
 * first_delay_seconds); it doubles from there up to HIRC_STAFF_MAX_DELAY_SECONDS. */
void              hirc_staff_set_first_delay   (HircStaff        *self,
                                                guint             seconds);
/* 0 when sign-in is open, else when it opens again. */
gint64            hirc_staff_retry_at          (HircStaff        *self,
                                                gint64            now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircStaff, hirc_staff_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircStaffMember, hirc_staff_member_free)

G_END_DECLS
