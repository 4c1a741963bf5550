/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hirc-test-intake.c: starts, stops, kills and restarts a real hirc-intake for tests, and makes
 * the keys, certificates and bundles it needs. */

#include "hirc-test-intake.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hirc-test-util.h"

/* Nothing a test waits for here takes long; these only stop a broken server hanging a test. */
#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS  10000

static const char *
intake_binary (void)
{
  const char *path = g_getenv ("HIRC_INTAKE");

  if (path == NULL)
    g_error ("HIRC_INTAKE must name the hirc-intake binary");
  return path;
}

static void
check_gnutls (int         rc,
              const char *what)
{
  if (rc < 0)
    g_error ("test certificate: %s failed: %s", what, gnutls_strerror (rc));
}

static void
write_datum (const char     *path,
             gnutls_datum_t *datum,
             int             mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, (const char *) datum->data, datum->size,
                            G_FILE_SET_CONTENTS_CONSISTENT, mode, &error);
  g_assert_no_error (error);
  gnutls_free (datum->data);
  datum->data = NULL;
}

static gnutls_x509_crt_t
load_certificate (const char *path)
{
  g_autofree char *pem = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  gnutls_x509_crt_t crt;
  gnutls_datum_t data;

  g_file_get_contents (path, &pem, &len, &error);
  g_assert_no_error (error);
  data = (gnutls_datum_t) { (unsigned char *) pem, (unsigned int) len };
  check_gnutls (gnutls_x509_crt_init (&crt), "crt_init");
  check_gnutls (gnutls_x509_crt_import (crt, &data, GNUTLS_X509_FMT_PEM), "crt_import");
  return crt;
}

static gnutls_x509_privkey_t
load_key (const char *path)
{
  g_autofree char *pem = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  gnutls_x509_privkey_t key;
  gnutls_datum_t data;

  g_file_get_contents (path, &pem, &len, &error);
  g_assert_no_error (error);
  data = (gnutls_datum_t) { (unsigned char *) pem, (unsigned int) len };
  check_gnutls (gnutls_x509_privkey_init (&key), "privkey_init");
  check_gnutls (gnutls_x509_privkey_import2 (key, &data, GNUTLS_X509_FMT_PEM, NULL, 0),
                "privkey_import");
  return key;
}

/* Makes and writes one certificate and its key; issuer NULL means self-signed. */
static void
make_certificate (const char            *cert_path,
                  const char            *key_path,
                  const char            *common_name,
                  gboolean               is_ca,
                  gboolean               for_server,
                  gnutls_x509_crt_t      issuer,
                  gnutls_x509_privkey_t  issuer_key,
                  gint64                 not_before,
                  gint64                 not_after)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t out = { NULL, 0 };
  g_autofree char *dn = g_strdup_printf ("CN=%s", common_name);
  const char *dn_error = NULL;
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size;
  unsigned int usage;

  check_gnutls (gnutls_x509_privkey_init (&key), "privkey_init");
  check_gnutls (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                              GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                              0),
                "privkey_generate");

  check_gnutls (gnutls_x509_crt_init (&crt), "crt_init");
  check_gnutls (gnutls_x509_crt_set_version (crt, 3), "set_version");
  for (gsize i = 0; i < sizeof serial; i++)
    serial[i] = (guint8) g_random_int_range (0, 256);
  /* A positive serial number: the top bit clear, the first byte not zero. */
  serial[0] = (serial[0] & 0x7f) | 0x01;
  check_gnutls (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "set_serial");
  check_gnutls (gnutls_x509_crt_set_activation_time (crt, (time_t) not_before),
                "set_activation_time");
  check_gnutls (gnutls_x509_crt_set_expiration_time (crt, (time_t) not_after),
                "set_expiration_time");
  check_gnutls (gnutls_x509_crt_set_dn (crt, dn, &dn_error), "set_dn");
  check_gnutls (gnutls_x509_crt_set_key (crt, key), "set_key");
  check_gnutls (gnutls_x509_crt_set_basic_constraints (crt, is_ca, -1), "set_basic_constraints");

  usage = GNUTLS_KEY_DIGITAL_SIGNATURE;
  if (is_ca)
    usage |= GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
  check_gnutls (gnutls_x509_crt_set_key_usage (crt, usage), "set_key_usage");

  if (for_server)
    {
      static const guint8 loopback[4] = { 127, 0, 0, 1 };

      check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback,
                                                          sizeof loopback, GNUTLS_FSAN_SET),
                    "set_subject_alt_name");
      check_gnutls (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                    "set_key_purpose_oid");
    }

  key_id_size = sizeof key_id;
  check_gnutls (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size),
                "get_key_id");
  check_gnutls (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size),
                "set_subject_key_id");
  if (issuer != NULL)
    {
      key_id_size = sizeof key_id;
      check_gnutls (gnutls_x509_crt_get_subject_key_id (issuer, key_id, &key_id_size, NULL),
                    "get_subject_key_id");
    }
  check_gnutls (gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size),
                "set_authority_key_id");

  check_gnutls (gnutls_x509_crt_sign2 (crt, issuer != NULL ? issuer : crt,
                                       issuer_key != NULL ? issuer_key : key,
                                       GNUTLS_DIG_SHA256, 0),
                "crt_sign");

  check_gnutls (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out), "crt_export");
  write_datum (cert_path, &out, 0644);
  check_gnutls (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                   GNUTLS_PKCS_PLAIN, &out),
                "privkey_export");
  write_datum (key_path, &out, 0600);

  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
}

void
hirc_test_make_ca (const char *cert_path,
                   const char *key_path)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  make_certificate (cert_path, key_path, "HIRC test CA", TRUE, FALSE, NULL, NULL,
                    now - 3600, now + 2 * 24 * 3600);
}

void
hirc_test_make_certificate (const char *cert_path,
                            const char *key_path,
                            const char *ca_cert_path,
                            const char *ca_key_path,
                            gint64      not_before,
                            gint64      not_after)
{
  gnutls_x509_crt_t issuer = NULL;
  gnutls_x509_privkey_t issuer_key = NULL;

  if (ca_cert_path != NULL)
    {
      issuer = load_certificate (ca_cert_path);
      issuer_key = load_key (ca_key_path);
    }
  /* A self-signed certificate is its own CA, as "openssl req -x509" makes them. */
  make_certificate (cert_path, key_path, "127.0.0.1", ca_cert_path == NULL, TRUE, issuer,
                    issuer_key, not_before, not_after);
  if (issuer != NULL)
    {
      gnutls_x509_crt_deinit (issuer);
      gnutls_x509_privkey_deinit (issuer_key);
    }
}

static void
run_intake (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = hirc_test_run (argv, NULL, &out, &err);

  if (status != 0)
    g_error ("%s %s failed (%d): %s", argv[0], argv[1], status, err);
}

HircTestIntake *
hirc_test_intake_new (const char *dir)
{
  HircTestIntake *self = g_new0 (HircTestIntake, 1);
  g_autofree char *workstation = g_build_filename (dir, "workstation", NULL);
  g_autofree char *keygen_seal_secret = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  self->dir = g_strdup (dir);
  self->data_dir = g_build_filename (dir, "intake", NULL);
  self->seal_secret_path = g_build_filename (workstation, "seal.secret", NULL);
  self->seal_public_path = g_build_filename (self->data_dir, "seal.public", NULL);
  self->receipt_public_path = g_build_filename (self->data_dir, "receipt.public", NULL);
  self->cert_path = g_build_filename (self->data_dir, "tls.crt", NULL);
  self->key_path = g_build_filename (self->data_dir, "tls.key", NULL);
  self->ca_path = g_build_filename (self->data_dir, "ca.crt", NULL);
  self->ca_key_path = g_build_filename (dir, "ca.key", NULL);
  self->stdout_fd = -1;

  {
    const char *argv[] = { intake_binary (), "keygen", "--out", self->data_dir, NULL };

    run_intake (argv);
  }

  g_assert_cmpint (g_mkdir_with_parents (workstation, 0700), ==, 0);
  keygen_seal_secret = g_build_filename (self->data_dir, "seal.secret", NULL);
  g_assert_cmpint (g_rename (keygen_seal_secret, self->seal_secret_path), ==, 0);

  hirc_test_make_ca (self->ca_path, self->ca_key_path);
  hirc_test_make_certificate (self->cert_path, self->key_path, self->ca_path, self->ca_key_path,
                              now - 3600, now + 2 * 24 * 3600);
  return self;
}

void
hirc_test_intake_free (HircTestIntake *self)
{
  if (self == NULL)
    return;
  if (self->pid != 0)
    hirc_test_intake_kill (self);
  g_free (self->dir);
  g_free (self->data_dir);
  g_free (self->seal_secret_path);
  g_free (self->seal_public_path);
  g_free (self->receipt_public_path);
  g_free (self->cert_path);
  g_free (self->key_path);
  g_free (self->ca_path);
  g_free (self->ca_key_path);
  g_free (self->url);
  g_strfreev (self->serve_args);
  g_free (self);
}

void
hirc_test_intake_set_serve_args (HircTestIntake     *self,
                                 const char * const *args)
{
  g_strfreev (self->serve_args);
  self->serve_args = g_strdupv ((char **) args);
}

/* Reads one line from fd within timeout_ms, or NULL when the writer closed it or time ran out. */
static char *
read_line (int  fd,
           int  timeout_ms)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (line->len < 4096)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char c;
      ssize_t n;

      if (left_ms <= 0)
        return NULL;
      if (poll (&pfd, 1, (int) left_ms) <= 0)
        continue;
      n = read (fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return NULL;
      if (c == '\n')
        return g_string_free (g_steal_pointer (&line), FALSE);
      g_string_append_c (line, c);
    }
  return NULL;
}

/* Starts the server on the given port; FALSE, with the server reaped, when it could not listen
 * there. */
static gboolean
try_start (HircTestIntake *self,
           guint16         port,
           char          **said)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *colon;
  guint64 listening_port = 0;

  g_ptr_array_add (argv, g_strdup (intake_binary ()));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup ("--data"));
  g_ptr_array_add (argv, g_strdup (self->data_dir));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  for (guint i = 0; self->serve_args != NULL && self->serve_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->serve_args[i]));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 hirc_test_die_with_parent, NULL, &self->pid, NULL, &self->stdout_fd, NULL, &error))
    g_error ("cannot start hirc-intake: %s", error->message);

  line = read_line (self->stdout_fd, START_TIMEOUT_MS);
  if (line == NULL || !g_str_has_prefix (line, "listening on https://"))
    {
      hirc_test_intake_kill (self);
      g_free (*said);
      *said = g_steal_pointer (&line);
      return FALSE;
    }

  colon = strrchr (line, ':');
  g_assert_nonnull (colon);
  g_assert_true (g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &listening_port, NULL));
  g_assert_cmpuint (listening_port, ==, port);
  self->port = port;
  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening on "));
  return TRUE;
}

/* Ports below the kernel's ephemeral range: a port there is never handed to another program's
 * outgoing connection or port-0 listener, so a server that restarts can have its port back even
 * while other tests run beside it. */
static guint16
pick_port (void)
{
  return (guint16) g_random_int_range (20000, 32000);
}

void
hirc_test_intake_start (HircTestIntake *self)
{
  g_autofree char *said = NULL;

  g_assert_cmpint (self->pid, ==, 0);

  if (self->port == 0)
    {
      /* Another test may hold the port picked; pick again. */
      for (guint tries = 0; tries < 50; tries++)
        if (try_start (self, pick_port (), &said))
          return;
    }
  else
    {
      /* A restart needs its port back, since the kiosks' configuration names it; a connection
       * of the previous server's may hold it for a moment. */
      for (guint tries = 0; tries < 100; tries++)
        {
          if (try_start (self, self->port, &said))
            return;
          g_usleep (100000);
        }
    }
  g_error ("hirc-intake serve did not say it was listening (it said: %s)",
           said != NULL ? said : "nothing");
}

/* Waits for the server to exit; returns its wait status, or -1 when it did not exit in time. */
static int
wait_for_exit (HircTestIntake *self,
               int             timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  int status = 0;

  while (g_get_monotonic_time () < deadline)
    {
      pid_t pid = waitpid (self->pid, &status, WNOHANG);

      if (pid == self->pid)
        return status;
      g_assert_cmpint (pid, ==, 0);
      g_usleep (5000);
    }
  return -1;
}

static void
forget_process (HircTestIntake *self)
{
  g_spawn_close_pid (self->pid);
  self->pid = 0;
  if (self->stdout_fd >= 0)
    close (self->stdout_fd);
  self->stdout_fd = -1;
}

void
hirc_test_intake_stop (HircTestIntake *self)
{
  int status;

  g_assert_cmpint (self->pid, !=, 0);
  g_assert_cmpint (kill (self->pid, SIGTERM), ==, 0);
  status = wait_for_exit (self, STOP_TIMEOUT_MS);
  if (status == -1)
    {
      hirc_test_intake_kill (self);
      g_error ("hirc-intake did not stop within %d ms of SIGTERM", STOP_TIMEOUT_MS);
    }
  forget_process (self);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("hirc-intake did not stop cleanly (wait status %d)", status);
}

void
hirc_test_intake_kill (HircTestIntake *self)
{
  g_assert_cmpint (self->pid, !=, 0);
  kill (self->pid, SIGKILL);
  g_assert_cmpint (wait_for_exit (self, STOP_TIMEOUT_MS), !=, -1);
  forget_process (self);
}

void
hirc_test_intake_restart (HircTestIntake *self)
{
  if (self->pid != 0)
    hirc_test_intake_stop (self);
  hirc_test_intake_start (self);
}

char *
hirc_test_intake_enrol_centre (HircTestIntake *self,
                               const char     *name)
{
  g_autofree char *file = g_strdup_printf ("bundle-%u.json", ++self->n_bundles);
  char *bundle_path = g_build_filename (self->dir, file, NULL);
  /* The URL kiosks use; before the first start there is no port yet, so tests that enrol first
   * must start the server first. */
  const char *argv[] = { intake_binary (), "enrol-centre", "--data", self->data_dir,
                         "--name", name, "--url", self->url, "--out", bundle_path, NULL };

  g_assert_nonnull (self->url);
  run_intake (argv);
  return bundle_path;
}
