/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-audit.c: the audit log keeps events and never free text. */

#include "config.h"

#include <string.h>

#include "hirc-audit.h"
#include "hirc-test-util.h"

static void
test_record_and_list (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-test-audit");
  g_autoptr(GError) error = NULL;
  g_autoptr(HircAudit) audit = hirc_audit_open (dir, &error);
  g_autoptr(HircAudit) other = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *sentence = NULL;
  HircAuditEntry *newest;

  g_assert_no_error (error);
  g_assert_true (hirc_audit_record (audit, "admin", HIRC_AUDIT_STAFF_SIGNED_IN, NULL, &error));
  g_assert_no_error (error);
  /* A second connection, as the sync service has, writes to the same log. */
  other = hirc_audit_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (hirc_audit_record (other, "sync", HIRC_AUDIT_REPORTS_DELIVERED, "12", &error));
  g_assert_no_error (error);

  entries = hirc_audit_list (audit, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  newest = entries->pdata[0];
  g_assert_cmpint (newest->event, ==, HIRC_AUDIT_REPORTS_DELIVERED);
  g_assert_cmpstr (newest->detail, ==, "12");
  g_assert_cmpint (newest->at, >, 0);
  sentence = hirc_audit_describe (newest);
  g_assert_cmpstr (sentence, ==, "Reports sent to the intake: 12.");
  g_clear_pointer (&sentence, g_free);
  sentence = hirc_audit_describe (entries->pdata[1]);
  g_assert_cmpstr (sentence, ==, "The administrator signed in.");

  g_clear_pointer (&audit, hirc_audit_close);
  g_clear_pointer (&other, hirc_audit_close);
  hirc_test_remove_tree (dir);
}

/* Whatever a caller passes, words from a report cannot get into the log. */
static void
test_refuses_free_text (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-test-audit");
  g_autoptr(GError) error = NULL;
  g_autoptr(HircAudit) audit = hirc_audit_open (dir, &error);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *db_path = g_build_filename (dir, "audit.db", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  const char *canary = "CANARY they shouted at me";

  g_assert_no_error (error);
  g_assert_false (hirc_audit_record (audit, "sync", HIRC_AUDIT_SYNC_FAILED, canary, &error));
  g_assert_error (error, HIRC_AUDIT_ERROR, HIRC_AUDIT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hirc_audit_record (audit, canary, HIRC_AUDIT_SYNC_NOW, NULL, &error));
  g_assert_error (error, HIRC_AUDIT_ERROR, HIRC_AUDIT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hirc_audit_record (audit, "admin", HIRC_AUDIT_N_EVENTS, NULL, &error));
  g_assert_error (error, HIRC_AUDIT_ERROR, HIRC_AUDIT_ERROR_INVALID);
  g_clear_error (&error);

  entries = hirc_audit_list (audit, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&audit, hirc_audit_close);
  g_assert_true (g_file_get_contents (db_path, &contents, &len, NULL));
  g_assert_null (memmem (contents, len, "CANARY", 6));
  hirc_test_remove_tree (dir);
}

/* The log keeps the newest HIRC_AUDIT_KEEP entries. */
static void
test_trims_oldest (void)
{
  g_autofree char *dir = hirc_test_make_temp_dir ("hirc-test-audit");
  g_autoptr(GError) error = NULL;
  g_autoptr(HircAudit) audit = hirc_audit_open (dir, &error);
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < HIRC_AUDIT_KEEP + 5; i++)
    {
      g_autofree char *count = g_strdup_printf ("%u", i);

      g_assert_true (hirc_audit_record (audit, "sync", HIRC_AUDIT_REPORTS_DELIVERED, count,
                                        &error));
    }
  entries = hirc_audit_list (audit, HIRC_AUDIT_KEEP * 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, HIRC_AUDIT_KEEP);
  g_assert_cmpstr (((HircAuditEntry *) entries->pdata[0])->detail, ==, "10004");
  g_clear_pointer (&audit, hirc_audit_close);
  hirc_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audit/record-and-list", test_record_and_list);
  g_test_add_func ("/audit/refuses-free-text", test_refuses_free_text);
  g_test_add_func ("/audit/trims-oldest", test_trims_oldest);
  return g_test_run ();
}
