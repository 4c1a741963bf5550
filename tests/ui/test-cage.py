# SPDX-License-Identifier: GPL-3.0-or-later
# test-cage.py: the kiosk as it is deployed: fullscreen under the cage Wayland kiosk compositor,
# with no X server, as an unprivileged user. cage runs headless here (WLR_BACKENDS=headless). The
# test checks through the accessibility tree that the start page is shown and fills the screen,
# takes a screenshot with grim, and checks that the picture is the page, not an empty screen.
# Started as root (as in CI), it runs itself again as the user "nobody", since cage refuses to run
# as root and a kiosk never runs as root either.

import glob
import os
import shutil
import subprocess
import sys
import tempfile

import hirckiosk as hk

START = 'Tell us about a hate incident'
UNPRIVILEGED = 'nobody'
# cage's headless output is this big unless told otherwise.
HEADLESS_SIZE = (1280, 720)


def stage_for():
    """Copies what the test runs into a folder anyone can read: the build tree may sit where
    only root can reach it. The programs are self-contained (their resources are compiled in)."""
    stage = tempfile.mkdtemp(prefix='hirc-cage-stage-')
    os.chmod(stage, 0o755)
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ)
    for name, key in (('hirc-kiosk', 'HIRC_KIOSK'), ('hirc-ui-helper', 'HIRC_UI_HELPER')):
        env[key] = os.path.join(stage, name)
        shutil.copy2(os.environ[key], env[key])
    for script in ('hirckiosk.py', os.path.basename(__file__)):
        shutil.copy2(os.path.join(here, script), stage)
    env['PYTHONPATH'] = stage
    if os.environ.get('HIRC_LOCALEDIR'):
        env['HIRC_LOCALEDIR'] = os.path.join(stage, 'locale')
        shutil.copytree(os.environ['HIRC_LOCALEDIR'], env['HIRC_LOCALEDIR'],
                        ignore=lambda folder, names: [n for n in names if n.endswith('.p')])
    options = env.get('LSAN_OPTIONS', '')
    if 'suppressions=' in options:
        suppressions = options.split('suppressions=', 1)[1].split(':', 1)[0]
        shutil.copy2(suppressions, os.path.join(stage, 'lsan.supp'))
        env['LSAN_OPTIONS'] = options.replace(suppressions, os.path.join(stage, 'lsan.supp'))
    for folder, dirs, files in os.walk(stage):
        for name in dirs + files:
            path = os.path.join(folder, name)
            os.chmod(path, os.stat(path).st_mode | 0o055)
    return stage, env


def as_unprivileged_user():
    """Runs this test again as nobody, in a session bus of its own, and copies the screenshot it
    took to where the test log wants it."""
    import pwd
    user = pwd.getpwnam(UNPRIVILEGED)
    stage, env = stage_for()
    shots = os.path.join(stage, 'screenshots')
    os.makedirs(shots)
    os.chown(shots, user.pw_uid, user.pw_gid)
    env['HIRC_SCREENSHOT_DIR'] = shots
    env['HOME'] = shots
    env.pop('DBUS_SESSION_BUS_ADDRESS', None)
    env.pop('XDG_RUNTIME_DIR', None)
    try:
        status = subprocess.run(['setpriv', '--reuid=%d' % user.pw_uid,
                                 '--regid=%d' % user.pw_gid, '--clear-groups', '--',
                                 'dbus-run-session', '--', sys.executable,
                                 os.path.join(stage, os.path.basename(__file__))],
                                env=env, cwd='/', timeout=600).returncode
        target = os.environ.get('HIRC_SCREENSHOT_DIR')
        if target:
            os.makedirs(target, exist_ok=True)
            for shot in glob.glob(os.path.join(shots, '*.png')):
                shutil.copy(shot, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return status


class CageKiosk(hk.Kiosk):
    """The kiosk started as its systemd unit starts it: under cage, fullscreen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Owned by this user, mode 0700, as cage and Wayland clients insist.
        self.runtime = os.path.join(self.root, 'runtime')
        os.makedirs(self.runtime, mode=0o700)

    def environment(self):
        env = super().environment()
        env.pop('DISPLAY', None)
        env.update({'XDG_RUNTIME_DIR': self.runtime, 'WLR_BACKENDS': 'headless',
                    'WLR_RENDERER': 'pixman', 'WLR_LIBINPUT_NO_DEVICES': '1',
                    'GDK_BACKEND': 'wayland'})
        return env

    def launch(self):
        self.log_file = open(self.log_path, 'w')
        # Turned upside down (-r twice): a window exactly the output's size is otherwise
        # scanned out directly, and wlroots 0.15's screen copy of the headless output then
        # reads back black. A turned output is always composited, so grim sees what is shown.
        self.process = subprocess.Popen(['cage', '-d', '-r', '-r', '--', self.kiosk,
                                         '--state-dir', self.state_dir],
                                        env=self.environment(), stdout=self.log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def grim(self, name):
        sockets = [p for p in glob.glob(os.path.join(self.runtime, 'wayland-*'))
                   if not p.endswith('.lock')]
        hk.check(len(sockets) == 1, 'cage made the Wayland sockets %s' % sockets)
        path = os.path.join(self.shots or self.root, '%s.png' % name)
        env = dict(os.environ, XDG_RUNTIME_DIR=self.runtime,
                   WAYLAND_DISPLAY=os.path.basename(sockets[0]))
        out = subprocess.run(['grim', path], env=env, capture_output=True, text=True,
                             timeout=30)
        hk.check(out.returncode == 0, 'grim could not take a screenshot: %s' % out.stderr)
        return path


def test(make):
    hk.check(os.geteuid() != 0, 'the kiosk must not be tested as root')
    k = make('cage', kind=CageKiosk)
    k.start()
    k.wait_heading(START)
    k.audit()

    # Fullscreen: the window is the whole output.
    frame = k.app()
    width, height = hk.extents(frame)[2:]
    hk.check((width, height) == HEADLESS_SIZE,
             'the window is %dx%d on a %dx%d screen' % ((width, height) + HEADLESS_SIZE))

    # Nothing a reporter may need is off the side of the screen (the page scrolls down, never
    # sideways), and "Leave now" is on it whole.
    for control in k.all(lambda a: a.getRole() in hk.ACTIONABLE_ROLES):
        x, y, w, h = hk.extents(control)
        hk.check(x >= 0 and x + w <= width, '%s "%s" at %s is off the side of the %dx%d screen'
                 % (control.getRoleName(), control.name, (x, y, w, h), width, height))
    x, y, w, h = hk.extents(k.find(hk.pyatspi.ROLE_PUSH_BUTTON, 'Leave now'))
    hk.check(y >= 0 and y + h <= height, '"Leave now" is off the screen at y %d' % y)

    path = k.grim('cage-start-page')
    shot = hk.Shot(path)
    hk.check((shot.width, shot.height) == HEADLESS_SIZE,
             'the screenshot is %dx%d' % (shot.width, shot.height))
    colours = {shot.pixel(x, y) for x in range(0, shot.width, 8) for y in range(0, shot.height, 8)}
    hk.check(len(colours) > 20, 'the screen shows only %d colours: not the start page'
             % len(colours))
    # The page's calm background, not black where nothing was drawn.
    corner = shot.pixel(shot.width // 2, shot.height - 4)
    hk.check(sum(corner) > 3 * 160, 'the bottom of the screen is dark: %s' % (corner,))

    # And it works there: a reporter can begin.
    k.next_page('Who is making this report?', 'Report a hate incident')
    k.grim('cage-first-question')


if __name__ == '__main__':
    if os.geteuid() == 0:
        sys.exit(as_unprivileged_user())
    hk.run(test)
