/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-secure.c: libsodium start-up, process hardening and guarded buffers. */

#include "hirc-crypto.h"

#include <errno.h>
#include <string.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

HircSecureBuffer *
hirc_secure_buffer_new (gsize len)
{
  HircSecureBuffer *buffer = g_new0 (HircSecureBuffer, 1);

  /* sodium_malloc(0) is valid, but a one-byte allocation keeps data non-NULL for callers. */
  buffer->data = sodium_malloc (MAX (len, 1));
  if (buffer->data == NULL)
    g_error ("crypto: cannot allocate %" G_GSIZE_FORMAT " bytes of guarded memory", len);
  buffer->len = len;
  return buffer;
}

HircSecureBuffer *
hirc_secure_buffer_new_from_data (gconstpointer data,
                                  gsize         len)
{
  HircSecureBuffer *buffer = hirc_secure_buffer_new (len);

  if (len > 0)
    memcpy (buffer->data, data, len);
  return buffer;
}

void
hirc_secure_buffer_free (HircSecureBuffer *buffer)
{
  if (buffer == NULL)
    return;
  /* sodium_free wipes the whole allocation before releasing it. */
  sodium_free (buffer->data);
  g_free (buffer);
}

gboolean
hirc_secure_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_NOT_INITIALISED,
                           "libsodium could not be initialised");
      return FALSE;
    }
  return TRUE;
}

gboolean
hirc_process_harden (GError **error)
{
  struct rlimit no_core = { 0, 0 };

  if (setrlimit (RLIMIT_CORE, &no_core) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_FAILED,
                   "cannot disable core dumps: %s", g_strerror (saved_errno));
      return FALSE;
    }
  /* Not dumpable also stops other processes of the same user from reading our memory through
   * ptrace or /proc/PID/mem. */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, HIRC_CRYPTO_ERROR, HIRC_CRYPTO_ERROR_FAILED,
                   "cannot mark the process as not dumpable: %s", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

void
hirc_secure_allow_core_dumps (void)
{
  struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

  setrlimit (RLIMIT_CORE, &unlimited);
  prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);
}

void
hirc_secure_wipe_string (char *str)
{
  if (str != NULL)
    sodium_memzero (str, strlen (str));
}
