# SPDX-License-Identifier: GPL-3.0-or-later
# test-display.py: text size and high contrast, switched from the top bar on any page and reset
# for the next reporter. At the largest size the capital letters of the smallest text on screen
# are measured in a screenshot and must subtend 0.7 degrees at 50 cm (EN 301 549 5.1.4), using
# the monitor's size as GTK reports it; the journey's pages must still work there at 1920x1080:
# every control named and 48x48, nothing running off the side of the screen. It photographs
# the largest text size and high contrast.

import pyatspi

import hirckiosk as hk

START = 'Tell us about a hate incident'
CENTRE = 'Kingsford Central Library'
# 2 x 500 mm x tan(0.35 degrees).
CAP_HEIGHT_MM = 6.11
SIZES = ('Standard text', 'Large text', 'Largest text')
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


def test(make):
    k = make('display')
    k.start()
    mm = hk.mm_per_pixel()
    hk.log('a pixel is %.4f mm high' % mm)

    def settings():
        return {name: hk.is_pressed(k.toggle(name)) for name in SIZES + ('High contrast',)}

    def expect_defaults(when):
        shown = settings()
        hk.check(shown == {'Standard text': True, 'Large text': False, 'Largest text': False,
                           'High contrast': False},
                 '%s, the screen settings are %s' % (when, shown))

    def choose_size(name, _=lambda text: text):
        k.tap(k.toggle(_(name)))
        k.wait_for(lambda: hk.is_pressed(k.toggle(_(name)))
                   and sum(hk.is_pressed(k.toggle(_(n))) for n in SIZES) == 1,
                   10, '"%s" to be the only size chosen' % _(name))

    def cap_height(shot, label):
        """The capital letter at the start of label, in pixels."""
        box = hk.extents(k.find(pyatspi.ROLE_LABEL, label))
        return hk.Shot(shot).first_glyph_height(box)

    def within_screen():
        """Nothing runs off either side, every control is named and large enough."""
        width = hk.extents(k.app())[2]
        outside = ['%s "%s" at %s' % (a.getRoleName(), a.name, hk.extents(a))
                   for a in k.all(lambda a: a.getRole() != pyatspi.ROLE_FILLER)
                   if hk.extents(a) is not None
                   and (hk.extents(a)[0] < 0 or hk.extents(a)[0] + hk.extents(a)[2] > width)]
        hk.check(not outside, 'page "%s" runs off the screen: %s' % (k.heading(), outside))
        k.audit()

    # A new reporter gets the standard screen.
    expect_defaults('at the start')
    standard = cap_height(k.screenshot('display-standard-start'), CENTRE)

    # Each step is larger than the one before; at the largest, even the smallest text (the
    # centre's name in the top bar) meets EN 301 549.
    heights = [standard]
    for name in SIZES[1:]:
        choose_size(name)
        k.wait_for(lambda: cap_height(k.screenshot('display-%s-start' % name.split()[0].lower()),
                                      CENTRE) > heights[-1],
                   10, 'the text to grow at "%s"' % name)
        heights.append(cap_height(k.screenshot('display-%s-start' % name.split()[0].lower()),
                                  CENTRE))
    largest_mm = heights[-1] * mm
    hk.log('capital letters of the smallest text: %s px; at the largest, %.2f mm, %.2f degrees '
           'at 50 cm' % (heights, largest_mm, 2 * 57.2958 * (largest_mm / 2 / 500)))
    hk.check(largest_mm >= CAP_HEIGHT_MM, 'at the largest size a capital letter is %.2f mm, '
             'less than %.2f mm' % (largest_mm, CAP_HEIGHT_MM))
    within_screen()

    # The journey at the largest size.
    pages = [
        ('Who is making this report?', lambda: k.choose('I saw it happen')),
        ('What happened?', lambda: (k.choose('Graffiti'), k.choose('Something else'),
                                    k.type_into('Tell us briefly what else happened '
                                                '(optional)', 'Paint on the door'))),
        ('Why do you think it happened?', lambda: k.choose("I'm not sure")),
        ('When did it happen? (optional)', lambda: k.choose('I know the exact date')),
        ('More about when it happened', lambda: k.choose('In the evening')),
        ('Which area did it happen in? (optional)', None),
    ]
    k.next_page(pages[0][0], 'Report a hate incident')
    for number, (heading, answer) in enumerate(pages):
        k.wait_heading(heading)
        if answer is not None:
            answer()
        within_screen()
        k.screenshot('display-largest-%02d' % number)
        if number + 1 < len(pages):
            k.next_page(pages[number + 1][0])

    # High contrast, on the page on screen: black page, white words, black top bar.
    k.tap(k.toggle('High contrast'))
    k.wait_for(lambda: hk.is_pressed(k.toggle('High contrast')), 10, 'high contrast')
    shot = hk.Shot(k.screenshot('display-largest-high-contrast'))
    heading = hk.extents(k.find(pyatspi.ROLE_HEADING, pages[-1][0]))
    hk.check(shot.pixel(heading[0] - 8, heading[1]) == BLACK, 'the page is not black')
    hk.check(shot.pixel(4, 4) == BLACK, 'the top bar is not black')
    hk.check(WHITE in {shot.pixel(x, y) for x in range(heading[0], heading[0] + heading[2])
                       for y in range(heading[1], heading[1] + heading[3])},
             'the heading is not white')
    within_screen()
    choose_size('Standard text')
    k.screenshot('display-high-contrast')
    k.tap(k.toggle('High contrast'))
    k.wait_for(lambda: not hk.is_pressed(k.toggle('High contrast')), 10, 'normal contrast')
    shot = hk.Shot(k.screenshot('display-normal-contrast'))
    hk.check(shot.pixel(4, 200) == WHITE, 'the page did not turn white again')

    # Whatever the last reporter chose (a right-to-left language too), the next one gets the
    # standard screen, twice: once from the standby started before the change and once from the
    # one started after it.
    arabic = hk.words_in('ar')
    for round in (1, 2):
        k.switch_language('العربية')
        choose_size('Largest text', arabic)
        k.tap(k.toggle(arabic('High contrast')))
        k.wait_for(lambda: hk.is_pressed(k.toggle(arabic('High contrast'))), 10,
                   'high contrast')
        k.leave(START, arabic)
        expect_defaults('after Leave now (%d)' % round)
        hk.check(hk.is_pressed(k.toggle('English')), 'English is not chosen after Leave now')
        english = hk.extents(k.toggle('English'))[0]
        easy = hk.extents(k.toggle('Easy Read English'))[0]
        hk.check(english < easy, 'the start page is still right to left after Leave now')
        shot = k.screenshot('display-reset-%d' % round)
        hk.check(hk.Shot(shot).pixel(4, 200) == WHITE, 'the page is not white after Leave now')
        hk.check(cap_height(shot, CENTRE) == standard, 'the text is not the standard size '
                 'after Leave now')
        if round == 1:
            k.next_page('Who is making this report?', 'Report a hate incident')


hk.run(test)
