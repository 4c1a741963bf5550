# SPDX-License-Identifier: GPL-3.0-or-later
# test-easy-read.py: in Easy Read English every choice on every question page has a picture
# beside it, described to screen readers, while the choice's name stays its label alone; every
# control is still a 48x48 target. Chosen on the start page, Easy Read is followed through the
# journey's choice pages, each photographed; switched to English from the top bar, the same page
# shows no pictures. Words come from the built Easy Read catalogue, or are the English ones while
# it is not built yet.

import pyatspi

import hirckiosk as hk

START = 'Tell us about a hate incident'


def choices(k):
    return k.all(lambda a: a.getRole() in (pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_CHECK_BOX))


def pictures_in(acc):
    return [a for a in hk.walk(acc) if a.getRole() == pyatspi.ROLE_IMAGE]


def check_pictures(k):
    """Every choice on the page has one picture, described, after which it is not named."""
    found = choices(k)
    hk.check(found, 'page "%s" shows no choices' % k.heading())
    problems = []
    for choice in found:
        inside = list(hk.walk(choice))
        pictures = [a for a in inside if a.getRole() == pyatspi.ROLE_IMAGE]
        labels = [hk.text_of(a) for a in inside if a.getRole() == pyatspi.ROLE_LABEL]
        if len(pictures) != 1:
            problems.append('"%s" has %d pictures' % (choice.name, len(pictures)))
            continue
        picture = pictures[0]
        if not picture.description.strip():
            problems.append('the picture of "%s" has no description' % choice.name)
        if labels != [choice.name]:
            problems.append('"%s" is not named by its label alone (its labels: %s)'
                            % (choice.name, labels))
        e, label_e = hk.extents(picture), hk.extents(choice)
        if e is None or e[2] < 56 or e[3] < 56:
            problems.append('the picture of "%s" is %s, smaller than 56x56' % (choice.name, e))
        elif not (label_e[0] <= e[0] and e[0] + e[2] <= label_e[0] + label_e[2]):
            problems.append('the picture of "%s" is not within it' % choice.name)
    hk.check(not problems, 'page "%s": %s' % (k.heading(), '; '.join(problems)))
    return len(found)


def test(make):
    k = make('easy-read')
    k.start()
    _ = hk.words_in('en@easyread')

    # English, as every session begins: no pictures.
    k.next_page('Who is making this report?', 'Report a hate incident')
    hk.check(all(not pictures_in(c) for c in choices(k)), 'English shows pictures')
    k.screenshot('easy-read-en-role')
    k.leave()

    k.tap(k.toggle('Easy Read English'))
    k.wait_for(lambda: hk.is_pressed(k.toggle('Easy Read English')), 10,
               '"Easy Read English" to be chosen')
    k.wait_heading(_(START))
    k.next_page(_('Who is making this report?'), _('Report a hate incident'))

    shown = 0
    photographed = []

    # Reading the whole tree through AT-SPI takes seconds a page: every choice of every page is
    # checked by test-easy-read.c, and here a page of each kind (radio buttons, check boxes in
    # columns, the date field, the journey's own choices, the languages) is looked at closely.
    def page(shot, heading, choose=(), look=True, audit=False):
        nonlocal shown
        if look:
            shown += check_pictures(k)
            if audit:
                k.audit()
            photographed.append(k.screenshot('easy-read-' + shot))
        for label in choose:
            k.choose(_(label))
        k.next_page(_(heading), _('Continue'))

    # The pictures stand on white tiles of their own, which keep them clear on black.
    contrast = k.toggle(_('High contrast'))
    k.tap(contrast)
    k.wait_for(lambda: hk.is_pressed(contrast), 10, 'high contrast')
    k.screenshot('easy-read-role-high-contrast')
    k.tap(contrast)
    k.wait_for(lambda: not hk.is_pressed(contrast), 10, 'the usual colours')
    page('role', 'What happened?', ['I saw it happen'], audit=True)
    page('incident', 'Why do you think it happened?', ['Verbal abuse or gestures'])
    page('motivation', 'When did it happen? (optional)', ["I'm not sure"], look=False)
    page('when', 'More about when it happened')
    page('when-more', 'Which area did it happen in? (optional)', audit=True)
    page('where', 'What kind of place was it? (optional)', look=False)
    page('place', 'Did it happen online or in person? (optional)')
    page('setting', 'Tell us what happened, in your own words', look=False)
    k.type_into(_('Tell us what happened, in your own words'), 'Someone shouted at me.')
    k.next_page(_('About the people who did it'), _('Continue'))
    for heading in ('Was anyone hurt? (optional)', 'Evidence and witnesses',
                    'Have you reported this before? (optional)',
                    'Can we contact you about your report? (optional)'):
        k.next_page(_(heading), _('Continue'))
    page('contact', 'How should we communicate with you?', ['No, I want to stay anonymous'])
    page('communication', 'What can we do with your report?', audit=True)
    page('consents', 'Equality questions (optional)', look=False)
    page('equality', 'Age, gender and trans history', ['Answer the equality questions'])
    shown += check_pictures(k)
    photographed.append(k.screenshot('easy-read-equality-age'))
    hk.log('%d choices on %d pages had pictures' % (shown, len(photographed)))

    # Another language, on the same page, and the pictures are gone.
    k.switch_language('English', _)
    k.wait_heading('Age, gender and trans history')
    hk.check(choices(k) and all(not pictures_in(c) for c in choices(k)),
             'pictures are still shown in English')
    k.screenshot('easy-read-off-english')


hk.run(test)
