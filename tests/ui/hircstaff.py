# SPDX-License-Identifier: GPL-3.0-or-later
# hircstaff.py: what the staff UI tests share: kiosk settings for staff, PIN sign-in on the
# number pad, reading the dashboard and the audit log, and a real reference intake on
# 127.0.0.1 (hirc-intake) with a certificate from a CA the test makes, so that the same CA can
# sign a second server key whose pin does not match.

import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import time

import pyatspi

import hirckiosk as hk

STAFF_MESSAGES = re.compile(r'^(Wrong PIN|Too many wrong PINs|You can try again|No staff PINs)')


def configure(k, **settings):
    """Adds a [staff] group to the kiosk's configuration, e.g. first_delay_seconds=8."""
    path = os.path.join(k.state_dir, 'kiosk.conf')
    with open(path, 'a') as f:
        f.write('\n[staff]\n')
        for key, value in settings.items():
            f.write('%s=%s\n' % (key, value))


def set_admin_pin(k, pin):
    out = subprocess.run([k.kiosk, '--state-dir', k.state_dir, '--set-admin-pin'],
                         input=pin + '\n', capture_output=True, text=True, timeout=60)
    hk.check(out.returncode == 0, 'cannot set the administrator PIN: %s' % out.stderr)


def audit_events(k, event=None):
    """The audit log's (actor, event, detail), oldest first."""
    path = os.path.join(k.state_dir, 'audit.db')
    if not os.path.exists(path):
        return []
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True, timeout=5)
    try:
        rows = db.execute('SELECT actor, event, detail FROM audit ORDER BY id').fetchall()
    finally:
        db.close()
    return [r for r in rows if event is None or r[1] == event]


def labels(k):
    return [hk.text_of(a) or '' for a in k.find_all(pyatspi.ROLE_LABEL)]


def staff_message(k):
    """The sign-in page's message (a wrong PIN, the wait), or None."""
    for text in labels(k):
        if STAFF_MESSAGES.match(text):
            return text
    return None


class Pad:
    """The number pad on screen, its keys and its dots found once: walking the whole tree for
    every digit would take longer than a person takes to type."""

    def __init__(self, k):
        self.k = k
        self.keys = {}
        self.dots = None
        for a in k.all(lambda a: a.getRole() in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_LABEL)):
            if a.getRole() == pyatspi.ROLE_PUSH_BUTTON and (a.name.isdigit() or
                                                            a.name == 'Delete'):
                self.keys[a.name] = a
            elif a.getRole() == pyatspi.ROLE_LABEL and a.name.startswith('PIN:'):
                self.dots = a
        hk.check(len(self.keys) == 11 and self.dots is not None,
                 'no number pad on screen: keys %s' % sorted(self.keys))

    def count(self):
        return (hk.text_of(self.dots) or '').count('●')

    def press(self, key, change):
        """Presses one key and waits for it: a button pressed again before GTK has handled its
        last press (about 250 ms) ignores the second one."""
        expected = self.count() + change
        self.k.tap(self.keys[key])
        self.k.wait_for(lambda: self.count() == expected, 10,
                        'the PIN to show %d dots after %s' % (expected, key))

    def enter(self, pin):
        for digit in pin:
            self.press(digit, 1)

    def delete(self):
        self.press('Delete', -1)


def dots(k):
    return Pad(k).count()


def enter_pin(k, pin):
    Pad(k).enter(pin)


def is_sensitive(acc):
    return acc.getState().contains(pyatspi.STATE_SENSITIVE)


def sign_in(k, pin, heading):
    """From the start page: Staff, the PIN, Sign in, and the page that follows."""
    k.next_page('Staff sign-in', 'Staff')
    enter_pin(k, pin)
    k.next_page(heading, 'Sign in')


def value_after(k, caption):
    """The dashboard's value for caption: the label that follows the caption's."""
    found = False
    for a in k.all(lambda a: a.getRole() == pyatspi.ROLE_LABEL):
        text = hk.text_of(a)
        if found:
            return text
        found = text == caption
    return None


def wait_value(k, caption, expected, timeout=30):
    try:
        return k.wait_for(lambda: value_after(k, caption) == expected, timeout,
                          '"%s" to show %s' % (caption, expected))
    except hk.TestFailure as e:
        raise hk.TestFailure('%s; it shows %r' % (e, value_after(k, caption)))


def free_port():
    """A free port below the kernel's ephemeral range, so that no other program's outgoing
    connection can take it while the intake is stopped and the intake can have it back."""
    for _ in range(200):
        port = random.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    raise hk.TestFailure('no free port for the intake')


def openssl(*args, cwd):
    subprocess.run(['openssl'] + list(args), cwd=cwd, check=True, capture_output=True,
                   timeout=60)


class Intake:
    """The reference intake on 127.0.0.1, with its own CA, which it can be made to present a
    different key from (a wrong pin) without changing anything else."""

    def __init__(self, root):
        self.program = os.environ['HIRC_INTAKE']
        self.data = os.path.join(root, 'intake')
        self.secrets = os.path.join(root, 'workstation')
        self.port = free_port()
        self.url = 'https://127.0.0.1:%d' % self.port
        self.process = None
        self.log_path = os.path.join(root, 'intake.log')
        os.makedirs(self.data, mode=0o700)
        os.makedirs(self.secrets, mode=0o700)
        subprocess.run([self.program, 'keygen', '--out', self.data], check=True,
                       capture_output=True, timeout=60)
        # As in a real partnership, the key that opens reports is not on the server.
        self.seal_secret = os.path.join(self.secrets, 'seal.secret')
        os.replace(os.path.join(self.data, 'seal.secret'), self.seal_secret)
        openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                '-days', '30', '-nodes', '-subj', '/CN=HIRC test CA',
                '-addext', 'basicConstraints=critical,CA:TRUE',
                '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
                '-keyout', 'ca.key', '-out', 'ca.crt', cwd=self.secrets)
        subprocess.run(['cp', os.path.join(self.secrets, 'ca.crt'), self.data], check=True)
        self.make_certificate('tls')

    def make_certificate(self, name):
        """A new key and certificate for 127.0.0.1 from the test's CA, written as
        name.crt / name.key in the intake's data folder."""
        ext = os.path.join(self.secrets, 'leaf.ext')
        with open(ext, 'w') as f:
            f.write('subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n'
                    'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n')
        openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
                '-subj', '/CN=127.0.0.1', '-keyout', os.path.join(self.data, name + '.key'),
                '-out', 'leaf.csr', cwd=self.secrets)
        openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key',
                '-CAcreateserial', '-days', '30', '-extfile', ext,
                '-out', os.path.join(self.data, name + '.crt'), cwd=self.secrets)
        os.chmod(os.path.join(self.data, name + '.key'), 0o600)

    def present_other_key(self):
        """From now on the intake presents another key from the same CA: its certificate is
        still trusted, but no longer matches the pin the kiosk was provisioned with."""
        self.make_certificate('other')
        for ext in ('crt', 'key'):
            os.replace(os.path.join(self.data, 'other.' + ext),
                       os.path.join(self.data, 'tls.' + ext))

    def start(self, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            log = open(self.log_path, 'a')
            offset = log.tell()
            self.process = subprocess.Popen([self.program, 'serve', '--data', self.data,
                                             '--listen', '127.0.0.1:%d' % self.port],
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
            log.close()
            while time.monotonic() < deadline and self.process.poll() is None:
                if 'listening on' in self.log(offset):
                    return
                time.sleep(0.1)
            # The port may still be held by connections of the last run: only then try again.
            if (self.process.poll() is None or time.monotonic() >= deadline
                    or 'could not listen' not in self.log(offset)):
                raise hk.TestFailure('the intake did not start: %s' % self.log(offset))
            time.sleep(0.5)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log(self, offset=0):
        with open(self.log_path, errors='replace') as f:
            f.seek(offset)
            return f.read()

    def enrol(self, name='Kingsford Central Library'):
        bundle = os.path.join(self.secrets, 'bundle.json')
        subprocess.run([self.program, 'enrol-centre', '--data', self.data, '--name', name,
                        '--url', self.url, '--out', bundle], check=True, capture_output=True,
                       timeout=60)
        return bundle

    def export(self):
        out = subprocess.run([self.program, 'export', '--data', self.data, '--secret-key',
                              self.seal_secret, '--format', 'json'], capture_output=True,
                             text=True, timeout=60)
        hk.check(out.returncode == 0, 'cannot export from the intake: %s' % out.stderr)
        return json.loads(out.stdout)


def provision(k, intake):
    """Provisions the kiosk k against intake, as an operator would, and lets k.outbox() open
    its envelopes with the intake's key."""
    bundle = intake.enrol()
    out = subprocess.run([k.kiosk, '--state-dir', k.state_dir, '--provision', bundle],
                         capture_output=True, text=True, timeout=60, env=k.environment())
    hk.check(out.returncode == 0, 'provisioning failed: %s %s' % (out.stdout, out.stderr))
    k.seal_key = intake.seal_secret


class Sync:
    """The sync service for a kiosk, with short backoffs so that tests need not wait."""

    def __init__(self, k):
        self.k = k
        self.log_path = os.path.join(k.root, 'sync.log')
        self.process = None

    def start(self):
        env = self.k.environment()
        env['HIRC_SYNC_BACKOFF_CAP'] = '3'
        env['HIRC_SYNC_CONNECT_TIMEOUT'] = '5'
        log = open(self.log_path, 'a')
        self.process = subprocess.Popen([os.environ['HIRC_SYNC'], '--state-dir',
                                         self.k.state_dir], env=env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        socket_ready = lambda: self.status() is not None
        self.k.wait_for(socket_ready, 30, 'the sync service to answer')

    def status(self):
        out = subprocess.run([self.k.kiosk, '--state-dir', self.k.state_dir, '--status',
                              '--json'], capture_output=True, text=True, timeout=60,
                             env=self.k.environment())
        try:
            status = json.loads(out.stdout)
        except ValueError:
            return None
        return status if status.get('sync', {}).get('running') else None

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()
