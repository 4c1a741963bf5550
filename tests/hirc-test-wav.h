/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-test-wav.h: measures a WAV file of synthesised speech, for the read-aloud tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A 20 ms frame quieter than this (about -41 dBFS) counts as a pause between words. */
#define HIRC_TEST_VOICED_RMS 300.0

typedef struct
{
  guint  rate;
  double seconds;
  double rms;             /* of all samples, full scale 32768 */
  double voiced_fraction; /* of 20 ms frames louder than HIRC_TEST_VOICED_RMS */
} HircWavStats;

/* Reads a RIFF/WAVE file of 16-bit mono PCM (failing the test if it is anything else). */
void hirc_test_analyse_wav (const char   *path,
                            HircWavStats *stats);

G_END_DECLS
