/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-dashboard-page.c: the dashboard. Its rows are made in code from one table, so that the
 * order on screen and the captions cannot drift from HircDashboardItem. */

#include "config.h"

#include "hirc-dashboard-page.h"

#include <glib/gi18n-lib.h>

#include "hirc-clamp.h"
#include "hirc-read-aloud-button.h"

struct _HircDashboardPage
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkLabel  *summary;
  GtkBox    *problems;
  GtkLabel  *result_headline;
  GtkBox    *result_findings;
  GtkBox    *sections;

  /* Borrowed: children of sections. */
  GtkLabel  *values[HIRC_DASHBOARD_N_ITEMS];

  /* The summary and problems on screen, to leave them alone when they have not changed. */
  char      *shown_summary;
};

G_DEFINE_FINAL_TYPE (HircDashboardPage, hirc_dashboard_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SYNC_NOW,
  SIGNAL_TEST_CONNECTION,
  SIGNAL_STAFF,
  SIGNAL_LOG,
  SIGNAL_SIGN_OUT,
  SIGNAL_REPROVISION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The sections, in order; each item belongs to the section listed before it. */
static const struct
{
  const char *section;  /* non-NULL starts a section */
  const char *caption;
} rows[HIRC_DASHBOARD_N_ITEMS] = {
  [HIRC_DASHBOARD_WAITING] = { N_("Reports"), N_("Waiting to be sent") },
  [HIRC_DASHBOARD_SENT_TODAY] = { NULL, N_("Sent today") },
  [HIRC_DASHBOARD_SENT_THIS_MONTH] = { NULL, N_("Sent this month") },
  [HIRC_DASHBOARD_REFUSED] = { NULL, N_("Refused by the intake") },
  [HIRC_DASHBOARD_SYNC_STATE] = { N_("Sending"), N_("Sync service") },
  [HIRC_DASHBOARD_LAST_SUCCESS] = { NULL, N_("Last successful send") },
  [HIRC_DASHBOARD_NEXT_ATTEMPT] = { NULL, N_("Next attempt") },
  [HIRC_DASHBOARD_LAST_ERROR] = { NULL, N_("Last problem") },
  [HIRC_DASHBOARD_CLOCK] = { NULL, N_("Clock") },
  [HIRC_DASHBOARD_CENTRE_NAME] = { N_("This kiosk"), N_("Centre") },
  [HIRC_DASHBOARD_CENTRE_ID] = { NULL, N_("Centre id") },
  [HIRC_DASHBOARD_DEVICE_FINGERPRINT] = { NULL, N_("This kiosk's fingerprint") },
  [HIRC_DASHBOARD_INTAKE_URL] = { NULL, N_("Intake address") },
  [HIRC_DASHBOARD_INTAKE_FINGERPRINT] = { NULL, N_("The intake's fingerprint") },
  [HIRC_DASHBOARD_STORAGE_USED] = { NULL, N_("Storage used by reports") },
  [HIRC_DASHBOARD_STORAGE_FREE] = { NULL, N_("Storage free") },
  [HIRC_DASHBOARD_SOFTWARE_VERSION] = { NULL, N_("Software version") },
};

static void
emit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  static const struct { const char *action; guint signal; } map[] = {
    { "dashboard.sync-now", SIGNAL_SYNC_NOW },
    { "dashboard.test-connection", SIGNAL_TEST_CONNECTION },
    { "dashboard.staff", SIGNAL_STAFF },
    { "dashboard.log", SIGNAL_LOG },
    { "dashboard.sign-out", SIGNAL_SIGN_OUT },
    { "dashboard.reprovision", SIGNAL_REPROVISION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (action_name, map[i].action))
      g_signal_emit (widget, signals[map[i].signal], 0);
}

static GtkWidget *
make_heading (const char *text,
              int         level)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "xalign", 0.0f,
                                   "wrap", TRUE,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                   NULL);

  gtk_widget_add_css_class (label, "hirc-subheading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, level,
                                  -1);
  return label;
}

static void
build_rows (HircDashboardPage *self)
{
  /* One column of captions for every section, so that the values line up down the page. */
  g_autoptr(GtkSizeGroup) captions = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  GtkGrid *grid = NULL;
  int row = 0;

  for (guint i = 0; i < HIRC_DASHBOARD_N_ITEMS; i++)
    {
      GtkWidget *caption;
      GtkWidget *value;

      if (rows[i].section != NULL)
        {
          gtk_box_append (self->sections, make_heading (_(rows[i].section), 2));
          grid = GTK_GRID (gtk_grid_new ());
          gtk_grid_set_row_spacing (grid, 12);
          gtk_grid_set_column_spacing (grid, 32);
          gtk_box_append (self->sections, GTK_WIDGET (grid));
          row = 0;
        }
      caption = g_object_new (GTK_TYPE_LABEL, "label", _(rows[i].caption), "xalign", 0.0f,
                              "yalign", 0.0f, "wrap", TRUE, NULL);
      gtk_widget_add_css_class (caption, "hirc-dashboard-caption");
      gtk_size_group_add_widget (captions, caption);
      value = g_object_new (GTK_TYPE_LABEL, "label", "…", "xalign", 0.0f, "wrap", TRUE,
                            "wrap-mode", PANGO_WRAP_WORD_CHAR, "hexpand", TRUE, NULL);
      gtk_widget_add_css_class (value, "hirc-dashboard-value");
      /* A screen reader reading the value alone still knows what it is. */
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, caption, NULL, -1);
      gtk_grid_attach (grid, caption, 0, row, 1, 1);
      gtk_grid_attach (grid, value, 1, row, 1, 1);
      self->values[i] = GTK_LABEL (value);
      row++;
    }
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
make_sentence (const char *text,
               gboolean    problem)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "label", text, "xalign", 0.0f, "wrap", TRUE,
                                   "wrap-mode", PANGO_WRAP_WORD_CHAR, NULL);

  gtk_widget_add_css_class (label, problem ? "hirc-dashboard-problem" : "hirc-dashboard-fine");
  return label;
}

static void
hirc_dashboard_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_DASHBOARD_PAGE);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_dashboard_page_parent_class)->dispose (object);
}

static void
hirc_dashboard_page_finalize (GObject *object)
{
  HircDashboardPage *self = HIRC_DASHBOARD_PAGE (object);

  g_free (self->shown_summary);

  G_OBJECT_CLASS (hirc_dashboard_page_parent_class)->finalize (object);
}

static void
hirc_dashboard_page_class_init (HircDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char *names[N_SIGNALS] = { "sync-now", "test-connection", "staff", "log", "sign-out",
                                   "reprovision" };

  object_class->dispose = hirc_dashboard_page_dispose;
  object_class->finalize = hirc_dashboard_page_finalize;

  for (guint i = 0; i < N_SIGNALS; i++)
    {
      g_autofree char *action = g_strconcat ("dashboard.", names[i], NULL);

      signals[i] = g_signal_new (names[i], G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
      gtk_widget_class_install_action (widget_class, action, NULL, emit_action_cb);
    }

  g_type_ensure (HIRC_TYPE_CLAMP);
  g_type_ensure (HIRC_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HircDashboardPage, summary);
  gtk_widget_class_bind_template_child (widget_class, HircDashboardPage, problems);
  gtk_widget_class_bind_template_child (widget_class, HircDashboardPage, result_headline);
  gtk_widget_class_bind_template_child (widget_class, HircDashboardPage, result_findings);
  gtk_widget_class_bind_template_child (widget_class, HircDashboardPage, sections);
  gtk_widget_class_set_css_name (widget_class, "dashboardpage");
}

static void
hirc_dashboard_page_init (HircDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_rows (self);
}

GtkWidget *
hirc_dashboard_page_new (void)
{
  return g_object_new (HIRC_TYPE_DASHBOARD_PAGE, NULL);
}

void
hirc_dashboard_page_set_item (HircDashboardPage *self,
                              HircDashboardItem  item,
                              const char        *text)
{
  g_return_if_fail (HIRC_IS_DASHBOARD_PAGE (self));
  g_return_if_fail ((guint) item < HIRC_DASHBOARD_N_ITEMS);

  /* Unchanged text is left alone, so that a refresh every few seconds does not make a screen
   * reader announce the whole page again. */
  if (g_strcmp0 (gtk_label_get_label (self->values[item]), text) != 0)
    gtk_label_set_label (self->values[item], text != NULL ? text : "");
}

void
hirc_dashboard_page_set_summary (HircDashboardPage  *self,
                                 const char         *summary,
                                 const char * const *problems)
{
  g_autoptr(GString) key = g_string_new (summary);

  g_return_if_fail (HIRC_IS_DASHBOARD_PAGE (self));

  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    g_string_append_printf (key, "\n%s", problems[i]);
  if (g_strcmp0 (self->shown_summary, key->str) == 0)
    return;
  g_free (self->shown_summary);
  self->shown_summary = g_string_free (g_steal_pointer (&key), FALSE);
  gtk_label_set_label (self->summary, summary);
  clear_box (self->problems);
  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    gtk_box_append (self->problems, make_sentence (problems[i], TRUE));
  gtk_widget_set_visible (GTK_WIDGET (self->problems), problems != NULL && problems[0] != NULL);
}

void
hirc_dashboard_page_set_result (HircDashboardPage  *self,
                                const char         *headline,
                                const char * const *findings,
                                const gboolean     *findings_ok)
{
  g_return_if_fail (HIRC_IS_DASHBOARD_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.sync-now", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.test-connection", TRUE);
  gtk_label_set_label (self->result_headline, headline);
  gtk_widget_set_visible (GTK_WIDGET (self->result_headline), headline != NULL);
  clear_box (self->result_findings);
  for (guint i = 0; findings != NULL && findings[i] != NULL; i++)
    gtk_box_append (self->result_findings,
                    make_sentence (findings[i], findings_ok != NULL && !findings_ok[i]));
}

void
hirc_dashboard_page_set_busy (HircDashboardPage *self,
                              const char        *doing)
{
  g_return_if_fail (HIRC_IS_DASHBOARD_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.sync-now", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.test-connection", FALSE);
  gtk_label_set_label (self->result_headline, doing);
  gtk_widget_set_visible (GTK_WIDGET (self->result_headline), TRUE);
  clear_box (self->result_findings);
}
