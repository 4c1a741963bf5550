# SPDX-License-Identifier: GPL-3.0-or-later
# test-leave-now.py: "Leave now" in the middle of a report returns the kiosk to the start page
# in a new session, and every page the next person sees is empty, checked through the
# accessibility tree. Prints how long the reset took. Shift pressed three times does the same
# from a keyboard, wherever the focus is, and Shift among other keys does not.

import pyatspi

import hirckiosk as hk

START = 'Tell us about a hate incident'
SHIFT = 0xffe1  # Shift_L
LETTER_A = 0x61


def walk_to_description(k, check_empty):
    """Goes from the start page to the description, answering what is required; with
    check_empty, first checks that each page arrives with nothing chosen or typed."""
    def arrive(heading):
        k.wait_heading(heading)
        if check_empty:
            k.assert_page_empty()

    k.next_page(None, 'Report a hate incident')
    arrive('Who is making this report?')
    k.choose('I saw it happen')
    k.next_page(None)
    arrive('What happened?')
    k.choose('Graffiti')
    k.next_page(None)
    arrive('Why do you think it happened?')
    k.choose('Religion or belief')
    k.next_page(None)
    for heading in ('When did it happen? (optional)', 'More about when it happened',
                    'Which area did it happen in? (optional)',
                    'What kind of place was it? (optional)',
                    'Did it happen online or in person? (optional)'):
        arrive(heading)
        if not check_empty:
            if heading == 'Which area did it happen in? (optional)':
                k.choose('Eastwold District')
            elif heading == 'When did it happen? (optional)':
                k.choose('Yesterday')
        k.next_page(None)
    arrive('Tell us what happened, in your own words')


def reset_ms(k, before):
    """From the press of "Leave now" to the next start page's first frame."""
    leaves = [t for t in k.timings('leave') if t > before]
    hk.check(leaves, 'the session did not record the press')
    frames = [t for t in k.timings('first-frame') if t > leaves[0]]
    hk.check(frames, 'no new start page was drawn')
    return (frames[0] - leaves[0]) / 1000.0


def test(make):
    k = make('leave')
    k.start()

    walk_to_description(k, check_empty=False)
    k.type_into('Tell us what happened, in your own words', 'Words sprayed on the mosque wall')
    k.screenshot('leave-before')
    old = k.app_pid()
    mark = max(k.timings('first-frame'))
    k.press('Leave now')
    k.wait_new_session(old, START)
    k.wait_for(lambda: old not in k.session_pids(), 30, 'the session that held the report to end')
    k.screenshot('leave-after')
    first = reset_ms(k, mark)
    hk.log('reset after Leave now: %.0f ms' % first)

    # The next person finds every page empty.
    walk_to_description(k, check_empty=True)

    # Leave now from the start page works too.
    old = k.app_pid()
    k.press('Leave now')
    k.wait_new_session(old, START)

    # From a keyboard: a screen reader hears how, after the button's name.
    leave = k.find(pyatspi.ROLE_PUSH_BUTTON, 'Leave now')
    hk.check(leave.description == 'Or press the Shift key three times.',
             '"Leave now" is described as %r' % leave.description)
    walk_to_description(k, check_empty=False)
    field = k.text_field('Tell us what happened, in your own words')
    x, y, w, h = hk.extents(field)
    pyatspi.Registry.generateMouseEvent(x + w // 2, y + min(h // 2, 40), 'b1c')
    k.wait_for(lambda: field.getState().contains(pyatspi.STATE_FOCUSED), 5,
               'the description to have the focus')
    # Shift twice, a letter, then Shift twice more: never three running, so nothing happens.
    for key in (SHIFT, SHIFT, LETTER_A, SHIFT, SHIFT):
        pyatspi.Registry.generateKeyboardEvent(key, None, pyatspi.KEY_SYM)
    k.wait_for(lambda: hk.text_of(field) == 'a', 5, 'the letter typed between the Shifts')
    hk.check(k.heading() == 'Tell us what happened, in your own words',
             'Shift among other keys left the page')
    old = k.app_pid()
    for _ in range(3):
        pyatspi.Registry.generateKeyboardEvent(SHIFT, None, pyatspi.KEY_SYM)
    k.wait_new_session(old, START)
    k.wait_for(lambda: old not in k.session_pids(), 30, 'the session that held the report to end')


hk.run(test)
