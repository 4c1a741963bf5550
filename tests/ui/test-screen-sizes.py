# SPDX-License-Identifier: GPL-3.0-or-later
# test-screen-sizes.py: the kiosk's pages on the screens it is mounted on: a portrait panel
# (720x1280), and landscape ones at 1280x720 and 1920x1080. On each, the start page, a question
# page and "Check your answers" fit the window: the window is no wider than the screen, no
# control is off its side, none overlaps another, every one is at least 48x48, "Leave now" is
# whole on screen, in the far corner of the top bar, and the answers listed on "Check your
# answers" have room to be read. On the portrait panel the tools take a second row of the top
# bar; that is checked left to right and right to left (Arabic), and at the largest text size.
# Each page is photographed.

import pyatspi

import hirckiosk as hk

SIZES = [(720, 1280), (1280, 720), (1920, 1080)]
START = 'Tell us about a hate incident'
QUESTION = 'Who is making this report?'
TOOLS = ('Language', 'Standard text', 'Large text', 'Largest text', 'High contrast')
# The narrowest a question or an answer of "Check your answers" may be: squeezed further, it
# reads a word or less a line.
MIN_ANSWER_WIDTH = 200


def overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def check_page(k, size, shot, _=lambda text: text, rtl=False):
    """Everything a person can act on fits the window of size and has room of its own."""
    width, height = size
    heading = k.heading()
    where = 'page "%s" at %dx%d' % (heading, width, height)
    frame = hk.extents(k.app())
    hk.check(frame[2:] == size, '%s: the window is %dx%d' % (where, frame[2], frame[3]))
    k.audit()

    controls = [(a.name, a.getRoleName(), hk.extents(a))
                for a in k.all(lambda a: a.getRole() in hk.ACTIONABLE_ROLES)]
    for name, role, (x, y, w, h) in controls:
        hk.check(x >= 0 and x + w <= width, '%s: %s "%s" at %s is off the side of the window'
                 % (where, role, name, (x, y, w, h)))

    leave = hk.extents(k.find(pyatspi.ROLE_PUSH_BUTTON, _('Leave now')))
    x, y, w, h = leave
    hk.check(x >= 0 and y >= 0 and x + w <= width and y + h <= height,
             '%s: "Leave now" at %s is not whole on screen' % (where, leave))
    # In the far corner: the right in a left-to-right language, the left in a right-to-left one.
    hk.check((x < width / 2) if rtl else (x + w > width / 2),
             '%s: "Leave now" at %s is not in its corner' % (where, leave))
    tools = [hk.extents(k.find(pyatspi.ROLE_PUSH_BUTTON, _(name))) for name in TOOLS]
    hk.check(all(t[1] + t[3] <= height for t in tools), '%s: the tools are off screen: %s'
             % (where, tools))

    # Nothing overlaps, except content scrolled under the buttons fixed at the bottom.
    fixed = {_('Back'), _('Continue'), _('Send report')}
    for i, (name, role, e) in enumerate(controls):
        for other, other_role, f in controls[i + 1:]:
            if name in fixed and other not in fixed and f[1] + f[3] > e[1]:
                continue
            if other in fixed and name not in fixed and e[1] + e[3] > f[1]:
                continue
            hk.check(not overlap(e, f), '%s: %s "%s" at %s overlaps %s "%s" at %s'
                     % (where, role, name, e, other_role, other, f))

    for item in k.all(lambda a: a.getRole() == pyatspi.ROLE_LIST_ITEM):
        item_width = hk.extents(item)[2]
        for label in (a for a in item if a is not None and a.getRole() == pyatspi.ROLE_LABEL):
            e = hk.extents(label)
            hk.check(e[2] >= min(MIN_ANSWER_WIDTH, item_width), '%s: "%s" is squeezed to %s'
                     % (where, label.name or hk.text_of(label), e))
    k.screenshot(shot)
    return leave, tools


def two_rows(leave, tools):
    """Whether the tools are on a row of their own, below "Leave now"."""
    return all(t[1] >= leave[1] + leave[3] for t in tools)


def test_size(make, size):
    width, height = size
    portrait = width < height
    name = '%dx%d' % size
    k = make('screen-sizes-' + name, size=size)
    k.start()
    k.wait_heading(START)
    leave, tools = check_page(k, size, 'sizes-%s-start' % name)
    # A portrait panel is too narrow for one row; the landscape ones keep theirs.
    hk.check(two_rows(leave, tools) == portrait, 'at %s the tools are %s "Leave now"'
             % (name, 'beside' if portrait else 'below'))

    if portrait:
        # Right to left: the top bar and the languages mirrored, and still on screen.
        ar = hk.catalogue('ar')
        k.tap(k.toggle('العربية'))
        k.wait_heading(ar(START))
        leave, tools = check_page(k, size, 'sizes-%s-start-ar' % name, ar, rtl=True)
        hk.check(two_rows(leave, tools), 'in Arabic at %s the tools are beside "Leave now"'
                 % name)
        k.next_page(ar(QUESTION), ar('Report a hate incident'))
        check_page(k, size, 'sizes-%s-question-ar' % name, ar, rtl=True)
        k.switch_language('English', ar)
        k.wait_heading(QUESTION)
    else:
        k.next_page(QUESTION, 'Report a hate incident')
    check_page(k, size, 'sizes-%s-question' % name)

    if portrait:
        # The largest text: the tools wrap within their row if they must, never off screen.
        k.tap(k.toggle('Largest text'))
        k.wait_for(lambda: hk.is_pressed(k.toggle('Largest text')), 5, 'the largest text')
        check_page(k, size, 'sizes-%s-question-largest' % name)
        k.tap(k.toggle('Standard text'))
        k.wait_for(lambda: hk.is_pressed(k.toggle('Standard text')), 5, 'the standard text')

    k.choose('It happened to me')
    k.next_page('What happened?')
    k.choose('Verbal abuse or gestures')
    k.next_page('Why do you think it happened?')
    k.choose("I'm not sure")
    k.answer_the_rest_minimally('Someone shouted at me at the bus stop.')
    k.next_page('Check your answers')
    check_page(k, size, 'sizes-%s-check' % name)
    if portrait:
        ar = hk.catalogue('ar')
        k.switch_language('العربية')
        k.wait_heading(ar('Check your answers'))
        check_page(k, size, 'sizes-%s-check-ar' % name, ar, rtl=True)
    k.cleanup()


def test(make):
    for size in SIZES:
        test_size(make, size)


if __name__ == '__main__':
    hk.run(test)
