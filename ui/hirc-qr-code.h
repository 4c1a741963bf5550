/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-qr-code.h: a QR code of a short text (the report's reference), drawn with libqrencode. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HIRC_TYPE_QR_CODE (hirc_qr_code_get_type ())
G_DECLARE_FINAL_TYPE (HircQrCode, hirc_qr_code, HIRC, QR_CODE, GtkWidget)

GtkWidget  *hirc_qr_code_new       (void);
const char *hirc_qr_code_get_text  (HircQrCode *self);
void        hirc_qr_code_set_text  (HircQrCode *self,
                                    const char *text);
/* The number of modules along one side, without the quiet zone; 0 when there is no code. */
guint       hirc_qr_code_get_modules (HircQrCode *self);

G_END_DECLS
