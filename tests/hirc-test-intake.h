/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-test-intake.h: runs a real hirc-intake server (the binary named by $HIRC_INTAKE) on
 * 127.0.0.1 for tests, with keys and certificates made for the test. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  /* The folder given to hirc_test_intake_new(); everything below lives in it. */
  char     *dir;
  /* The intake's data folder: intake.db, tls.crt, tls.key, ca.crt, receipt.secret,
   * receipt.public, seal.public (sync/INTAKE.md). */
  char     *data_dir;
  /* seal.secret, moved out of the data folder as keygen tells operators to do; export needs it. */
  char     *seal_secret_path;
  char     *seal_public_path;
  char     *receipt_public_path;
  /* The server's certificate (for 127.0.0.1, signed by the test CA) and key. */
  char     *cert_path;
  char     *key_path;
  /* The test CA: what bundles carry and what clients trust. Its key lets a test mint another
   * valid certificate under the same CA (for example one with a different pin). */
  char     *ca_path;
  char     *ca_key_path;

  /* Set by hirc_test_intake_start(): "https://127.0.0.1:PORT" and the port, which restarts
   * keep. */
  char     *url;
  guint16   port;
  /* 0 when not running. */
  GPid      pid;

  /* Extra arguments for "serve" (for example "--device-rate", "1"); set before starting. */
  char    **serve_args;

  /* Private. */
  int       stdout_fd;
  guint     n_bundles;
} HircTestIntake;

/* Runs keygen into dir/intake, moves seal.secret to dir/workstation, and makes a CA and a
 * server certificate valid from an hour ago for two days. Does not start the server. */
HircTestIntake *hirc_test_intake_new           (const char      *dir);
/* Kills the server if it still runs; leaves the files for the caller to remove. */
void            hirc_test_intake_free          (HircTestIntake  *self);

void            hirc_test_intake_set_serve_args (HircTestIntake     *self,
                                                 const char * const *args);

/* Starts "serve" and waits (at most 10 s) for its "listening on" line. The first start picks a
 * free port; later starts reuse it. The server is killed when the thread that started it ends
 * (so a crashed test leaves nothing listening): start it from the test's main thread. */
void            hirc_test_intake_start         (HircTestIntake  *self);
/* SIGTERM, then waits (at most 10 s) and asserts a clean exit. */
void            hirc_test_intake_stop          (HircTestIntake  *self);
/* SIGKILL, then reaps it. */
void            hirc_test_intake_kill          (HircTestIntake  *self);
/* Stops it if running, then starts it again on the same port. */
void            hirc_test_intake_restart       (HircTestIntake  *self);

/* Runs enrol-centre for a new centre and returns the bundle's path (in dir). */
char           *hirc_test_intake_enrol_centre  (HircTestIntake  *self,
                                                const char      *name);

/* Certificates, made with GnuTLS so their dates can be anything (an expired one included).
 * Keys are ECDSA P-256. */
void            hirc_test_make_ca              (const char      *cert_path,
                                                const char      *key_path);
/* A server certificate for 127.0.0.1 (subject and IP subject alternative name), valid from
 * not_before to not_after (Unix seconds), signed by the CA, or by itself when ca_cert_path is
 * NULL. */
void            hirc_test_make_certificate     (const char      *cert_path,
                                                const char      *key_path,
                                                const char      *ca_cert_path,
                                                const char      *ca_key_path,
                                                gint64           not_before,
                                                gint64           not_after);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HircTestIntake, hirc_test_intake_free)

G_END_DECLS
