# SPDX-License-Identifier: GPL-3.0-or-later
# test-read-aloud-idle.py: "Are you still there?" can be read aloud too, its countdown and its
# button included; "I need more time" stops the reading, and so does the wipe when nobody
# answers: a new session starts in silence. Through the accessibility tree, with the pretend
# sound card of hircspeech.py playing slowly enough to outlast the countdown.

import re

import hirckiosk as hk
from hircspeech import SoundCard, gone, start_reading, stopped, utterances

START = 'Tell us about a hate incident'
ROLE_PAGE = 'Who is making this report?'
WARNING = 'Are you still there?'
IDLE = 5
COUNTDOWN = 30


def test(make):
    k = make('read-aloud-idle', idle=(IDLE, COUNTDOWN))
    card = SoundCard(k, 2)
    k.start()
    k.next_page(ROLE_PAGE, 'Report a hate incident')
    k.choose('I saw it happen')

    k.wait_heading(WARNING, timeout=IDLE + 15)
    k.audit()
    device, pid, words = start_reading(k, card, 1, WARNING)
    said = utterances(words)
    hk.check('I need more time' in said, 'the warning\'s button was not read: %r' % said)
    hk.check(any(re.search(r'cleared in \d+ seconds', u) for u in said),
             'the countdown was not read: %r' % said)
    k.screenshot('read-aloud-idle-warning')
    k.press('I need more time')
    k.wait_heading(ROLE_PAGE)
    stopped(k, pid, '"I need more time"')

    k.wait_heading(WARNING, timeout=IDLE + 15)
    device, pid, words = start_reading(k, card, 2, WARNING)
    old = k.app_pid()
    k.wait_new_session(old, START, timeout=COUNTDOWN + 20)
    k.wait_for(lambda: gone(pid), 5, 'the speech to stop after the idle wipe')
    hk.log('ok - the idle wipe stopped the reading')


hk.run(test)
