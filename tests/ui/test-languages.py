# SPDX-License-Identifier: GPL-3.0-or-later
# test-languages.py: the language is chosen first, on the start page, from the languages' own
# names, and can be changed on any page without losing answers. For each offered language in
# turn it checks, through the accessibility tree, that the page's heading and the window's
# title become that catalogue's translation (read from the built .mo file, as the kiosk reads
# it), that the answers already given stay chosen or typed, and that Back and Continue change
# sides in the right-to-left languages and change back, and (in Arabic and English) that Tab
# follows the mirrored layout. It photographs the start page and a question page in every
# language. A language whose catalogue is not built yet fails, after every other language has
# been checked.

import os

import pyatspi

import hirckiosk as hk

START = 'Tell us about a hate incident'
QUESTION = 'What happened?'
CHOSEN = ('Graffiti', 'Something else')
OTHER_LABEL = 'Tell us briefly what else happened (optional)'
TYPED = 'They spat at my door'
# Easy Read English may well ask some things in the same words as English.
SAME_WORDS_ALLOWED = {'en', 'en@easyread'}
# The languages whose focus order is followed with Tab, one each way.
FOCUS_CHECKED = {'ar', 'en'}


def x_of(acc):
    return hk.extents(acc)[0]


def test(make):
    k = make('languages')
    k.start()
    failures = []

    def attempt(code, what, check):
        try:
            check()
        except hk.TestFailure as e:
            failures.append('%s, %s: %s' % (code, what, e))
            hk.log('FAILED %s, %s: %s' % (code, what, e))

    # The start page offers every language, in order, each by its own name and marked as
    # being in that language; English is chosen.
    chooser = k.find(pyatspi.ROLE_PANEL, 'Language')
    buttons = [a for a in hk.walk(chooser) if a.getRole() == pyatspi.ROLE_PUSH_BUTTON]
    names = [b.name for b in buttons]
    hk.check(names == [name for _, name, _ in hk.LANGUAGES],
             'the start page offers %s' % names)
    for button, (code, name, _) in zip(buttons, hk.LANGUAGES):
        language = hk.text_language(button[0]) if button.childCount else None
        hk.check(language is not None and language.split('-')[0] == code.split('@')[0],
                 '"%s" is marked as being in %s' % (name, language))
    hk.check(hk.is_pressed(k.toggle('English')), 'English is not the language chosen')
    k.audit()

    # Chosen first, on the start page.
    for code, name, rtl in hk.LANGUAGES[1:] + hk.LANGUAGES[:1]:
        def on_start_page():
            k.tap(k.toggle(name))
            k.wait_for(lambda: hk.is_pressed(k.toggle(name)), 10, '"%s" to be chosen' % name)
            _ = hk.catalogue(code)
            k.wait_heading(_(START))
            k.audit()
        attempt(code, 'start page', on_start_page)
        k.screenshot('lang-%s-start' % code)

    # In English, a report is begun and some questions answered.
    k.wait_heading(START)
    k.next_page('Who is making this report?', 'Report a hate incident')
    k.choose('I saw it happen')
    k.next_page(QUESTION)
    for label in CHOSEN:
        k.choose(label)
    k.type_into(OTHER_LABEL, TYPED)

    # Mid-journey, into each language in turn through the top bar, then back to English.
    _ = hk.catalogue('en')
    for code, name, rtl in hk.LANGUAGES[1:] + hk.LANGUAGES[:1]:
        k.switch_language(name, _)
        try:
            _ = hk.catalogue(code)
        except hk.TestFailure as e:
            failures.append('%s: %s' % (code, e))
            hk.log('FAILED %s: %s' % (code, e))
            # The kiosk shows English then: the rest is still checked.
            _ = hk.catalogue('en')
            missing = True
        else:
            missing = False

        def heading():
            k.wait_heading(_(QUESTION))
            hk.check(code in SAME_WORDS_ALLOWED or _(QUESTION) != QUESTION,
                     'the catalogue does not translate "%s"' % QUESTION)
            title = k.app().name
            hk.check(title == _(QUESTION), 'the window is called "%s"' % title)
        if not missing:
            attempt(code, 'the heading', heading)

        def answers():
            for label in CHOSEN:
                choice = k.wait_for(
                    lambda: [a for a in k.all(lambda a: a.getRole() in hk.TOGGLE_ROLES
                                              and a.name == _(label))],
                    10, 'the choice "%s"' % _(label))[0]
                hk.check(hk.is_checked(choice), '"%s" is no longer chosen' % _(label))
            typed = hk.text_of(k.text_field(_(OTHER_LABEL)))
            hk.check(typed == TYPED, 'the field "%s" holds "%s"' % (_(OTHER_LABEL), typed))
        attempt(code, 'the answers', answers)

        def sides():
            back = x_of(k.find(pyatspi.ROLE_PUSH_BUTTON, _('Back')))
            forward = x_of(k.find(pyatspi.ROLE_PUSH_BUTTON, _('Continue')))
            if rtl:
                hk.check(back > forward, 'Back (x %d) is not right of Continue (x %d)'
                         % (back, forward))
            else:
                hk.check(back < forward, 'Back (x %d) is not left of Continue (x %d)'
                         % (back, forward))
        attempt(code, 'Back and Continue', sides)

        def focus_order():
            """Tab goes through the top bar in reading order, right to left in a right-to-left
            language, and reaches Back before Continue."""
            controls = k.all(lambda a: a.getRole() in hk.ACTIONABLE_ROLES)
            order = k.tab_order(len(controls) + 2)
            leave = hk.extents(k.find(pyatspi.ROLE_PUSH_BUTTON, _('Leave now')))
            bar = [hk.extents(a)[0] for a in order if hk.extents(a)[1] < leave[1] + leave[3]]
            hk.check(len(bar) >= 6, 'Tab reached %d controls of the top bar' % len(bar))
            hk.check(bar == sorted(bar, reverse=rtl), 'Tab goes through the top bar at x %s'
                     % bar)
            names = [a.name for a in order]
            hk.check(_('Back') in names and _('Continue') in names
                     and names.index(_('Back')) < names.index(_('Continue')),
                     'Tab does not reach Back, then Continue: %s' % names)
        if code in FOCUS_CHECKED:
            attempt(code, 'the focus order', focus_order)
        attempt(code, 'the controls', k.audit)
        k.screenshot('lang-%s-question' % code)

    # The list opened from the top bar can be closed without changing anything.
    k.press('Language')
    k.wait_heading('Choose your language')
    k.press('Back')
    k.wait_heading(QUESTION)
    hk.check(k.app().name == QUESTION, 'the title did not come back')

    # The journey goes on from where it was, with nothing lost.
    k.next_page('Why do you think it happened?')
    k.next_page(QUESTION, 'Back')
    hk.check(hk.text_of(k.text_field(OTHER_LABEL)) == TYPED, 'the typed text was lost')

    hk.check(not failures, '%d check(s) failed:\n  %s' % (len(failures),
                                                         '\n  '.join(failures)))


os.environ.setdefault('HIRC_UI_TEST_LIMIT', '1100')
hk.run(test)
