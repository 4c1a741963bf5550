# SPDX-License-Identifier: GPL-3.0-or-later
# hirckiosk.py: drives the real kiosk window through the accessibility tree, as a screen reader
# sees it, for the end-to-end UI tests. It must run inside the test's X server and session bus
# (see tests/meson.build), with Debian's /usr/bin/python3 for pyatspi.

import gettext
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pyatspi

# Roles a person can act on: every one must have a name and be at least 48x48.
ACTIONABLE_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_TOGGLE_BUTTON,
    pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_TEXT,
    pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_LINK,
    pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_COMBO_BOX,
}
TOGGLE_ROLES = {pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON}
TEXT_ROLES = {pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY}
MIN_TARGET = 48


class TestFailure(Exception):
    pass


def log(*args):
    print(*args, flush=True)


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def extents(acc):
    try:
        e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return (e.x, e.y, e.width, e.height)
    except Exception:
        # Objects without the Component interface (stack pages) have no place on screen.
        return None


def on_screen(acc):
    # GTK 4.8 marks the children of a stack's hidden pages "visible" but gives them no size.
    e = extents(acc)
    return e is None or (e[2] > 0 and e[3] > 0)


def walk(acc):
    """Every accessible under acc that is on screen, depth first, in the tree's order."""
    for child in acc:
        if child is None or not on_screen(child):
            continue
        yield child
        yield from walk(child)


def text_of(acc):
    try:
        t = acc.queryText()
    except NotImplementedError:
        return None
    # GTK 4.8 returns '' for getText(0, -1).
    return t.getText(0, t.characterCount)


def is_checked(acc):
    return acc.getState().contains(pyatspi.STATE_CHECKED)


def is_pressed(acc):
    """A toggle button's "on": GTK 4.8 shows toggle buttons as push buttons that are pressed."""
    state = acc.getState()
    return state.contains(pyatspi.STATE_PRESSED) or state.contains(pyatspi.STATE_CHECKED)


def text_language(acc):
    """The language its text is marked as being in (a Pango attribute), or None."""
    try:
        t = acc.queryText()
    except NotImplementedError:
        return None
    attributes, _, _ = t.getAttributeRun(0, False)
    for attribute in attributes:
        key, _, value = attribute.partition(':')
        if key == 'language':
            return value
    return None


# The languages the kiosk offers, in the chooser's order: (code, own name, right to left).
LANGUAGES = [
    ('en', 'English', False),
    ('en@easyread', 'Easy Read English', False),
    ('cy', 'Cymraeg', False),
    ('pl', 'Polski', False),
    ('ro', 'Română', False),
    ('pt', 'Português', False),
    ('es', 'Español', False),
    ('lt', 'Lietuvių', False),
    ('bg', 'Български', False),
    ('uk', 'Українська', False),
    ('ru', 'Русский', False),
    ('pa', 'ਪੰਜਾਬੀ', False),
    ('bn', 'বাংলা', False),
    ('gu', 'ગુજરાતી', False),
    ('so', 'Soomaali', False),
    ('ur', 'اردو', True),
    ('ar', 'العربية', True),
    ('fa', 'فارسی', True),
    ('ps', 'پښتو', True),
]


def catalogue(code):
    """The translation function of the built catalogue of language code, the one the kiosk
    reads ($HIRC_LOCALEDIR, the build tree's po/); English is the source and needs none. A
    catalogue that is not built yet is a TestFailure."""
    if code == 'en':
        return lambda text: text
    localedir = os.environ.get('HIRC_LOCALEDIR', '')
    path = os.path.join(localedir, code, 'LC_MESSAGES', 'hirc-kiosk.mo')
    if not os.path.exists(path):
        raise TestFailure('there is no catalogue for %s: %s is not built (is po/%s.po listed in '
                          'po/LINGUAS?)' % (code, path, code))
    with open(path, 'rb') as f:
        return gettext.GNUTranslations(f).gettext


def words_in(code):
    """Like catalogue(), for tests about something else: without a catalogue, the kiosk's
    words are English, and so are the ones returned."""
    try:
        return catalogue(code)
    except TestFailure:
        return catalogue('en')


# Pixels.

# What the kiosk takes a monitor that reports no size to be (hirc-kiosk-window.c).
FALLBACK_MM_PER_PX = 267.7 / 1080


def mm_per_pixel():
    """The height of a pixel on the test's screen, in mm, as GTK sees the monitor."""
    probe = ('import gi\n'
             'gi.require_version("Gtk", "4.0")\n'
             'from gi.repository import Gtk\n'
             'Gtk.init()\n'
             'from gi.repository import Gdk\n'
             'm = Gdk.Display.get_default().get_monitors().get_item(0)\n'
             'print(m.get_height_mm(), m.get_geometry().height)\n')
    out = subprocess.run(['/usr/bin/python3', '-c', probe], capture_output=True, text=True,
                         timeout=30)
    check(out.returncode == 0, 'cannot ask GTK about the monitor: %s' % out.stderr)
    height_mm, height_px = (int(v) for v in out.stdout.split())
    return height_mm / height_px if height_mm > 0 and height_px > 0 else FALLBACK_MM_PER_PX


class Shot:
    """The pixels of a screenshot."""

    def __init__(self, path):
        import gi
        gi.require_version('GdkPixbuf', '2.0')
        from gi.repository import GdkPixbuf
        pixbuf = GdkPixbuf.Pixbuf.new_from_file(path)
        self.width = pixbuf.get_width()
        self.height = pixbuf.get_height()
        self.channels = pixbuf.get_n_channels()
        self.stride = pixbuf.get_rowstride()
        self.data = pixbuf.get_pixels()

    def pixel(self, x, y):
        i = y * self.stride + x * self.channels
        return tuple(self.data[i:i + 3])

    def first_glyph_height(self, box):
        """The height in pixels of the first glyph of the text in box (x, y, width, height):
        the ink of the first run of columns with ink, a pixel counting as ink when it is
        nearer the text's colour than the background's (the box's top left corner)."""
        x0, y0, w, h = box
        x1, y1 = min(x0 + w, self.width), min(y0 + h, self.height)
        background = self.pixel(x0, y0)

        def distance(p):
            return sum(abs(a - b) for a, b in zip(p, background))
        strongest = max(distance(self.pixel(x, y)) for x in range(x0, x1) for y in range(y0, y1))
        check(strongest > 100, 'no text in the box %s' % (box,))

        def ink(x, y):
            return distance(self.pixel(x, y)) * 2 > strongest
        columns = [x for x in range(x0, x1) if any(ink(x, y) for y in range(y0, y1))]
        glyph = [columns[0]]
        for x in columns[1:]:
            if x != glyph[-1] + 1:
                break
            glyph.append(x)
        rows = [y for y in range(y0, y1) if any(ink(x, y) for x in glyph)]
        return rows[-1] - rows[0] + 1


_read_aloud_names = None


def read_aloud_names():
    """The Read aloud button's names ("Read aloud", and "Stop reading" while it reads) in every
    language whose catalogue is built."""
    global _read_aloud_names
    if _read_aloud_names is None:
        _read_aloud_names = set()
        for code, _name, _rtl in LANGUAGES:
            try:
                translate = catalogue(code)
            except TestFailure:
                continue
            _read_aloud_names.update((translate('Read aloud'), translate('Stop reading')))
    return _read_aloud_names


class Kiosk:
    """One kiosk (supervisor and sessions) in a fresh, provisioned state folder."""

    def __init__(self, name, provision=True, idle=None, size=(1920, 1080), env=None):
        self.name = name
        self.kiosk = os.environ['HIRC_KIOSK']
        self.helper = os.environ['HIRC_UI_HELPER']
        self.shots = os.environ.get('HIRC_SCREENSHOT_DIR')
        self.root = tempfile.mkdtemp(prefix='hirc-ui-%s-' % name)
        self.state_dir = os.path.join(self.root, 'state')
        self.home = os.path.join(self.root, 'home')
        self.seal_key = os.path.join(self.root, 'intake-seal.key')
        self.size = size
        self.extra_env = env or {}
        self.process = None
        self.log_path = os.path.join(self.root, 'kiosk.log')
        self.taps = 0
        self.typed = 0
        os.makedirs(self.home, mode=0o700)
        if provision:
            args = [self.helper, 'provision', self.state_dir, self.seal_key]
            if idle is not None:
                args += [str(idle[0]), str(idle[1])]
            subprocess.run(args, check=True, timeout=30)

    # The processes.

    def environment(self):
        env = dict(os.environ)
        # Everything the kiosk might write anywhere lands under root, where tests can search it.
        for key in ('HOME', 'TMPDIR', 'XDG_CACHE_HOME', 'XDG_STATE_HOME', 'XDG_DATA_HOME',
                    'XDG_CONFIG_HOME'):
            env[key] = self.home
        env['HIRC_TIMING'] = '1'
        env['LC_ALL'] = 'C.UTF-8'
        env.update(self.extra_env)
        # GTK warnings about the missing settings portal are not the kiosk's.
        env.pop('G_DEBUG', None)
        return env

    def launch(self):
        """Starts the kiosk (its supervisor) without waiting for its window."""
        self.log_file = open(self.log_path, 'w')
        args = [self.kiosk, '--state-dir', self.state_dir, '--windowed',
                '--window-size', '%dx%d' % self.size]
        self.process = subprocess.Popen(args, env=self.environment(), stdout=self.log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def start(self):
        self.launch()
        self.wait_for(lambda: self.heading() is not None, 30, 'the kiosk window to appear')

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # Nothing the kiosk started may outlive the test.
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if getattr(self, 'log_file', None):
            self.log_file.close()
            self.log_file = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log_text(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def timings(self, event):
        values = []
        for line in self.log_text().splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == 'hirc-timing:' and parts[1] == event:
                values.append(int(parts[2]))
        return values

    def app_pid(self):
        frame = self.app()
        return frame.get_process_id() if frame is not None else None

    def wait_new_session(self, old_pid, heading, timeout=30):
        """Waits until a session other than old_pid shows heading: the kiosk was reset."""
        self.wait_for(lambda: self.app_pid() not in (None, old_pid) and self.heading() == heading,
                      timeout, 'a new session showing "%s"' % heading)

    def session_pids(self):
        """The supervisor's children: the session on screen and the standby."""
        out = subprocess.run(['pgrep', '-P', str(self.process.pid)], capture_output=True,
                             text=True).stdout
        return [int(p) for p in out.split()]

    # The accessibility tree.

    def app(self):
        """The window on screen. The standby's is not; while one session hands over to the
        next, both are, and the newer one (the higher process id) is the one that counts."""
        found = None
        for app in pyatspi.Registry.getDesktop(0):
            if app is None or app.name != 'hirc-kiosk':
                continue
            for frame in app:
                if frame is not None and frame.getState().contains(pyatspi.STATE_SHOWING):
                    if found is None or frame.get_process_id() > found.get_process_id():
                        found = frame
        return found

    def wait_for(self, condition, timeout, what):
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = condition()
            except Exception:
                # The tree changes under our feet while pages are swapped.
                result = None
            if result:
                return result
            if time.monotonic() > deadline:
                raise TestFailure('timed out waiting for %s' % what)
            time.sleep(0.05)

    def all(self, predicate=lambda a: True):
        frame = self.app()
        if frame is None:
            return []
        return [a for a in walk(frame) if predicate(a)]

    def first(self, predicate):
        """The first accessible on screen, in the tree's order, for which predicate holds, or
        None. It stops walking there: each step of a walk is a round trip to the kiosk."""
        frame = self.app()
        if frame is None:
            return None
        return next((a for a in walk(frame) if predicate(a)), None)

    def headings(self):
        return [a.name for a in self.all(lambda a: a.getRole() == pyatspi.ROLE_HEADING)]

    def heading(self):
        """The page's main heading: the first heading on screen."""
        # "There is a problem", in whatever language, comes before the page heading when
        # errors are shown: it is the heading of the alert.
        found = self.first(lambda a: a.getRole() == pyatspi.ROLE_HEADING
                           and a.parent.getRole() != pyatspi.ROLE_ALERT)
        return found.name if found is not None else None

    def alert(self):
        """The error summary on screen (its name is its heading), or None."""
        return self.first(lambda a: a.getRole() == pyatspi.ROLE_ALERT)

    def describe(self):
        """What the tree shows now, for failure messages."""
        try:
            frame = self.app()
            if frame is None:
                return 'no kiosk window on screen'
            return 'session %d shows headings %s' % (frame.get_process_id(), self.headings())
        except Exception as e:
            return 'the tree cannot be read (%s)' % e

    def wait_heading(self, heading, timeout=15):
        try:
            return self.wait_for(lambda: self.heading() == heading, timeout,
                                 'the page "%s"' % heading)
        except TestFailure as e:
            raise TestFailure('%s; %s' % (e, self.describe()))

    def find(self, role, name, timeout=10):
        return self.wait_for(lambda: self.first(lambda a: a.getRole() == role
                                                and a.name == name),
                             timeout, '%s "%s"' % (pyatspi.Role(role), name))

    def find_all(self, role):
        return self.all(lambda a: a.getRole() == role)

    # Acting as a reporter.

    def tap(self, acc):
        self.taps += 1
        acc.queryAction().doAction(0)

    def press(self, name, timeout=10):
        self.tap(self.find(pyatspi.ROLE_PUSH_BUTTON, name, timeout))

    def group(self, name, timeout=10):
        """The question (a group of choices) named name."""
        return self.wait_for(lambda: self.first(lambda a: a.name == name and a.getRole() not in
                                                (pyatspi.ROLE_LABEL, pyatspi.ROLE_HEADING)),
                             timeout, 'the question "%s"' % name)

    def choose(self, name, group=None, timeout=10):
        """Taps a radio button or a check box by its label (within the question named group,
        when several questions offer the same answer), and waits until it has toggled."""
        def look():
            root = self.group(group) if group is not None else self.app()
            for a in walk(root):
                if a.getRole() in TOGGLE_ROLES and a.name == name:
                    return a
            return None
        acc = self.wait_for(look, timeout, 'the choice "%s"' % name)
        was = is_checked(acc)
        self.tap(acc)
        self.wait_for(lambda: is_checked(acc) != was, 5, '"%s" to toggle' % name)

    def text_field(self, name, timeout=10):
        return self.wait_for(lambda: self.first(lambda a: a.getRole() in TEXT_ROLES
                                                and a.name == name),
                             timeout, 'the text field "%s"' % name)

    def type_into(self, name, text):
        acc = self.text_field(name)
        self.typed += 1
        acc.queryEditableText().setTextContents(text)
        self.wait_for(lambda: text_of(acc) == text, 5, 'the text to arrive in "%s"' % name)

    def next_page(self, heading, button='Continue'):
        before = self.heading()
        self.press(button)
        try:
            self.wait_for(lambda: self.heading() not in (None, before), 15,
                          'a new page after "%s"' % before)
        except TestFailure as e:
            raise TestFailure('%s; %s' % (e, self.describe()))
        if heading is not None:
            self.wait_heading(heading)

    # What the reporter sees.

    def checked(self):
        return [a.name for a in self.all(lambda a: a.getRole() in TOGGLE_ROLES and is_checked(a))]

    def texts(self):
        return {a.name: text_of(a) for a in self.all(lambda a: a.getRole() in TEXT_ROLES)}

    def assert_page_empty(self):
        checked = self.checked()
        check(not checked, 'page "%s" arrived with answers chosen: %s' % (self.heading(), checked))
        filled = {k: v for k, v in self.texts().items() if v}
        check(not filled, 'page "%s" arrived with text filled in: %s' % (self.heading(), filled))

    def audit(self):
        """Every control a person can act on has a role, a non-empty name and a 48x48 target."""
        problems = []
        count = 0
        for a in self.all(lambda a: a.getRole() in ACTIONABLE_ROLES):
            count += 1
            e = extents(a)
            label = '%s "%s"' % (a.getRoleName(), a.name)
            if not a.name or not a.name.strip():
                problems.append('%s at %s has no name' % (a.getRoleName(), e))
            if e is None:
                problems.append('%s has no extents' % label)
            elif e[2] < MIN_TARGET or e[3] < MIN_TARGET:
                problems.append('%s is %dx%d, smaller than %dx%d' % (label, e[2], e[3],
                                                                     MIN_TARGET, MIN_TARGET))
        check(count > 0, 'page "%s" has nothing to act on' % self.heading())
        check(not problems, 'page "%s": %s' % (self.heading(), '; '.join(problems)))
        # Every page can be read aloud, from one button (its size is checked above).
        names = read_aloud_names()
        reading = self.all(lambda a: a.getRole() == pyatspi.ROLE_PUSH_BUTTON and a.name in names)
        check(len(reading) == 1, 'page "%s" has %d Read aloud buttons, not one'
              % (self.heading(), len(reading)))
        return count

    def screenshot(self, name):
        if not self.shots:
            return None
        os.makedirs(self.shots, exist_ok=True)
        path = os.path.join(self.shots, '%s.png' % name)
        # Let the last frame land before the X server is read.
        time.sleep(0.3)
        subprocess.run(['import', '-window', 'root', path], check=True, timeout=30)
        return path

    # The screen's settings.

    def toggle(self, name, timeout=10):
        """A toggle button of the window (language, text size, contrast) by its name."""
        return self.find(pyatspi.ROLE_PUSH_BUTTON, name, timeout)

    def focused(self):
        return self.first(lambda a: a.getState().contains(pyatspi.STATE_FOCUSED))

    def tab_order(self, presses):
        """What Tab focuses, press after press (a synthetic key through the X server), each
        control once, in the order first reached, starting with the one focused already."""
        focused = self.focused()
        order = [focused] if focused is not None else []
        for _ in range(presses):
            before = self.focused()
            pyatspi.Registry.generateKeyboardEvent(0xff09, None, pyatspi.KEY_SYM)  # Tab
            now = self.wait_for(lambda: (lambda f: f if f is not None and f != before else None)
                                (self.focused()), 5, 'Tab to move the focus')
            if now not in order:
                order.append(now)
        return order

    def answer_the_rest_minimally(self, description):
        """From "When did it happen?" (the page after "Why") to the equality questions, skipped:
        an area, the reporter's own words and staying anonymous, nothing else."""
        self.next_page('When did it happen? (optional)')
        self.next_page('More about when it happened')
        self.next_page('Which area did it happen in? (optional)')
        self.choose('Kingsford City')
        self.next_page('What kind of place was it? (optional)')
        self.next_page('Did it happen online or in person? (optional)')
        self.next_page('Tell us what happened, in your own words')
        self.type_into('Tell us what happened, in your own words', description)
        self.next_page('About the people who did it')
        self.next_page('Was anyone hurt? (optional)')
        self.next_page('Evidence and witnesses')
        self.next_page('Have you reported this before? (optional)')
        self.next_page('Can we contact you about your report? (optional)')
        self.choose('No, I want to stay anonymous')
        self.next_page('How should we communicate with you?')
        self.next_page('What can we do with your report?')
        self.next_page('Equality questions (optional)')
        self.choose('Skip these questions')

    def leave(self, heading='Tell us about a hate incident', _=lambda text: text):
        """Leave now (named in the language on screen), then waits for the next session."""
        old = self.app_pid()
        self.press(_('Leave now'))
        self.wait_new_session(old, heading)

    def switch_language(self, name, _=lambda text: text):
        """Opens "Language" in the top bar (named in the language on screen, whose catalogue's
        translation function is _) and chooses the language called name there."""
        self.press(_('Language'))
        self.wait_heading(_('Choose your language'))
        self.tap(self.toggle(name))

    # What was saved.

    def outbox(self):
        out = subprocess.run([self.helper, 'open-outbox', self.state_dir, self.seal_key],
                             capture_output=True, text=True, timeout=30)
        check(out.returncode == 0, 'cannot open the outbox: %s' % out.stderr)
        return json.loads(out.stdout)


def run(test):
    """Runs test(kiosk-factory) with a time limit, cleaning up every kiosk it made."""
    made = []

    def factory(*args, kind=Kiosk, **kwargs):
        k = kind(*args, **kwargs)
        made.append(k)
        return k

    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(TestFailure('time limit')))
    # A guard against a hung test, not a speed check: loaded machines and ASan builds are slow.
    signal.alarm(int(os.environ.get('HIRC_UI_TEST_LIMIT', '540')))
    status = 0
    try:
        test(factory)
        log('PASS')
    except Exception as e:
        status = 1
        log('FAIL: %s: %s' % (type(e).__name__, e))
        for k in made:
            log('--- kiosk log (%s) ---' % k.name)
            try:
                log(k.log_text())
            except OSError:
                pass
        import traceback
        traceback.print_exc()
    finally:
        signal.alarm(0)
        for k in made:
            k.cleanup()
    sys.exit(status)
