/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-easy-read.c: the Easy Read pictures, under Xvfb: every choice of every taxonomy list and
 * of every journey question has a picture that loads and is described; pictures appear only in
 * Easy Read English, keep the choice's name its label alone, and sit before the label in both
 * text directions. tests/ui/test-easy-read.py photographs them in the real window. */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "hirc-journey-private.h"
#include "hirc-taxonomy.h"
#include "hirc-ui.h"

/* The picture for a choice exists, loads as a 64 px square picture and is described in words;
 * its name is added to used. */
static void
assert_picture (GHashTable *used,
                const char *list_id,
                const char *code)
{
  const char *description = NULL;
  const char *name = hirc_easy_read_picture_for (list_id, code, &description);
  g_autofree char *resource = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (name == NULL)
    g_error ("the choice \"%s\" of \"%s\" has no Easy Read picture", code, list_id);
  g_assert_nonnull (description);
  g_assert_true (g_str_has_prefix (description, "Picture: "));
  g_assert_cmpuint (strlen (description), >, strlen ("Picture: "));

  resource = hirc_easy_read_picture_resource (name);
  texture = gdk_texture_new_from_resource (resource);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, HIRC_EASY_READ_PICTURE_SIZE);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, HIRC_EASY_READ_PICTURE_SIZE);

  g_hash_table_add (used, (gpointer) name);
}

static guint
check_taxonomy_lists (GHashTable *used)
{
  g_autoptr(HircTaxonomy) taxonomy = hirc_taxonomy_new_default ();
  guint checked = 0;

  for (guint list = 0; list < HIRC_LIST_N; list++)
    {
      const HircChoice *const *choices = hirc_taxonomy_get_choices (taxonomy, list);

      g_assert_nonnull (choices[0]);
      for (guint i = 0; choices[i] != NULL; i++, checked++)
        assert_picture (used, hirc_taxonomy_list_name (list), choices[i]->code);
    }
  return checked;
}

static void
test_taxonomy_lists (void)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  guint checked = check_taxonomy_lists (used);

  g_test_message ("%u choices of %u lists have pictures", checked, (guint) HIRC_LIST_N);
}

/* Every choice the journey's questions offer, as hirc-journey.c builds them, with the list
 * names it gives. */
static guint
check_journey_questions (GHashTable *used)
{
  g_autoptr(HircTaxonomy) taxonomy = hirc_taxonomy_new_default ();
  guint n_pages = 0;
  const HircPageSpec *pages = hirc_journey_get_pages (&n_pages);
  guint checked = 0;

  for (guint p = 0; p < n_pages; p++)
    for (guint f = 0; f < pages[p].n_fields; f++)
      {
        const HircFieldSpec *spec = &pages[p].fields[f];

        switch (spec->kind)
          {
          case HIRC_FIELD_CODE:
          case HIRC_FIELD_CODES:
            {
              const HircChoice *const *choices = hirc_taxonomy_get_choices (taxonomy,
                                                                            spec->list);

              for (guint i = 0; choices[i] != NULL; i++, checked++)
                assert_picture (used, hirc_taxonomy_list_name (spec->list), choices[i]->code);
            }
            break;
          case HIRC_FIELD_AREA:
            {
              GPtrArray *areas = hirc_taxonomy_get_areas (taxonomy);

              for (guint i = 0; i < areas->len; i++, checked++)
                assert_picture (used, spec->path, ((HircArea *) areas->pdata[i])->code);
              assert_picture (used, spec->path, "not_sure");
              /* The reporter who does not know the area sees the shared "not sure", not a map. */
              g_assert_cmpstr (hirc_easy_read_picture_for (spec->path, "not_sure", NULL), ==,
                               hirc_easy_read_picture_for ("yes_no_not_sure", "not_sure", NULL));
            }
            break;
          case HIRC_FIELD_SERVICE:
            {
              GPtrArray *services = hirc_taxonomy_get_services (taxonomy);

              for (guint i = 0; i < services->len; i++, checked++)
                assert_picture (used, spec->path,
                                ((HircSupportService *) services->pdata[i])->code);
            }
            break;
          case HIRC_FIELD_LANGUAGE:
            {
              guint n = 0;
              const HircLanguage *languages = hirc_journey_get_languages (&n);

              for (guint i = 0; i < n; i++, checked++)
                assert_picture (used, spec->path, languages[i].tag);
            }
            break;
          case HIRC_FIELD_BOOLEAN:
          case HIRC_FIELD_GATE:
            assert_picture (used, spec->path, "true");
            assert_picture (used, spec->path, "false");
            checked += 2;
            break;
          case HIRC_FIELD_FLAGS:
            for (guint i = 0; spec->flags[i].path != NULL; i++, checked++)
              assert_picture (used, spec->path, spec->flags[i].path);
            break;
          case HIRC_FIELD_DATE:
            /* "I know the exact date", the date field's own choice. */
            assert_picture (used, "date", "known");
            checked++;
            break;
          case HIRC_FIELD_LINE:
          case HIRC_FIELD_LINES:
          default:
            break;
          }
      }
  return checked;
}

static void
test_journey_questions (void)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_pages = 0;
  guint checked = check_journey_questions (used);

  hirc_journey_get_pages (&n_pages);
  g_test_message ("%u choices of the journey's %u pages have pictures", checked, n_pages);

  /* Staying anonymous and being contacted are pictures of their own, not a tick and a cross. */
  g_assert_cmpstr (hirc_easy_read_picture_for ("contact.anonymous", "true", NULL), ==,
                   "anonymous");
  g_assert_cmpstr (hirc_easy_read_picture_for ("consents.police_identifiable", "true", NULL),
                   ==, "yes");
}

/* A picture that no choice uses is a drawing nobody sees. */
static void
test_every_picture_used (void)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree const char **names = hirc_easy_read_pictures ();
  guint n = 0;

  check_taxonomy_lists (used);
  check_journey_questions (used);

  for (; names[n] != NULL; n++)
    {
      g_autofree char *resource = hirc_easy_read_picture_resource (names[n]);

      if (!g_hash_table_contains (used, names[n]))
        g_error ("the picture \"%s\" is not used by any choice", names[n]);
      g_assert_true (g_resources_get_info (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL,
                                           NULL));
    }
  g_assert_cmpuint (n, ==, g_hash_table_size (used));
  g_test_message ("%u pictures", n);
  g_assert_null (hirc_easy_read_picture_for ("incident_types", "no_such_code", NULL));
}

static void
test_is_active (void)
{
  g_setenv ("LANGUAGE", "en@easyread", TRUE);
  g_assert_true (hirc_easy_read_is_active ());
  g_setenv ("LANGUAGE", "en@easyread:en", TRUE);
  g_assert_true (hirc_easy_read_is_active ());
  g_setenv ("LANGUAGE", "en", TRUE);
  g_assert_false (hirc_easy_read_is_active ());
  g_setenv ("LANGUAGE", "cy:en@easyread", TRUE);
  g_assert_false (hirc_easy_read_is_active ());
  g_setenv ("LANGUAGE", "en", TRUE);
}

static GtkWidget *
show_field (GtkWidget *field)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 400);
  gtk_window_set_child (GTK_WINDOW (window), field);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (field) || gtk_widget_get_width (field) == 0)
    g_main_context_iteration (NULL, TRUE);
  return window;
}

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_not_in_other_languages (void)
{
  GtkWidget *field;
  GtkWidget *window;
  GtkWidget *yes;

  g_setenv ("LANGUAGE", "en", TRUE);
  field = hirc_choice_field_new (FALSE);
  hirc_choice_field_set_picture_list (HIRC_CHOICE_FIELD (field), "yes_no_not_sure");
  hirc_choice_field_add_choice (HIRC_CHOICE_FIELD (field), "yes", "Yes");
  window = show_field (field);
  yes = hirc_choice_field_get_choice_widget (HIRC_CHOICE_FIELD (field), "yes");

  /* As before pictures existed: the label is the button's only content. */
  g_assert_true (GTK_IS_LABEL (gtk_check_button_get_child (GTK_CHECK_BUTTON (yes))));
  g_assert_null (find_child_of_type (yes, GTK_TYPE_IMAGE));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* In Easy Read the picture comes first on the side reading starts from, the choice's name is
 * still its label, and the picture describes itself. */
static void
check_easy_read_choice (GtkTextDirection direction)
{
  GtkWidget *field;
  GtkWidget *window;
  GtkWidget *button;
  GtkWidget *image;
  GtkWidget *label;
  g_autofree char *icon_name = NULL;
  graphene_rect_t image_bounds, label_bounds, button_bounds;
  const char *description = NULL;

  g_setenv ("LANGUAGE", "en@easyread:en", TRUE);
  gtk_widget_set_default_direction (direction);
  field = hirc_choice_field_new (TRUE);
  hirc_choice_field_set_picture_list (HIRC_CHOICE_FIELD (field), "incident_types");
  hirc_choice_field_add_choice (HIRC_CHOICE_FIELD (field), "verbal_abuse",
                                "Verbal abuse or gestures");
  window = show_field (field);
  button = hirc_choice_field_get_choice_widget (HIRC_CHOICE_FIELD (field), "verbal_abuse");

  image = find_child_of_type (button, GTK_TYPE_IMAGE);
  label = find_child_of_type (button, GTK_TYPE_LABEL);
  g_assert_nonnull (image);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (image));

  /* The icon theme finds the picture (not GTK's "missing image") at the picture's size. */
  g_assert_cmpint (gtk_image_get_storage_type (GTK_IMAGE (image)), ==, GTK_IMAGE_ICON_NAME);
  icon_name = g_strconcat ("hirc-easy-read-",
                           hirc_easy_read_picture_for ("incident_types", "verbal_abuse",
                                                       &description), NULL);
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (image)), ==, icon_name);
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                                            gtk_widget_get_display (image)), icon_name));
  g_assert_cmpint (gtk_widget_get_width (image), ==, HIRC_EASY_READ_PICTURE_SIZE);
  g_assert_cmpint (gtk_widget_get_height (image), ==, HIRC_EASY_READ_PICTURE_SIZE);

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_ROLE_CHECKBOX);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Verbal abuse or gestures");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (image),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description);
  g_assert_cmpstr (description, ==, "Picture: a person shouting");

  g_assert_true (gtk_widget_compute_bounds (image, button, &image_bounds));
  g_assert_true (gtk_widget_compute_bounds (label, button, &label_bounds));
  g_assert_true (gtk_widget_compute_bounds (button, button, &button_bounds));
  if (direction == GTK_TEXT_DIR_RTL)
    g_assert_cmpfloat (image_bounds.origin.x, >, label_bounds.origin.x);
  else
    g_assert_cmpfloat (image_bounds.origin.x, <, label_bounds.origin.x);
  /* The whole tile, picture and all, stays a target at least 48 px square. */
  g_assert_cmpfloat (button_bounds.size.height, >=, HIRC_EASY_READ_PICTURE_SIZE);
  g_assert_cmpfloat (button_bounds.size.width, >=, 48);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  g_setenv ("LANGUAGE", "en", TRUE);
}

static void
test_easy_read_left_to_right (void)
{
  check_easy_read_choice (GTK_TEXT_DIR_LTR);
}

static void
test_easy_read_right_to_left (void)
{
  check_easy_read_choice (GTK_TEXT_DIR_RTL);
}

/* Four columns of pictures would leave room for half a word a line: Easy Read has three. */
static void
check_columns (const char *language,
               gboolean    fourth_wraps)
{
  const char *codes[] = { "en", "cy", "pl", "ro" };
  GtkWidget *field;
  GtkWidget *window;
  graphene_rect_t first, fourth;

  g_setenv ("LANGUAGE", language, TRUE);
  field = hirc_choice_field_new (FALSE);
  hirc_choice_field_set_columns (HIRC_CHOICE_FIELD (field), 4);
  hirc_choice_field_set_picture_list (HIRC_CHOICE_FIELD (field), "communication.language");
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    hirc_choice_field_add_choice (HIRC_CHOICE_FIELD (field), codes[i], codes[i]);
  window = show_field (field);

  g_assert_true (gtk_widget_compute_bounds (
                   hirc_choice_field_get_choice_widget (HIRC_CHOICE_FIELD (field), "en"), field,
                   &first));
  g_assert_true (gtk_widget_compute_bounds (
                   hirc_choice_field_get_choice_widget (HIRC_CHOICE_FIELD (field), "ro"), field,
                   &fourth));
  if (fourth_wraps)
    g_assert_cmpfloat (fourth.origin.y, >, first.origin.y);
  else
    g_assert_cmpfloat (fourth.origin.y, ==, first.origin.y);

  gtk_window_destroy (GTK_WINDOW (window));
  g_setenv ("LANGUAGE", "en", TRUE);
}

static void
test_columns (void)
{
  check_columns ("en", FALSE);
  check_columns ("en@easyread", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  /* LANGUAGE is what the kiosk switches; it must exist before any thread starts. */
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  hirc_ui_init ();
  hirc_ui_init_theme (gdk_display_get_default ());
  g_test_add_func ("/easy-read/pictures/taxonomy-lists", test_taxonomy_lists);
  g_test_add_func ("/easy-read/pictures/journey-questions", test_journey_questions);
  g_test_add_func ("/easy-read/pictures/every-picture-used", test_every_picture_used);
  g_test_add_func ("/easy-read/is-active", test_is_active);
  g_test_add_func ("/easy-read/choice/not-in-other-languages", test_not_in_other_languages);
  g_test_add_func ("/easy-read/choice/left-to-right", test_easy_read_left_to_right);
  g_test_add_func ("/easy-read/choice/right-to-left", test_easy_read_right_to_left);
  g_test_add_func ("/easy-read/choice/columns", test_columns);

  return g_test_run ();
}
