/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-qr-code.c: a QR code of a short text, drawn module by module in black on white (whatever
 * the theme) with the four-module quiet zone that phone cameras need. */

#include "config.h"

#include "hirc-qr-code.h"

#include <qrencode.h>
#include <string.h>

/* Phone cameras read a code at arm's length comfortably at this size. */
#define MODULE_PIXELS 8
#define QUIET_ZONE_MODULES 4

struct _HircQrCode
{
  GtkWidget  parent_instance;

  char      *text;
  QRcode    *code;
};

G_DEFINE_FINAL_TYPE (HircQrCode, hirc_qr_code, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hirc_qr_code_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  HircQrCode *self = HIRC_QR_CODE (widget);
  int side = 0;

  if (self->code != NULL)
    side = (self->code->width + 2 * QUIET_ZONE_MODULES) * MODULE_PIXELS;
  *minimum = *natural = side;
}

static void
hirc_qr_code_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  HircQrCode *self = HIRC_QR_CODE (widget);
  const GdkRGBA white = { 1, 1, 1, 1 };
  const GdkRGBA black = { 0, 0, 0, 1 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int modules;
  int module;
  int side;
  float x0, y0;

  if (self->code == NULL)
    return;

  modules = self->code->width + 2 * QUIET_ZONE_MODULES;
  /* Whole pixels per module keep the edges sharp. */
  module = MAX (MIN (width, height) / modules, 1);
  side = module * modules;
  x0 = (float) (width - side) / 2;
  y0 = (float) (height - side) / 2;

  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (x0, y0, side, side));
  for (int row = 0; row < self->code->width; row++)
    for (int column = 0; column < self->code->width; column++)
      if (self->code->data[row * self->code->width + column] & 1)
        gtk_snapshot_append_color (snapshot, &black,
                                   &GRAPHENE_RECT_INIT (x0 + (column + QUIET_ZONE_MODULES) * module,
                                                        y0 + (row + QUIET_ZONE_MODULES) * module,
                                                        module, module));
}

static void
hirc_qr_code_finalize (GObject *object)
{
  HircQrCode *self = HIRC_QR_CODE (object);

  g_free (self->text);
  g_clear_pointer (&self->code, QRcode_free);

  G_OBJECT_CLASS (hirc_qr_code_parent_class)->finalize (object);
}

static void
hirc_qr_code_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HircQrCode *self = HIRC_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_qr_code_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HircQrCode *self = HIRC_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      hirc_qr_code_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hirc_qr_code_class_init (HircQrCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hirc_qr_code_finalize;
  object_class->get_property = hirc_qr_code_get_property;
  object_class->set_property = hirc_qr_code_set_property;
  widget_class->measure = hirc_qr_code_measure;
  widget_class->snapshot = hirc_qr_code_snapshot;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "qrcode");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hirc_qr_code_init (HircQrCode *self)
{
}

GtkWidget *
hirc_qr_code_new (void)
{
  return g_object_new (HIRC_TYPE_QR_CODE, NULL);
}

const char *
hirc_qr_code_get_text (HircQrCode *self)
{
  g_return_val_if_fail (HIRC_IS_QR_CODE (self), NULL);

  return self->text;
}

void
hirc_qr_code_set_text (HircQrCode *self,
                       const char *text)
{
  g_return_if_fail (HIRC_IS_QR_CODE (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_pointer (&self->code, QRcode_free);
  /* Medium error correction survives a smudged or glaring screen; case-sensitive 8-bit mode
   * keeps the text exactly as shown. */
  if (text != NULL && text[0] != '\0')
    {
      self->code = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
      if (self->code == NULL)
        g_warning ("ui: cannot make a QR code of a %zu-byte text", strlen (text));
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

guint
hirc_qr_code_get_modules (HircQrCode *self)
{
  g_return_val_if_fail (HIRC_IS_QR_CODE (self), 0);

  return self->code != NULL ? (guint) self->code->width : 0;
}
