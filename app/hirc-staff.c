/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-staff.c: staff members, their PIN hashes and the sign-in delay, in staff.conf. */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hirc-pin.h"
#include "hirc-staff.h"

#define ADMINISTRATOR_ID "admin"
#define AMBASSADOR_PREFIX "ambassador "
#define MAX_NAME_CHARS 60

struct _HircStaff
{
  char     *path;
  GKeyFile *file;
  guint     first_delay;
};

G_DEFINE_QUARK (hirc-staff-error-quark, hirc_staff_error)

void
hirc_staff_member_free (HircStaffMember *member)
{
  if (member == NULL)
    return;
  g_free (member->id);
  g_free (member->name);
  g_free (member);
}

HircStaffMember *
hirc_staff_member_copy (const HircStaffMember *member)
{
  HircStaffMember *copy = g_new0 (HircStaffMember, 1);

  copy->id = g_strdup (member->id);
  copy->name = g_strdup (member->name);
  copy->role = member->role;
  return copy;
}

void
hirc_staff_free (HircStaff *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_clear_pointer (&self->file, g_key_file_unref);
  g_free (self);
}

HircStaff *
hirc_staff_open (const char  *state_dir,
                 GError     **error)
{
  g_autoptr(HircStaff) self = g_new0 (HircStaff, 1);
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  self->path = g_build_filename (state_dir, "staff.conf", NULL);
  self->file = g_key_file_new ();
  self->first_delay = HIRC_STAFF_FIRST_DELAY_SECONDS;
  if (g_stat (self->path, &st) != 0)
    {
      if (errno == ENOENT)
        return g_steal_pointer (&self);
      g_set_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_IO,
                   _("Could not read the staff list %s: %s"), self->path, g_strerror (errno));
      return NULL;
    }
  /* PIN hashes are slow to attack but not impossible; other users have no business there. */
  if ((st.st_mode & 0077) != 0)
    {
      g_set_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_IO,
                   _("The staff list %s can be read by other users; it must be readable only "
                     "by the kiosk's user (chmod 600)."), self->path);
      return NULL;
    }
  if (!g_key_file_load_from_file (self->file, self->path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_DAMAGED,
                   _("The staff list %s is damaged (%s). Set the administrator PIN again with "
                     "hirc-kiosk --set-admin-pin."), self->path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
save (HircStaff  *self,
      GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  contents = g_key_file_to_data (self->file, &len, NULL);
  /* Atomic and durable, so that a power cut never loses the PINs or the sign-in delay. */
  if (!g_file_set_contents_full (self->path, contents, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_IO,
                   _("Could not save the staff list %s: %s"), self->path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
group_for (const char *id)
{
  if (g_strcmp0 (id, ADMINISTRATOR_ID) == 0)
    return g_strdup ("administrator");
  return g_strconcat (AMBASSADOR_PREFIX, id, NULL);
}

gboolean
hirc_staff_has_administrator (HircStaff *self)
{
  return g_key_file_has_key (self->file, "administrator", "pin_hash", NULL);
}

static HircStaffMember *
member_from_group (HircStaff  *self,
                   const char *group)
{
  HircStaffMember *member;

  if (!g_key_file_has_key (self->file, group, "pin_hash", NULL))
    return NULL;
  member = g_new0 (HircStaffMember, 1);
  if (strcmp (group, "administrator") == 0)
    {
      member->id = g_strdup (ADMINISTRATOR_ID);
      member->name = g_strdup (_("Administrator"));
      member->role = HIRC_STAFF_ROLE_ADMINISTRATOR;
    }
  else
    {
      member->id = g_strdup (group + strlen (AMBASSADOR_PREFIX));
      member->name = g_key_file_get_string (self->file, group, "name", NULL);
      if (member->name == NULL)
        member->name = g_strdup (member->id);
      member->role = HIRC_STAFF_ROLE_AMBASSADOR;
    }
  return member;
}

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  const HircStaffMember *left = *(HircStaffMember * const *) a;
  const HircStaffMember *right = *(HircStaffMember * const *) b;

  if (left->role != right->role)
    return left->role == HIRC_STAFF_ROLE_ADMINISTRATOR ? -1 : 1;
  return g_utf8_collate (left->name, right->name);
}

GPtrArray *
hirc_staff_list (HircStaff *self)
{
  GPtrArray *members = g_ptr_array_new_with_free_func ((GDestroyNotify) hirc_staff_member_free);
  g_auto(GStrv) groups = g_key_file_get_groups (self->file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      HircStaffMember *member;

      if (strcmp (groups[i], "administrator") != 0 &&
          !g_str_has_prefix (groups[i], AMBASSADOR_PREFIX))
        continue;
      member = member_from_group (self, groups[i]);
      if (member != NULL)
        g_ptr_array_add (members, member);
    }
  g_ptr_array_sort (members, compare_members);
  return members;
}

const char *
hirc_staff_pin_problem (const char *pin)
{
  gsize len = pin != NULL ? strlen (pin) : 0;
  gboolean all_same = TRUE, ascending = TRUE, descending = TRUE;

  if (len < HIRC_STAFF_PIN_MIN_DIGITS || len > HIRC_STAFF_PIN_MAX_DIGITS)
    return _("A PIN must have 6 to 12 digits.");
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      return _("A PIN can only have the digits 0 to 9.");
  for (gsize i = 1; i < len; i++)
    {
      all_same &= pin[i] == pin[0];
      ascending &= pin[i] == (char) ('0' + (pin[i - 1] - '0' + 1) % 10);
      descending &= pin[i] == (char) ('0' + (pin[i - 1] - '0' + 9) % 10);
    }
  if (all_same || ascending || descending)
    return _("This PIN is too easy to guess. Do not use one digit again and again, or digits "
             "in order.");
  return NULL;
}

/* Two members with one PIN would make sign-in ambiguous, and tell one of them the other's. */
static gboolean
pin_in_use (HircStaff  *self,
            const char *pin,
            const char *except_group)
{
  g_auto(GStrv) groups = g_key_file_get_groups (self->file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *hash = NULL;

      if (g_strcmp0 (groups[i], except_group) == 0)
        continue;
      hash = g_key_file_get_string (self->file, groups[i], "pin_hash", NULL);
      if (hash != NULL && hirc_pin_verify (hash, pin))
        return TRUE;
    }
  return FALSE;
}

static gboolean
set_pin (HircStaff   *self,
         const char  *group,
         const char  *pin,
         GError     **error)
{
  const char *problem = hirc_staff_pin_problem (pin);
  g_autofree char *hash = NULL;

  if (problem != NULL)
    {
      g_set_error_literal (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_WEAK_PIN, problem);
      return FALSE;
    }
  if (pin_in_use (self, pin, group))
    {
      g_set_error_literal (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_PIN_IN_USE,
                           _("Someone else already has this PIN. Choose another one."));
      return FALSE;
    }
  hash = hirc_pin_hash (pin, error);
  if (hash == NULL)
    return FALSE;
  g_key_file_set_string (self->file, group, "pin_hash", hash);
  return save (self, error);
}

gboolean
hirc_staff_set_administrator_pin (HircStaff   *self,
                                  const char  *pin,
                                  GError     **error)
{
  return set_pin (self, "administrator", pin, error);
}

char *
hirc_staff_add_ambassador (HircStaff   *self,
                           const char  *name,
                           const char  *pin,
                           GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (name != NULL ? name : ""));
  g_autofree char *id = NULL;
  g_autofree char *group = NULL;
  guint64 next;

  if (*clean == '\0' || !g_utf8_validate (clean, -1, NULL) ||
      g_utf8_strlen (clean, -1) > MAX_NAME_CHARS || strpbrk (clean, "\n\r[]") != NULL)
    {
      g_set_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_INVALID,
                   _("Enter the ambassador's name, up to %d letters."), MAX_NAME_CHARS);
      return NULL;
    }
  next = g_key_file_get_uint64 (self->file, "staff", "next_ambassador", NULL) + 1;
  id = g_strdup_printf ("amb-%" G_GUINT64_FORMAT, next);
  group = group_for (id);
  g_key_file_set_string (self->file, group, "name", clean);
  g_key_file_set_uint64 (self->file, "staff", "next_ambassador", next);
  if (!set_pin (self, group, pin, error))
    {
      g_key_file_remove_group (self->file, group, NULL);
      g_key_file_set_uint64 (self->file, "staff", "next_ambassador", next - 1);
      return NULL;
    }
  return g_steal_pointer (&id);
}

gboolean
hirc_staff_set_ambassador_pin (HircStaff   *self,
                               const char  *id,
                               const char  *pin,
                               GError     **error)
{
  g_autofree char *group = group_for (id);

  if (g_strcmp0 (id, ADMINISTRATOR_ID) == 0 || !g_key_file_has_group (self->file, group))
    {
      g_set_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_NOT_FOUND,
                   _("There is no ambassador %s on this kiosk."), id);
      return FALSE;
    }
  return set_pin (self, group, pin, error);
}

gboolean
hirc_staff_remove_ambassador (HircStaff   *self,
                              const char  *id,
                              GError     **error)
{
  g_autofree char *group = group_for (id);

  if (g_strcmp0 (id, ADMINISTRATOR_ID) == 0 || !g_key_file_has_group (self->file, group))
    {
      g_set_error (error, HIRC_STAFF_ERROR, HIRC_STAFF_ERROR_NOT_FOUND,
                   _("There is no ambassador %s on this kiosk."), id);
      return FALSE;
    }
  g_key_file_remove_group (self->file, group, NULL);
  return save (self, error);
}

void
hirc_staff_set_first_delay (HircStaff *self,
                            guint      seconds)
{
  g_return_if_fail (seconds > 0);

  self->first_delay = MIN (seconds, HIRC_STAFF_MAX_DELAY_SECONDS);
}

gint64
hirc_staff_retry_at (HircStaff *self,
                     gint64     now)
{
  gint64 retry_at = g_key_file_get_int64 (self->file, "sign-in", "retry_at", NULL);

  return retry_at > now ? retry_at : 0;
}

static gint64
delay_after (HircStaff *self,
             guint64    failures)
{
  gint64 delay = self->first_delay;

  if (failures < HIRC_STAFF_FREE_ATTEMPTS)
    return 0;
  for (guint64 i = HIRC_STAFF_FREE_ATTEMPTS; i < failures && delay < HIRC_STAFF_MAX_DELAY_SECONDS;
       i++)
    delay *= 2;
  return MIN (delay, HIRC_STAFF_MAX_DELAY_SECONDS);
}

HircSignInResult
hirc_staff_sign_in (HircStaff        *self,
                    const char       *pin,
                    gint64            now,
                    HircStaffMember **member_out,
                    gint64           *retry_at,
                    GError          **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (self->file, NULL);
  guint64 failures;
  gint64 delay;

  *member_out = NULL;
  *retry_at = hirc_staff_retry_at (self, now);
  if (*retry_at != 0)
    return HIRC_SIGN_IN_WAIT;

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *hash = g_key_file_get_string (self->file, groups[i], "pin_hash", NULL);

      if (hash == NULL || pin == NULL || !hirc_pin_verify (hash, pin))
        continue;
      *member_out = member_from_group (self, groups[i]);
      if (g_key_file_has_group (self->file, "sign-in"))
        {
          g_autoptr(GError) save_error = NULL;

          /* A count that fails to clear only makes the next delay stricter, so the right PIN
           * is still accepted. */
          g_key_file_remove_group (self->file, "sign-in", NULL);
          if (!save (self, &save_error))
            g_warning ("%s", save_error->message);
        }
      return HIRC_SIGN_IN_ACCEPTED;
    }

  failures = g_key_file_get_uint64 (self->file, "sign-in", "failures", NULL) + 1;
  delay = delay_after (self, failures);
  g_key_file_set_uint64 (self->file, "sign-in", "failures", failures);
  g_key_file_set_int64 (self->file, "sign-in", "retry_at", delay > 0 ? now + delay : 0);
  *retry_at = delay > 0 ? now + delay : 0;
  /* error says so when the count could not be saved; the PIN is wrong either way. */
  save (self, error);
  return HIRC_SIGN_IN_WRONG_PIN;
}
