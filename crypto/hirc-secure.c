/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-secure.c: libsodium start-up, process hardening and guarded buffers. */

#include "hirc-crypto.h"

#include <errno.h>
#include <string.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* Making a guarded buffer takes an mmap, three mprotects, an mlock and an madvise, and freeing
 * it as many again, and each mprotect and munmap makes every CPU the process has run on flush
 * its TLB. Saving a report takes two such buffers, which together cost more than sealing and
 * signing it. So a few freed regions are kept for the next buffer of the same size class:
 * wiped, still locked out of swap and excluded from core dumps, still between their guard
 * pages, and with the data still ending where the guard page after it begins. */
#define CACHED_REGIONS   4
#define CACHED_LARGEST   (16 * 1024)
/* The canary sodium_malloc puts in front of the data. */
#define SODIUM_CANARY    16

typedef struct
{
  HircSecureBuffer  buffer;   /* first: callers hold a pointer to it */
  guint8           *region;   /* from sodium_malloc */
  gsize             capacity;
} GuardedBuffer;

typedef struct
{
  guint8 *region;
  gsize   capacity;
} CachedRegion;

static GMutex cache_lock;
static CachedRegion cache[CACHED_REGIONS];
static guint n_cached;

/* The most that sodium_malloc fits in as many pages as len needs: its data then runs from just
 * after the canary to the guard page, so every size in the class can share the region. */
static gsize
capacity_for (gsize len)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize needed = MAX (len, 1) + SODIUM_CANARY;

  return (needed + page - 1) / page * page - SODIUM_CANARY;
}

static guint8 *
take_cached (gsize capacity)
{
  guint8 *region = NULL;

  g_mutex_lock (&cache_lock);
  for (guint i = 0; i < n_cached; i++)
    if (cache[i].capacity == capacity)
      {
        region = cache[i].region;
        cache[i] = cache[--n_cached];
        break;
      }
  g_mutex_unlock (&cache_lock);
  return region;
}

/* The region must already be wiped. FALSE when it is not kept. */
static gboolean
give_to_cache (guint8 *region,
               gsize   capacity)
{
  gboolean kept = FALSE;

  if (capacity > CACHED_LARGEST)
    return FALSE;
  g_mutex_lock (&cache_lock);
  if (n_cached < CACHED_REGIONS)
    {
      cache[n_cached++] = (CachedRegion) { region, capacity };
      kept = TRUE;
    }
  g_mutex_unlock (&cache_lock);
  return kept;
}

HircSecureBuffer *
hirc_secure_buffer_new (gsize len)
{
  GuardedBuffer *guarded = g_new0 (GuardedBuffer, 1);

  guarded->capacity = capacity_for (len);
  guarded->region = take_cached (guarded->capacity);
  if (guarded->region == NULL)
    guarded->region = sodium_malloc (guarded->capacity);
  if (guarded->region == NULL)
    g_error ("crypto: cannot allocate %" G_GSIZE_FORMAT " bytes of guarded memory", len);
  /* Even an empty buffer has a byte, so that data is never NULL for callers. */
  guarded->buffer.data = guarded->region + guarded->capacity - MAX (len, 1);
  guarded->buffer.len = len;
  return &guarded->buffer;
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
  GuardedBuffer *guarded = (GuardedBuffer *) buffer;

  if (buffer == NULL)
    return;
  sodium_memzero (guarded->region, guarded->capacity);
  /* sodium_free wipes the whole allocation again before releasing it. */
  if (!give_to_cache (guarded->region, guarded->capacity))
    sodium_free (guarded->region);
  g_free (guarded);
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
