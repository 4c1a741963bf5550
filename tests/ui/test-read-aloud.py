# SPDX-License-Identifier: GPL-3.0-or-later
# test-read-aloud.py: the Read aloud button in the real kiosk window, through the accessibility
# tree. Pressed, it reads the page (heading, question, choices, errors) and its name becomes
# "Stop reading"; pressing it again stops, and again reads from the start; choosing an answer,
# going to another page and "Leave now" each stop it (the idle warning is read, and stopped, in
# test-read-aloud-idle.py). What a reporter typed is never said on the loudspeaker: without
# "Use headphones" the page says so, and with it everything goes to the headphones' device. In
# Somali and Pashto, which have no voice, the button is greyed with the reason beside it as
# text.
#
# espeak-ng is real and speaks into ALSA's null device; see hircspeech.py for the pretend sound
# card in front of it that makes the speech last as long as it would aloud.

import os
import time

import pyatspi

import hirckiosk as hk
from hircspeech import SoundCard, gone, read_aloud, start_reading, stopped, utterances

START = 'Tell us about a hate incident'
ROLE_PAGE = 'Who is making this report?'
DESCRIPTION_PAGE = 'Tell us what happened, in your own words'
SECRET = 'Quokkabridge'
DESCRIPTION = 'A man followed %s from the bus stop and shouted at him.' % SECRET
HEADPHONES = 'plug:null'


def no_voice(k, name, code):
    """Chooses a language with no voice: the button is greyed, with the reason beside it."""
    k.tap(k.toggle(name))
    try:
        _ = hk.catalogue(code)
    except hk.TestFailure:
        _ = hk.catalogue('en')
    k.wait_heading(_(START))
    button = read_aloud(k, _('Read aloud'))
    hk.check(not button.getState().contains(pyatspi.STATE_SENSITIVE),
             'Read aloud can be pressed in %s, which has no voice' % name)
    # The sentence names the language; the chooser's button is the name alone.
    reasons = [hk.text_of(a) for a in k.find_all(pyatspi.ROLE_LABEL)
               if name in (hk.text_of(a) or '') and hk.text_of(a) != name]
    hk.check(reasons, 'no reason is shown beside Read aloud in %s' % name)
    bx, by, bw, bh = hk.extents(button)
    label = [a for a in k.find_all(pyatspi.ROLE_LABEL) if hk.text_of(a) == reasons[0]][0]
    lx, ly, lw, lh = hk.extents(label)
    hk.check(abs((ly + lh / 2) - (by + bh / 2)) < bh and (lx >= bx + bw or lx + lw <= bx),
             'the reason is not beside the button: %s and %s' % (hk.extents(label),
                                                                  hk.extents(button)))
    hk.log('ok - %s: Read aloud is greyed: "%s"' % (name, reasons[0]))
    k.screenshot('read-aloud-no-voice-%s' % code)


def test(make):
    k = make('read-aloud')
    card = SoundCard(k, 12)
    with open(os.path.join(k.state_dir, 'kiosk.conf'), 'a') as f:
        f.write('\n[speech]\nprivate_output=%s\n' % HEADPHONES)
    k.start()
    count = 0

    # The start page: read, then stopped by going on.
    k.audit()
    count += 1
    device, pid, words = start_reading(k, card, count, START)
    hk.check(device == 'null', 'the start page was read on %s' % device)
    for line in ('Report a hate incident', 'If you are in danger now, call 999.'):
        hk.check(line in utterances(words), '"%s" was not read' % line)
    k.screenshot('read-aloud-reading')
    # A touch anywhere on the page (here on the heading, which does nothing else).
    heading = k.find(pyatspi.ROLE_HEADING, START)
    x, y, w, h = hk.extents(heading)
    pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, 'b1c')
    stopped(k, pid, 'a touch on the page')
    # Touched, as a finger touches it, the button starts the reading, and touched again stops
    # it (a touch anywhere else stops the reading; a touch on the button is the button's).
    def touch(acc):
        x, y, w, h = hk.extents(acc)
        pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, 'b1c')
    touch(read_aloud(k))
    read_aloud(k, 'Stop reading')
    count += 1
    device, pid, words = card.wait(count, k)
    hk.check(words.startswith(START + '\n'), 'a touch read %r' % words[:80])
    touch(read_aloud(k, 'Stop reading'))
    stopped(k, pid, 'touching "Stop reading"')
    # A reading started by mistake would have reached the sound card by now.
    time.sleep(1)
    hk.check(len(card.requests()) == count, 'touching "Stop reading" started another reading')

    count += 1
    device, pid, words = start_reading(k, card, count, START)
    k.next_page(ROLE_PAGE, 'Report a hate incident')
    stopped(k, pid, 'going to the next page')

    # A question with an error: the error, the question and the choices are read; choosing
    # an answer stops it.
    k.press('Continue')
    k.wait_for(lambda: k.all(lambda a: a.getRole() == pyatspi.ROLE_ALERT), 5, 'the error')
    count += 1
    device, pid, words = start_reading(k, card, count, 'There is a problem')
    said = utterances(words)
    for line in (ROLE_PAGE, 'It happened to me', 'I saw it happen',
                 'Tell us if it happened to you, you saw it, or you are reporting for someone '
                 'else.'):
        hk.check(line in said, '"%s" was not read: %r' % (line, said))
    hk.check('Back' not in said, 'Back was read')
    k.choose('It happened to me')
    stopped(k, pid, 'choosing an answer')

    # Pressed again it stops; pressed once more it starts from the top (the error stays until
    # the next Continue).
    count += 1
    device, pid, first = start_reading(k, card, count, 'There is a problem')
    k.tap(read_aloud(k, 'Stop reading'))
    stopped(k, pid, 'pressing "Stop reading"')
    count += 1
    device, pid, again = start_reading(k, card, count, 'There is a problem')
    hk.check(again == first, 'reading again said something else')
    k.next_page('What happened?')
    stopped(k, pid, 'Continue')

    # What the reporter typed.
    k.choose('Verbal abuse or gestures')
    k.next_page('Why do you think it happened?')
    k.choose("I'm not sure")
    for heading in ('When did it happen? (optional)', 'More about when it happened',
                    'Which area did it happen in? (optional)',
                    'What kind of place was it? (optional)',
                    'Did it happen online or in person? (optional)', DESCRIPTION_PAGE):
        k.next_page(heading)
    k.type_into(DESCRIPTION_PAGE, DESCRIPTION)
    count += 1
    device, pid, words = start_reading(k, card, count, DESCRIPTION_PAGE)
    hk.check(device == 'null', 'read on %s' % device)
    hk.check(SECRET not in words, 'the description was read on the loudspeaker')
    note = utterances(words)[-1]
    hk.check('Use headphones' in note, 'the reading ended with %r' % note)
    hk.check([a for a in k.find_all(pyatspi.ROLE_LABEL) if hk.text_of(a) == note],
             'the page does not say that what was typed was not read: %r' % note)
    k.screenshot('read-aloud-not-typed')
    k.tap(read_aloud(k, 'Stop reading'))
    stopped(k, pid, 'pressing "Stop reading"')

    k.choose('Use headphones')
    count += 1
    device, pid, words = start_reading(k, card, count, DESCRIPTION_PAGE)
    hk.check(device == HEADPHONES, 'with headphones chosen, read on %s' % device)
    hk.check(DESCRIPTION in utterances(words), 'the description was not read in the headphones')
    k.screenshot('read-aloud-headphones')
    k.type_into(DESCRIPTION_PAGE, DESCRIPTION + ' Then he left.')
    stopped(k, pid, 'typing')
    count += 1
    device, pid, words = start_reading(k, card, count, DESCRIPTION_PAGE)

    # Leave now silences it along with everything else.
    old = k.app_pid()
    k.press('Leave now')
    k.wait_new_session(old, START)
    k.wait_for(lambda: gone(pid), 5, 'the speech to stop after Leave now')
    hk.log('ok - Leave now stopped the reading')

    # Nothing the reporter typed ever went to the loudspeaker.
    for device, pid, words in card.requests():
        hk.check(device == HEADPHONES or SECRET not in words,
                 'the description was said on %s' % device)

    # No voice: Somali and Pashto.
    no_voice(k, 'Soomaali', 'so')
    no_voice(k, 'پښتو', 'ps')
    k.tap(k.toggle('English'))
    k.wait_heading(START)


hk.run(test)
