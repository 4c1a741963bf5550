# SPDX-License-Identifier: GPL-3.0-or-later
# test-staff-sign-in.py: the administrator signs in from the start page's Staff button. Three
# wrong PINs bring the delay, said plainly and counted down; it survives a restart of the
# kiosk; then the right PIN opens the dashboard. The activity log shows it all, newest first,
# and staff screens left alone sign staff out. The first delay is shortened by kiosk.conf's
# [staff] first_delay_seconds, so that the test does not wait 30 seconds.

import re
import time

import pyatspi

import hirckiosk as hk
import hircstaff as hs

START = 'Tell us about a hate incident'
ADMIN_PIN = '271828'
WRONG_PIN = '314159'
DELAY = 20
STAFF_IDLE = 30


def wrong_attempt(k, pad, expected):
    before = len(hs.audit_events(k, 'staff-sign-in-failed'))
    pad.enter(WRONG_PIN)
    k.press('Sign in')
    k.wait_for(lambda: len(hs.audit_events(k, 'staff-sign-in-failed')) == before + 1, 15,
               'the wrong PIN to be recorded')
    return k.wait_for(lambda: (lambda m: m if m and re.match(expected, m) else None)(
        hs.staff_message(k)), 10, 'the message "%s"; it says %r' % (expected,
                                                                   hs.staff_message(k)))


def seconds_in(message):
    return int(re.search(r'in (\d+) seconds?\.', message).group(1))


def test(make):
    k = make('staff-sign-in')
    hs.configure(k, first_delay_seconds=DELAY, idle_timeout_seconds=STAFF_IDLE)
    hs.set_admin_pin(k, ADMIN_PIN)
    k.start()

    # Discreet, but a named target of full size, like every control on the page.
    staff = k.find(pyatspi.ROLE_PUSH_BUTTON, 'Staff')
    hk.check(hk.extents(staff)[3] >= hk.MIN_TARGET, 'the Staff button is too small')
    k.audit()
    k.next_page('Staff sign-in', 'Staff')
    k.audit()
    sign_in = k.find(pyatspi.ROLE_PUSH_BUTTON, 'Sign in')
    hk.check(not hs.is_sensitive(sign_in), 'Sign in works before a PIN is typed')
    pad = hs.Pad(k)
    pad.enter('12')
    hk.check(pad.count() == 2, 'two digits are not shown as two dots')
    hk.check(not [t for t in hs.labels(k) if '12' in t], 'the digits of the PIN are on screen')
    pad.delete()
    pad.delete()

    wrong_attempt(k, pad, r'^Wrong PIN\. Try again\.$')
    wrong_attempt(k, pad, r'^Wrong PIN\. Try again\.$')
    message = wrong_attempt(k, pad, r'^Wrong PIN\. Try again in \d+ seconds?\.$')
    first = seconds_in(message)
    hk.check(DELAY - 3 <= first <= DELAY, 'the wait says %d seconds, not about %d' % (first,
                                                                                      DELAY))
    hk.check(not hs.is_sensitive(pad.keys['5']),
             'the number pad can be used during the wait')
    k.screenshot('staff-sign-in-wait')
    k.wait_for(lambda: seconds_in(hs.staff_message(k) or 'in 99 seconds.') < first, 5,
               'the wait to count down')
    hk.log('the wait showed "%s" and counted down' % message)

    # The wait survives a restart of the kiosk: it is in staff.conf, not in the window.
    k.stop()
    k.start()
    k.next_page('Staff sign-in', 'Staff')
    message = k.wait_for(lambda: (lambda m: m if m and m.startswith('Too many') else None)(
        hs.staff_message(k)), 10, 'the wait after a restart')
    hk.check(re.match(r'^Too many wrong PINs\. Try again in \d+ seconds?\.$', message),
             'after a restart the page says %r' % message)
    hk.log('after a restart: "%s"' % message)
    k.wait_for(lambda: hs.staff_message(k) == 'You can try again now.', DELAY + 5,
               'the end of the wait')

    hs.enter_pin(k, ADMIN_PIN)
    k.next_page('Kiosk dashboard', 'Sign in')
    k.audit()
    k.screenshot('staff-dashboard-signed-in')

    k.next_page('Activity log', 'Activity log')
    entries = [t for t in hs.labels(k) if t.endswith('.') and ('PIN' in t or 'signed' in t)]
    hk.check(entries[:4] == ['The administrator signed in.'] +
             ['Someone entered a wrong staff PIN.'] * 3,
             'the activity log, newest first, reads %s' % entries[:6])
    k.audit()
    k.next_page('Kiosk dashboard', 'Back to the dashboard')

    # Left alone, staff screens sign staff out and the kiosk starts afresh.
    old = k.app_pid()
    shown = time.monotonic()
    k.wait_new_session(old, START, timeout=STAFF_IDLE + 20)
    waited = time.monotonic() - shown
    hk.check(waited >= STAFF_IDLE - 2, 'signed out after %.1f s, before the timeout' % waited)
    events = [e[1] for e in hs.audit_events(k)]
    hk.check(events[-2:] == ['staff-signed-in', 'staff-signed-out'],
             'the audit log ends with %s' % events[-4:])
    hk.log('signed out after %.1f s without input' % waited)


hk.run(test)
