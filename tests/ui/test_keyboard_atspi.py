#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test_keyboard_atspi.py: types into a field through the on-screen keyboard's keys over AT-SPI,
# as a screen reader or switch-access user would, then screenshots every layout.
"""Drive tests/keyboard-demo through the accessibility tree.

For a Latin (Polish), a Cyrillic (Ukrainian) and an Arabic-script (Urdu) layout, a short
phrase is typed using only the keyboard's own buttons, found by their accessible names, and
the field's text is read back. Then every layout's pages are photographed into
$HIRC_SCREENSHOT_DIR for a person to look at.

Run under Xvfb with a session bus, Xvfb first, for example:
    tests/xvfb-session 1280x800 /usr/bin/python3 tests/ui/test_keyboard_atspi.py
with HIRC_KEYBOARD_DEMO set to the demo program.
"""

import os
import subprocess
import sys
import time

import pyatspi

DEMO = os.environ["HIRC_KEYBOARD_DEMO"]
SHOTS = os.environ.get("HIRC_SCREENSHOT_DIR", os.getcwd())
TIMEOUT = 20

# (layout, field, keys pressed, text expected). The phrases are what a reporter might write.
CASES = [
    ("pl", "Your name",
     "Shift P o b i ł Space m n i e Space m ę ż c z y z n a".split(),
     "Pobił mnie mężczyzna"),
    ("uk", "What happened",
     "Shift Ї х Space б у л о Space т р о є Enter в ч о р а".split(),
     "Їх було троє\nвчора"),
    ("ur", "Your name",
     "م ج ھ ے Space د ھ م ک ی Space د ی Space گ Shift ئ ی".split(),
     "مجھے دھمکی دی گئی"),
]

# Layouts whose Shift shows a second page of letters rather than capitals.
SHIFT_PAGES = ["ur", "ar", "fa", "ps", "bn", "pa", "gu"]
ALL_LAYOUTS = ["en", "cy", "pl", "ro", "pt", "es", "lt", "bg", "uk", "ru",
               "pa", "bn", "gu", "so", "ur", "ar", "fa", "ps"]


def wait_for(what, probe):
    """Polls probe() until it returns something true, for at most TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def find_app(process):
    def probe():
        if process.poll() is not None:
            raise AssertionError("the demo exited with status %d" % process.returncode)
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.name == "keyboard-demo":
                return app
        return None
    return wait_for("the demo on the accessibility bus", probe)


def find_named(app, name):
    return wait_for(repr(name), lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.name == name))


def keys_of(keyboard):
    """The keys shown now, by name. (GTK 4.8 marks widgets "visible" but not "showing".)"""
    keys = {}
    for i in range(keyboard.childCount):
        key = keyboard.getChildAtIndex(i)
        if (key is not None and key.getRole() == pyatspi.ROLE_PUSH_BUTTON
                and key.getState().contains(pyatspi.STATE_VISIBLE)):
            keys.setdefault(key.name, key)
    return keys


def field_text(field):
    text = field.queryText()
    # GTK 4.8 answers getText(0, -1) with "": ask for the characters there are.
    return text.getText(0, text.characterCount)


def press(keyboard, field, name):
    key = wait_for("a key named %r" % name, lambda: keys_of(keyboard).get(name))
    before = field_text(field)
    action = key.queryAction()
    assert action.getName(0) == "click", action.getName(0)
    action.doAction(0)
    if name != "Shift":
        # GTK fires "clicked" about 250 ms after an activation: wait for the text to change.
        wait_for("%r to type" % name, lambda: field_text(field) != before)


def screenshot(name):
    path = os.path.join(SHOTS, "keyboard-%s.png" % name)
    subprocess.run(["import", "-window", "root", path], check=True)
    print("# screenshot", path)
    return path


class Demo:
    def __init__(self, layout, field):
        env = dict(os.environ, GSETTINGS_BACKEND="memory")
        env.pop("GTK_A11Y", None)
        self.process = subprocess.Popen([DEMO, layout, field], env=env)

    def __enter__(self):
        self.app = find_app(self.process)
        self.keyboard = find_named(self.app, "On-screen keyboard")
        # The keyboard opens on the focused field; its keys show once it is on screen.
        wait_for("the keyboard to show", lambda: "Space" in keys_of(self.keyboard))
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=TIMEOUT)
        # The registry drops the app a moment later; the next demo must not find this one.
        wait_for("the demo to leave the bus", lambda: not any(
            app is not None and app.name == "keyboard-demo"
            for app in pyatspi.Registry.getDesktop(0)))


def type_phrase(layout, field_name, keys, expected):
    field_arg = "text" if field_name == "What happened" else "entry"
    with Demo(layout, field_arg) as demo:
        field = wait_for("the field", lambda: pyatspi.findDescendant(
            demo.app, lambda a: a is not None and a.name == field_name
            and a.getRole() in (pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT)))
        for name in keys:
            press(demo.keyboard, field, name)
        typed = field_text(field)
        assert typed == expected, "%s: typed %r, expected %r" % (layout, typed, expected)
        print("ok - %s: typed %r with the on-screen keyboard only" % (layout, typed))
        # The text is in the field before the frame that draws it.
        time.sleep(0.5)
        screenshot("typed-" + layout)


def turn_page(keyboard, name):
    """Presses a key that changes the keys shown and waits until they have changed and been
    drawn."""
    before = set(keys_of(keyboard))
    keys_of(keyboard)[name].queryAction().doAction(0)
    wait_for("the page after %r" % name, lambda: set(keys_of(keyboard)) != before)
    time.sleep(0.3)


def photograph_layout(layout):
    with Demo(layout, "entry") as demo:
        keyboard = demo.keyboard
        time.sleep(0.3)
        screenshot(layout)
        if layout in SHIFT_PAGES:
            turn_page(keyboard, "Shift")
            screenshot(layout + "-shift")
        if layout in ("ur", "bn", "uk"):
            turn_page(keyboard, "Numbers and symbols")
            screenshot(layout + "-symbols")
        if layout == "en":
            turn_page(keyboard, "Switch keyboard layout")
            screenshot("layouts")


def main():
    os.makedirs(SHOTS, exist_ok=True)
    for case in CASES:
        type_phrase(*case)
    for layout in ALL_LAYOUTS:
        photograph_layout(layout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
