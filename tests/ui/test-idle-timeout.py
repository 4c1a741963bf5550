# SPDX-License-Identifier: GPL-3.0-or-later
# test-idle-timeout.py: with the idle timeout shortened by configuration (5 s, then a 20 s
# countdown), "Are you still there?" covers the page, "I need more time" brings the page back
# with its answers, and at zero the kiosk returns to the start page in a new session with
# every field empty, checked through the accessibility tree.

import time

import pyatspi

import hirckiosk as hk

START = 'Tell us about a hate incident'
WARNING = 'Are you still there?'
IDLE = 5
COUNTDOWN = 20


def test(make):
    k = make('idle', idle=(IDLE, COUNTDOWN))
    k.start()

    # Nothing to protect on the start page: no warning, and no clock running.
    time.sleep(IDLE + 2)
    hk.check(k.heading() == START, 'the start page changed while idle: %s' % k.describe())

    k.next_page('Who is making this report?', 'Report a hate incident')
    k.choose('I saw it happen')
    k.next_page('What happened?')
    k.choose('Graffiti')
    shown = time.monotonic()
    k.wait_heading(WARNING, timeout=IDLE + 10)
    waited = time.monotonic() - shown
    hk.check(waited >= IDLE - 1, 'the warning came after %.1f s, before the timeout' % waited)
    # The warning hides the answers from anyone walking past.
    hk.check(not [a for a in k.all(lambda a: a.name == 'Graffiti')],
             'the answers are still on screen under the warning')
    countdown = [hk.text_of(a) for a in k.find_all(pyatspi.ROLE_LABEL)
                 if 'will be cleared in' in (hk.text_of(a) or '')]
    hk.check(countdown, 'the warning shows no countdown')
    k.audit()
    k.screenshot('idle-warning')

    k.press('I need more time')
    k.wait_heading('What happened?')
    hk.check('Graffiti' in k.checked(), 'the answer was lost after "I need more time"')

    old = k.app_pid()
    k.wait_heading(WARNING, timeout=IDLE + 10)
    k.wait_new_session(old, START, timeout=COUNTDOWN + 15)
    k.wait_for(lambda: old not in k.session_pids(), 30, 'the session that held the report to end')

    k.next_page('Who is making this report?', 'Report a hate incident')
    k.assert_page_empty()
    k.choose('I saw it happen')
    k.next_page('What happened?')
    k.assert_page_empty()


hk.run(test)
