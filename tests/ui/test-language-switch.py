# SPDX-License-Identifier: GPL-3.0-or-later
# test-language-switch.py: changing language from the top bar in the middle of a report, on a
# 1280x720 landscape panel where question pages scroll. On a page scrolled down to its last
# answer, a switch to Arabic and back shows the page from its top, heading in view, with the
# answers kept and the focus back on the Language button that opened the list. On "When did it
# happen?", the month of the exact date and the date written out are in the language on screen
# (Polish, then Arabic), not in the process locale's English, and so is the date on "Check your
# answers". The Read aloud button's loudspeaker faces the same way in Arabic as in English.

import pyatspi

import hirckiosk as hk

SIZE = (1280, 720)
WHAT = 'What happened?'
WHEN = 'When did it happen? (optional)'
ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
                  'September', 'October', 'November', 'December']
ENGLISH_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
# A month on its own, as under the caption "Month": Polish names it in the nominative.
MONTHS = {
    'en': ENGLISH_MONTHS,
    'pl': ['styczeń', 'luty', 'marzec', 'kwiecień', 'maj', 'czerwiec', 'lipiec', 'sierpień',
           'wrzesień', 'październik', 'listopad', 'grudzień'],
    'ar': ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر',
           'أكتوبر', 'نوفمبر', 'ديسمبر'],
}
# In a date written out in full, Polish puts the month in the genitive.
POLISH_MONTHS_IN_A_DATE = ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca',
                           'lipca', 'sierpnia', 'września', 'października', 'listopada',
                           'grudnia']


def top_bar_bottom(k, _):
    return max(sum(hk.extents(k.find(pyatspi.ROLE_PUSH_BUTTON, _(name)))[1::2])
               for name in ('Leave now', 'Language'))


def heading_in_view(k, heading, _):
    """Whether the page's heading is whole on screen, below the top bar."""
    found = k.first(lambda a: a.getRole() == pyatspi.ROLE_HEADING and a.name == heading)
    if found is None:
        return False
    x, y, w, h = hk.extents(found)
    return y >= top_bar_bottom(k, _) and y + h <= SIZE[1]


def switch(k, name, heading, _, before=lambda text: text):
    """Switches language from the top bar and checks the page that comes back: its heading in
    view, the focus on the Language button."""
    k.switch_language(name, before)
    k.wait_heading(_(heading))
    language = k.find(pyatspi.ROLE_PUSH_BUTTON, _('Language'))
    try:
        k.wait_for(lambda: language.getState().contains(pyatspi.STATE_FOCUSED), 10,
                   'the focus on the Language button after choosing %s' % name)
        k.wait_for(lambda: heading_in_view(k, _(heading), _), 10,
                   'the heading "%s" in view after choosing %s' % (_(heading), name))
    except hk.TestFailure as e:
        focused = k.focused()
        raise hk.TestFailure('%s; the focus is on %s, the headings are at %s'
                             % (e, focused and (focused.getRoleName(), focused.name),
                                [(a.name, hk.extents(a))
                                 for a in k.find_all(pyatspi.ROLE_HEADING)]))


def tab_to(k, name):
    """Tabs through the page until the control called name has the focus: the page scrolls to
    it, as it does for a person moving through it with a switch or a keyboard."""
    for _ in range(60):
        focused = k.focused()
        if focused is not None and focused.name == name:
            return
        pyatspi.Registry.generateKeyboardEvent(0xff09, None, pyatspi.KEY_SYM)
        k.wait_for(lambda: k.focused() not in (None, focused), 5, 'Tab to move the focus')
    raise hk.TestFailure('Tab never reached "%s"' % name)


def month_shown(k, _):
    """The month of the exact date: the words in the group "Month" that are not its caption."""
    group = k.group(_('Month'))
    words = [hk.text_of(a) for a in hk.walk(group) if a.getRole() == pyatspi.ROLE_LABEL]
    words = [w for w in words if w and w not in (_('Month'), '−', '+')]
    hk.check(len(words) == 1, 'the month shows %s' % words)
    return words[0]


def check_month(k, code, _, index=None):
    """The month shown is one of language code's names for months (the one at index, when
    given), and nothing on the page names a month or a day in English."""
    month = k.wait_for(lambda: month_shown(k, _), 10, 'the month')
    hk.check(month in MONTHS[code], 'in %s the month is "%s", not one of %s'
             % (code, month, MONTHS[code]))
    if index is not None:
        hk.check(month == MONTHS[code][index], 'in %s the month is "%s", not "%s"'
                 % (code, month, MONTHS[code][index]))
    if code != 'en':
        words = ' '.join(hk.text_of(a) or '' for a in k.find_all(pyatspi.ROLE_LABEL))
        english = [w for w in ENGLISH_MONTHS + ENGLISH_DAYS if w in words]
        hk.check(not english, 'in %s the page says %s' % (code, english))
    return MONTHS[code].index(month)


def icon_mask(shot, button, rtl):
    """The loudspeaker of the Read aloud button at extents button, as the set of its dark
    pixels relative to the icon's top left corner. The icon (32 px) is at the button's start:
    the left of its words, or their right in a right-to-left language."""
    x0, y0, w, h = button
    colours = [shot.pixel(x, y) for x in range(x0, x0 + w) for y in range(y0, y0 + h)]
    background = max(set(colours), key=colours.count)

    def ink(x, y):
        return sum(abs(a - b) for a, b in zip(shot.pixel(x, y), background)) > 240
    columns = [x for x in range(x0 + 2, x0 + w - 2) if any(ink(x, y) for y in range(y0, y0 + h))]
    hk.check(columns, 'nothing is drawn on the Read aloud button at %s' % (button,))
    span = range(columns[-1] - 31, columns[-1] + 1) if rtl else range(columns[0], columns[0] + 32)
    pixels = {(x, y) for x in span for y in range(y0, y0 + h) if ink(x, y)}
    left = min(x for x, _ in pixels)
    top = min(y for _, y in pixels)
    return {(x - left, y - top) for x, y in pixels}


def mirrored(mask):
    right = max(x for x, _ in mask)
    return {(right - x, y) for x, y in mask}


def check_speaker(k, english_mask, _):
    button = hk.extents(k.find(pyatspi.ROLE_PUSH_BUTTON, _('Read aloud')))
    arabic_mask = icon_mask(hk.Shot(k.screenshot('switch-ar-read-aloud')), button, True)
    same = len(arabic_mask ^ english_mask)
    flipped = len(arabic_mask ^ mirrored(english_mask))
    hk.check(same < flipped, 'in Arabic the loudspeaker is mirrored: %d pixels differ from the '
             'English one, %d from its mirror image' % (same, flipped))


def test(make):
    k = make('language-switch', size=SIZE)
    k.start()
    ar = hk.catalogue('ar')
    pl = hk.catalogue('pl')

    k.next_page('Who is making this report?', 'Report a hate incident')
    k.choose('It happened to me')
    k.next_page(WHAT)
    button = hk.extents(k.find(pyatspi.ROLE_PUSH_BUTTON, 'Read aloud'))
    english_mask = icon_mask(hk.Shot(k.screenshot('switch-en-read-aloud')), button, False)
    k.choose('Verbal abuse or gestures')

    # Scrolled down to the last answer, then into Arabic and back.
    tab_to(k, 'Something else')
    hk.check(not heading_in_view(k, WHAT, lambda text: text),
             'the page did not scroll: the test would prove nothing')
    switch(k, 'العربية', WHAT, ar)
    hk.check(k.checked() == [ar('Verbal abuse or gestures')], 'in Arabic the answers are %s'
             % k.checked())
    k.screenshot('switch-ar-what-happened')
    check_speaker(k, english_mask, ar)
    tab_to(k, ar('Something else'))
    switch(k, 'English', WHAT, lambda text: text, ar)
    hk.check(k.checked() == ['Verbal abuse or gestures'], 'back in English the answers are %s'
             % k.checked())

    # The exact date, in English, Polish and Arabic.
    k.next_page('Why do you think it happened?')
    k.choose("I'm not sure")
    k.next_page(WHEN)
    k.choose('I know the exact date')
    index = check_month(k, 'en', lambda text: text)
    switch(k, 'Polski', WHEN, pl)
    check_month(k, 'pl', pl, index)
    k.press(pl('Previous month'))
    index = (index - 1) % 12
    k.wait_for(lambda: month_shown(k, pl) == MONTHS['pl'][index], 10,
               'the month before, in Polish')
    tab_to(k, pl('Next month'))
    k.screenshot('switch-pl-date')
    switch(k, 'العربية', WHEN, ar, pl)
    check_month(k, 'ar', ar, index)
    tab_to(k, ar('Next month'))
    k.screenshot('switch-ar-date')

    # The date written out on "Check your answers", in Polish.
    switch(k, 'English', WHEN, lambda text: text, ar)
    k.next_page('Why do you think it happened?', 'Back')
    k.answer_the_rest_minimally('Someone shouted at me at the bus stop.')
    k.next_page('Check your answers')
    switch(k, 'Polski', 'Check your answers', pl)
    row = k.wait_for(lambda: next((item for item in k.find_all(pyatspi.ROLE_LIST_ITEM)
                                   if any(a.name == pl('The date') for a in item)), None),
                     10, 'the date on "Check your answers"')
    written = ' '.join(hk.text_of(a) or '' for a in row if a.getRole() == pyatspi.ROLE_LABEL)
    hk.check(POLISH_MONTHS_IN_A_DATE[index] in written,
             'the date is written "%s", without "%s"' % (written, POLISH_MONTHS_IN_A_DATE[index]))
    hk.check(not [w for w in ENGLISH_MONTHS + ENGLISH_DAYS if w in written],
             'the date is written "%s", in English' % written)
    tab_to(k, pl('Change: %s') % pl('The date'))
    k.screenshot('switch-pl-check')


if __name__ == '__main__':
    hk.run(test)
