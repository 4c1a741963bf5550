# SPDX-License-Identifier: GPL-3.0-or-later
# test-keyboard.py: the on-screen keyboard in the real kiosk window, through the accessibility
# tree. A tap on the description field opens the keyboard below it, never over it; a
# description is typed with the keyboard's own keys alone (found by role and name) in a Latin
# (Polish, with its accented letters), a Cyrillic (Ukrainian) and an Arabic-script (Urdu)
# layout, each chosen on the keyboard, and the field holds exactly what was typed. The keyboard
# closes when the page changes, and opens in the layout of the language chosen in the top bar.
# Each script is photographed with the keyboard over the page.

import time

import pyatspi

import hirckiosk as hk

DESCRIPTION_PAGE = 'Tell us what happened, in your own words'

# (layout's own name, keys pressed, text they type). The phrases are what a reporter might
# write; keys are named as a screen reader names them.
PHRASES = [
    ('Polski', 'pl',
     'Shift P o b i ł Space m n i e Space m ę ż c z y z n a'.split(),
     'Pobił mnie mężczyzna'),
    ('Українська', 'uk',
     'Shift Ї х Space б у л о Space т р о є'.split(),
     'Їх було троє'),
    ('اردو', 'ur',
     'م ج ھ ے Space د ھ م ک ی Space د ی Space گ Shift ئ ی'.split(),
     'مجھے دھمکی دی گئی'),
]


# The keyboard and its keys are named in the language on screen; _ translates into it.
def keyboard(k, _=lambda text: text):
    return k.wait_for(lambda: [a for a in k.all(lambda a: a.name == _('On-screen keyboard')
                                                 and a.getRole() != pyatspi.ROLE_LABEL)],
                      10, 'the on-screen keyboard')[0]


def keyboard_shown(k, _=lambda text: text):
    return any(a.name == _('On-screen keyboard') for a in k.all())


def keys_shown(board):
    """The keys on the keyboard's page now, by name: its children that are visible."""
    keys = {}
    for i in range(board.childCount):
        child = board.getChildAtIndex(i)
        if (child is not None and child.getRole() == pyatspi.ROLE_PUSH_BUTTON
                and child.getState().contains(pyatspi.STATE_VISIBLE)):
            keys.setdefault(child.name, child)
    return keys


def key(k, name, _=lambda text: text, board=None):
    board = board or keyboard(k, _)
    return k.wait_for(lambda: keys_shown(board).get(_(name)), 10, 'the key "%s"' % _(name))


def press(k, field, name, board):
    before = hk.text_of(field)
    k.tap(key(k, name, board=board))
    if name not in ('Shift', 'Switch keyboard layout'):
        # GTK acts on a press about 250 ms after it: wait for the text to change.
        k.wait_for(lambda: hk.text_of(field) != before, 5, '"%s" to type' % name)


def description_field(k):
    return k.wait_for(lambda: k.find_all(pyatspi.ROLE_TEXT), 10, 'the description field')[0]


def open_on(k, field, _=lambda text: text):
    """Taps the field, as a finger would."""
    x, y, w, h = hk.extents(field)
    pyatspi.Registry.generateMouseEvent(x + w // 2, y + min(h // 2, 40), 'b1c')
    k.wait_for(lambda: keyboard_shown(k, _) and hk.extents(keyboard(k, _))[3] > 0, 10,
               'the keyboard to open')
    # It scrolls the field into view once the window has made room for it.
    time.sleep(0.5)


def check_not_covered(k, field, _=lambda text: text):
    """The field shows whole: in the part of the page in view, and above the keyboard."""
    # The text area scrolls inside its frame: the frame is what shows; the page scrolls in the
    # pane around it, between the top bar and Back and Continue.
    frame = field.parent if field.parent.getRole() == pyatspi.ROLE_SCROLL_PANE else field
    pane = frame.parent
    while pane.getRole() != pyatspi.ROLE_SCROLL_PANE:
        pane = pane.parent
    fx, fy, fw, fh = hk.extents(frame)
    px, py, pw, ph = hk.extents(pane)
    kx, ky, kw, kh = hk.extents(keyboard(k, _))
    hk.check(py + ph <= ky, 'the keyboard (top at %d) covers the page (%d to %d)'
             % (ky, py, py + ph))
    hk.check(py <= fy and fy + fh <= py + ph,
             'the field (%d to %d) is not all in view (%d to %d) above the keyboard (top at %d)'
             % (fy, fy + fh, py, py + ph, ky))
    return fy + fh, ky


def words_of(code):
    """The catalogue of code, or English words where it has none yet."""
    try:
        return hk.catalogue(code)
    except hk.TestFailure as e:
        hk.log('# %s' % e)
        return hk.catalogue('en')


def test(make):
    k = make('keyboard')
    k.start()
    hk.check(not keyboard_shown(k), 'the keyboard shows on the start page')

    k.next_page('Who is making this report?', 'Report a hate incident')
    k.choose('It happened to me')
    k.next_page('What happened?')
    k.choose('Verbal abuse or gestures')
    k.next_page('Why do you think it happened?')
    k.choose("I'm not sure")
    for heading in ('When did it happen? (optional)', 'More about when it happened',
                    'Which area did it happen in? (optional)',
                    'What kind of place was it? (optional)',
                    'Did it happen online or in person? (optional)', DESCRIPTION_PAGE):
        hk.check(not keyboard_shown(k), 'the keyboard shows on "%s"' % k.heading())
        k.next_page(heading)

    field = description_field(k)
    open_on(k, field)
    bottom, top = check_not_covered(k, field)
    hk.log('ok - the keyboard opens below the field: field bottom %d, keyboard top %d'
           % (bottom, top))
    k.audit()

    typed = ''
    board = keyboard(k)
    for name, code, keys, text in PHRASES:
        k.tap(key(k, 'Switch keyboard layout', board=board))
        k.tap(key(k, name, board=board))
        k.wait_for(lambda: key(k, 'Switch keyboard layout', board=board).description == name, 5,
                   'the %s layout' % name)
        if typed:
            press(k, field, 'Enter', board)
            typed += '\n'
        for n in keys:
            press(k, field, n, board)
        typed += text
        hk.check(hk.text_of(field) == typed, 'typed %r, the field holds %r'
                 % (typed, hk.text_of(field)))
        bottom, top = check_not_covered(k, field)
        hk.log('ok - %s: typed %r with the keyboard alone; field bottom %d, keyboard top %d'
               % (code, text, bottom, top))
        k.screenshot('keyboard-kiosk-%s' % code)

    # Going on closes it: the next page has no field with the focus.
    k.next_page('About the people who did it')
    k.wait_for(lambda: not keyboard_shown(k), 5, 'the keyboard to close')
    k.next_page(DESCRIPTION_PAGE, 'Back')
    field = description_field(k)
    hk.check(hk.text_of(field) == typed, 'the description changed: %r' % hk.text_of(field))

    # The keyboard follows the language chosen in the top bar.
    _ = hk.catalogue('en')
    for name, code in (('Русский', 'ru'), ('العربية', 'ar')):
        k.switch_language(name, _)
        _ = words_of(code)
        k.wait_heading(_(DESCRIPTION_PAGE))
        field = description_field(k)
        open_on(k, field, _)
        switch = key(k, 'Switch keyboard layout', _)
        hk.check(switch.description == name, 'in %s the keyboard opens in %s'
                 % (name, switch.description))
        hk.check(key(k, 'Space', _) is not None, 'the space bar is not in %s' % name)
        check_not_covered(k, field, _)
        hk.log('ok - the keyboard opens in the %s layout when %s is chosen' % (code, name))
        k.screenshot('keyboard-kiosk-page-%s' % code)


hk.run(test)
