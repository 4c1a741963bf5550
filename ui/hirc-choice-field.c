/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-choice-field.c: a question answered by choosing: large radio buttons (one answer) or
 * check boxes (several), GOV.UK style, with an optional exclusive "I'm not sure". */

#include "config.h"

#include "hirc-choice-field.h"

#include "hirc-choice-button.h"
#include "hirc-easy-read.h"
#include "hirc-field-parts.h"

typedef struct
{
  char      *code;
  char      *label;
  GtkWidget *button; /* borrowed: a child of the grid */
} Choice;

struct _HircChoiceField
{
  GtkWidget  parent_instance;

  /* Template widgets. */
  GtkLabel  *legend;
  GtkLabel  *hint;
  GtkLabel  *error_label;
  GtkGrid   *grid;

  GPtrArray *choices; /* Choice */
  char      *exclusive_code;
  char      *picture_list;
  gboolean   pictures; /* Easy Read pictures are shown beside the labels */
  guint      columns;
  gboolean   multiple;
  /* Set while this widget changes several buttons at once, so that one change notifies once. */
  gboolean   updating;
};

G_DEFINE_FINAL_TYPE (HircChoiceField, hirc_choice_field, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MULTIPLE,
  PROP_LABEL,
  PROP_HINT,
  PROP_ERROR,
  PROP_EXCLUSIVE_CODE,
  PROP_COLUMNS,
  PROP_SELECTED_CODES,
  PROP_SELECTED_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
choice_free (gpointer data)
{
  Choice *choice = data;

  g_free (choice->code);
  g_free (choice->label);
  g_free (choice);
}

static Choice *
find_choice (HircChoiceField *self,
             const char      *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      if (g_str_equal (choice->code, code))
        return choice;
    }
  return NULL;
}

static gboolean
choice_is_active (const Choice *choice)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (choice->button));
}

static void
notify_selection (HircChoiceField *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CODES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CODE]);
}

static void
relayout (HircChoiceField *self)
{
  guint columns = MAX (self->columns, 1);

  /* A picture takes a quarter of a narrow tile: four columns would leave room for half a word
   * a line. */
  if (self->pictures)
    columns = MIN (columns, 3);

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      g_object_ref (choice->button);
      if (gtk_widget_get_parent (choice->button) != NULL)
        gtk_grid_remove (self->grid, choice->button);
      gtk_grid_attach (self->grid, choice->button, (int) (i % columns), (int) (i / columns), 1, 1);
      g_object_unref (choice->button);
    }
}

static void
choice_toggled_cb (HircChoiceField *self,
                   GtkCheckButton  *button)
{
  Choice *toggled = NULL;

  if (self->updating)
    return;

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      if (choice->button == GTK_WIDGET (button))
        toggled = choice;
    }

  /* A radio group toggles two buttons; only the one turned on needs to say so. */
  if (!self->multiple && !gtk_check_button_get_active (button))
    return;

  if (self->multiple && toggled != NULL && choice_is_active (toggled)
      && self->exclusive_code != NULL)
    {
      gboolean is_exclusive = g_str_equal (toggled->code, self->exclusive_code);

      self->updating = TRUE;
      for (guint i = 0; i < self->choices->len; i++)
        {
          Choice *choice = g_ptr_array_index (self->choices, i);
          gboolean other_is_exclusive = g_str_equal (choice->code, self->exclusive_code);

          if (choice != toggled && (is_exclusive || other_is_exclusive))
            gtk_check_button_set_active (GTK_CHECK_BUTTON (choice->button), FALSE);
        }
      self->updating = FALSE;
    }

  notify_selection (self);
}

static gboolean
hirc_choice_field_grab_focus (GtkWidget *widget)
{
  HircChoiceField *self = HIRC_CHOICE_FIELD (widget);

  /* Focus goes where the reporter will act: the chosen answer, else the first. */
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      if (choice_is_active (choice))
        return gtk_widget_grab_focus (choice->button);
    }
  if (self->choices->len > 0)
    return gtk_widget_grab_focus (((Choice *) g_ptr_array_index (self->choices, 0))->button);
  return FALSE;
}

static void
hirc_choice_field_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HIRC_TYPE_CHOICE_FIELD);
  /* Children of the template without an id are not cleared by the call above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hirc_choice_field_parent_class)->dispose (object);
}

static void
hirc_choice_field_finalize (GObject *object)
{
  HircChoiceField *self = HIRC_CHOICE_FIELD (object);

  g_ptr_array_unref (self->choices);
  g_free (self->exclusive_code);
  g_free (self->picture_list);

  G_OBJECT_CLASS (hirc_choice_field_parent_class)->finalize (object);
}

static void
hirc_choice_field_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HircChoiceField *self = HIRC_CHOICE_FIELD (object);

  switch (prop_id)
    {
    case PROP_MULTIPLE:
      g_value_set_boolean (value, self->multiple);
      break;
    case PROP_LABEL:
      g_value_set_string (value, gtk_label_get_label (self->legend));
      break;
    case PROP_HINT:
      g_value_set_string (value, gtk_label_get_label (self->hint));
      break;
    case PROP_ERROR:
      g_value_set_string (value, gtk_widget_get_visible (GTK_WIDGET (self->error_label))
                                   ? gtk_label_get_label (self->error_label) : NULL);
      break;
    case PROP_EXCLUSIVE_CODE:
      g_value_set_string (value, self->exclusive_code);
      break;
    case PROP_COLUMNS:
      g_value_set_uint (value, self->columns);
      break;
    case PROP_SELECTED_CODES:
      g_value_take_boxed (value, hirc_choice_field_get_selected_codes (self));
      break;
    case PROP_SELECTED_CODE:
      g_value_set_string (value, hirc_choice_field_get_selected_code (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_choice_field_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HircChoiceField *self = HIRC_CHOICE_FIELD (object);

  switch (prop_id)
    {
    case PROP_MULTIPLE:
      self->multiple = g_value_get_boolean (value);
      break;
    case PROP_LABEL:
      hirc_choice_field_set_label (self, g_value_get_string (value));
      break;
    case PROP_HINT:
      hirc_choice_field_set_hint (self, g_value_get_string (value));
      break;
    case PROP_ERROR:
      hirc_choice_field_set_error (self, g_value_get_string (value));
      break;
    case PROP_EXCLUSIVE_CODE:
      hirc_choice_field_set_exclusive_code (self, g_value_get_string (value));
      break;
    case PROP_COLUMNS:
      hirc_choice_field_set_columns (self, g_value_get_uint (value));
      break;
    case PROP_SELECTED_CODES:
      hirc_choice_field_set_selected_codes (self, g_value_get_boxed (value));
      break;
    case PROP_SELECTED_CODE:
      hirc_choice_field_set_selected_code (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_choice_field_class_init (HircChoiceFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hirc_choice_field_dispose;
  object_class->finalize = hirc_choice_field_finalize;
  object_class->get_property = hirc_choice_field_get_property;
  object_class->set_property = hirc_choice_field_set_property;
  widget_class->grab_focus = hirc_choice_field_grab_focus;

  properties[PROP_MULTIPLE] =
    g_param_spec_boolean ("multiple", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXCLUSIVE_CODE] =
    g_param_spec_string ("exclusive-code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMNS] =
    g_param_spec_uint ("columns", NULL, NULL, 1, 4, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_CODES] =
    g_param_spec_boxed ("selected-codes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_CODE] =
    g_param_spec_string ("selected-code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hirc/Kiosk/ui/hirc-choice-field.ui");
  gtk_widget_class_bind_template_child (widget_class, HircChoiceField, legend);
  gtk_widget_class_bind_template_child (widget_class, HircChoiceField, hint);
  gtk_widget_class_bind_template_child (widget_class, HircChoiceField, error_label);
  gtk_widget_class_bind_template_child (widget_class, HircChoiceField, grid);
  gtk_widget_class_set_css_name (widget_class, "choicefield");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hirc_choice_field_init (HircChoiceField *self)
{
  self->choices = g_ptr_array_new_with_free_func (choice_free);
  self->columns = 1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hirc_choice_field_new (gboolean multiple)
{
  return g_object_new (HIRC_TYPE_CHOICE_FIELD, "multiple", multiple, NULL);
}

void
hirc_choice_field_add_choice (HircChoiceField *self,
                              const char      *code,
                              const char      *label)
{
  Choice *choice;

  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));
  g_return_if_fail (code != NULL && label != NULL);
  g_return_if_fail (find_choice (self, code) == NULL);

  choice = g_new0 (Choice, 1);
  choice->code = g_strdup (code);
  choice->label = g_strdup (label);
  choice->button = hirc_choice_button_new (!self->multiple, label);
  gtk_widget_set_hexpand (choice->button, TRUE);
  /* Pages are made again when the language changes, so a choice made in Easy Read English has
   * its picture and one made in any other language looks as it always has. */
  if (self->picture_list != NULL && hirc_easy_read_is_active ())
    {
      GtkWidget *picture = hirc_easy_read_picture_new (self->picture_list, code);

      if (picture != NULL)
        {
          hirc_choice_button_set_picture (HIRC_CHOICE_BUTTON (choice->button), picture);
          self->pictures = TRUE;
        }
    }

  if (!self->multiple && self->choices->len > 0)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (choice->button),
                                GTK_CHECK_BUTTON (((Choice *) g_ptr_array_index (self->choices,
                                                                                 0))->button));
  g_signal_connect_swapped (choice->button, "toggled", G_CALLBACK (choice_toggled_cb), self);

  g_ptr_array_add (self->choices, choice);
  relayout (self);
}

void
hirc_choice_field_set_picture_list (HircChoiceField *self,
                                    const char      *list_id)
{
  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));
  g_return_if_fail (self->choices->len == 0);

  g_free (self->picture_list);
  self->picture_list = g_strdup (list_id);
}

gboolean
hirc_choice_field_get_multiple (HircChoiceField *self)
{
  g_return_val_if_fail (HIRC_IS_CHOICE_FIELD (self), FALSE);

  return self->multiple;
}

const char *
hirc_choice_field_get_label (HircChoiceField *self)
{
  g_return_val_if_fail (HIRC_IS_CHOICE_FIELD (self), NULL);

  return gtk_label_get_label (self->legend);
}

void
hirc_choice_field_set_label (HircChoiceField *self,
                             const char      *label)
{
  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));

  if (g_strcmp0 (label, gtk_label_get_label (self->legend)) == 0)
    return;
  /* Without a legend of its own, the group is named by whoever shows the question (the page
   * heading), so the relation is only set here when there is a legend. */
  hirc_field_set_naming_label (self->legend, GTK_ACCESSIBLE (self), label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

void
hirc_choice_field_set_hint (HircChoiceField *self,
                            const char      *hint)
{
  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));

  if (g_strcmp0 (hint, gtk_label_get_label (self->hint)) == 0)
    return;
  hirc_field_set_label_text (self->hint, hint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
}

void
hirc_choice_field_set_error (HircChoiceField *self,
                             const char      *error)
{
  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));

  if (!hirc_field_show_error (GTK_WIDGET (self), GTK_ACCESSIBLE (self), self->error_label, error,
                              TRUE))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

void
hirc_choice_field_set_exclusive_code (HircChoiceField *self,
                                      const char      *code)
{
  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));

  if (g_strcmp0 (code, self->exclusive_code) == 0)
    return;
  g_free (self->exclusive_code);
  self->exclusive_code = g_strdup (code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCLUSIVE_CODE]);
}

void
hirc_choice_field_set_columns (HircChoiceField *self,
                               guint            columns)
{
  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));
  g_return_if_fail (columns >= 1 && columns <= 4);

  if (self->columns == columns)
    return;
  self->columns = columns;
  relayout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLUMNS]);
}

char **
hirc_choice_field_get_selected_codes (HircChoiceField *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HIRC_IS_CHOICE_FIELD (self), NULL);

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      if (choice_is_active (choice))
        g_strv_builder_add (builder, choice->code);
    }
  return g_strv_builder_end (builder);
}

void
hirc_choice_field_set_selected_codes (HircChoiceField    *self,
                                      const char * const *codes)
{
  gboolean changed = FALSE;

  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));

  self->updating = TRUE;
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);
      gboolean wanted = codes != NULL && g_strv_contains (codes, choice->code);

      /* A radio group keeps one answer at most: the first wanted one. */
      if (!self->multiple && wanted)
        {
          for (guint j = 0; j < i; j++)
            if (choice_is_active (g_ptr_array_index (self->choices, j)))
              wanted = FALSE;
        }
      if (wanted != choice_is_active (choice))
        {
          gtk_check_button_set_active (GTK_CHECK_BUTTON (choice->button), wanted);
          changed = TRUE;
        }
    }
  self->updating = FALSE;
  if (changed)
    notify_selection (self);
}

const char *
hirc_choice_field_get_selected_code (HircChoiceField *self)
{
  g_return_val_if_fail (HIRC_IS_CHOICE_FIELD (self), NULL);

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      if (choice_is_active (choice))
        return choice->code;
    }
  return NULL;
}

void
hirc_choice_field_set_selected_code (HircChoiceField *self,
                                     const char      *code)
{
  const char *codes[] = { code, NULL };

  g_return_if_fail (HIRC_IS_CHOICE_FIELD (self));

  hirc_choice_field_set_selected_codes (self, code != NULL ? codes : NULL);
}

const char *
hirc_choice_field_get_choice_label (HircChoiceField *self,
                                    const char      *code)
{
  Choice *choice;

  g_return_val_if_fail (HIRC_IS_CHOICE_FIELD (self), NULL);

  choice = find_choice (self, code);
  return choice != NULL ? choice->label : NULL;
}

GtkWidget *
hirc_choice_field_get_choice_widget (HircChoiceField *self,
                                     const char      *code)
{
  Choice *choice;

  g_return_val_if_fail (HIRC_IS_CHOICE_FIELD (self), NULL);

  choice = find_choice (self, code);
  return choice != NULL ? choice->button : NULL;
}
