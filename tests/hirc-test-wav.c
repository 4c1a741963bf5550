/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-test-wav.c: measures a WAV file of synthesised speech, for the read-aloud tests. */

#include "config.h"

#include "hirc-test-wav.h"

#include <math.h>
#include <string.h>

static guint16
read_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

/* Reads a RIFF/WAVE file of 16-bit mono PCM, walking its chunks rather than trusting a fixed
 * 44-byte header. */
void
hirc_test_analyse_wav (const char   *path,
                       HircWavStats *stats)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  const guint8 *samples = NULL;
  gsize len = 0;
  gsize at = 12;
  guint32 n_bytes = 0;
  guint channels = 0;
  guint bits = 0;
  guint frame_len;
  gsize n_samples;
  gsize n_frames;
  gsize voiced = 0;
  double sum = 0.0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  data = (const guint8 *) contents;
  g_assert_cmpuint (len, >, 44);
  g_assert_cmpmem (data, 4, "RIFF", 4);
  g_assert_cmpmem (data + 8, 4, "WAVE", 4);
  g_assert_cmpuint (read_le32 (data + 4), ==, len - 8);

  /* A WAV file has a handful of chunks; 64 bounds the walk over a corrupt one. */
  for (guint chunk = 0; chunk < 64 && at + 8 <= len; chunk++)
    {
      guint32 size = read_le32 (data + at + 4);

      g_assert_cmpuint (size, <=, len - at - 8);
      if (memcmp (data + at, "fmt ", 4) == 0)
        {
          g_assert_cmpuint (size, >=, 16);
          g_assert_cmpuint (read_le16 (data + at + 8), ==, 1); /* PCM */
          channels = read_le16 (data + at + 10);
          stats->rate = read_le32 (data + at + 12);
          bits = read_le16 (data + at + 22);
        }
      else if (memcmp (data + at, "data", 4) == 0)
        {
          samples = data + at + 8;
          n_bytes = size;
        }
      at += 8 + size + (size & 1);
    }

  g_assert_cmpuint (channels, ==, 1);
  g_assert_cmpuint (bits, ==, 16);
  g_assert_cmpuint (stats->rate, >=, 8000);
  g_assert_cmpuint (stats->rate, <=, 48000);
  g_assert_nonnull (samples);

  n_samples = n_bytes / 2;
  stats->seconds = (double) n_samples / stats->rate;
  frame_len = stats->rate / 50;
  n_frames = n_samples / frame_len;
  g_assert_cmpuint (n_frames, >, 0);

  for (gsize f = 0; f < n_frames; f++)
    {
      double frame_sum = 0.0;

      for (guint i = 0; i < frame_len; i++)
        {
          double v = (gint16) read_le16 (samples + 2 * (f * frame_len + i));

          frame_sum += v * v;
        }
      sum += frame_sum;
      if (frame_sum / frame_len > HIRC_TEST_VOICED_RMS * HIRC_TEST_VOICED_RMS)
        voiced++;
    }
  stats->rms = sqrt (sum / (double) (n_frames * frame_len));
  stats->voiced_fraction = (double) voiced / (double) n_frames;
}
