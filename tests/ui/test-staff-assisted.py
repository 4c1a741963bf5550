# SPDX-License-Identifier: GPL-3.0-or-later
# test-staff-assisted.py: the administrator adds a Hate Crime Ambassador (a PIN too easy to
# guess is refused, the new one is typed twice) and signs out. The ambassador signs in, which
# starts a report in assisted mode with their guide beside every page; they switch the idle
# timeout off, take the report with the reporter, answer their own questions, one a page, and
# send it. Opened with the intake's key, the report records that it was assisted, by whom, and
# the ambassador's answers; the audit log records every step without content.

import os
import time

import pyatspi

import hirckiosk as hk
import hircstaff as hs

START = 'Tell us about a hate incident'
ADMIN_PIN = '271828'
AMBASSADOR_PIN = '604913'
AMBASSADOR = 'Amina Khan'
DESCRIPTION = 'Two men shouted abuse at her outside the library.'
NOTICED = 'It is the third time this month.'
IDLE = 8
GUIDE = 'For the ambassador'


def add_ambassador(k):
    k.next_page('Staff PINs', 'Staff PINs')
    k.next_page('Add an ambassador', 'Add an ambassador')
    k.audit()
    k.type_into("The ambassador's name", AMBASSADOR)
    hs.enter_pin(k, '123456')
    k.press('Continue')
    k.wait_for(lambda: [t for t in hs.labels(k) if t.startswith('This PIN is too easy')], 10,
               'a PIN too easy to guess to be refused')
    hs.enter_pin(k, AMBASSADOR_PIN)
    k.press('Continue')
    k.wait_for(lambda: 'Enter the same PIN again.' in hs.labels(k), 10, 'the second PIN')
    hs.enter_pin(k, AMBASSADOR_PIN)
    k.next_page('Staff PINs', 'Save the PIN')
    k.wait_for(lambda: '%s was added. They can sign in with their PIN now.' % AMBASSADOR
               in hs.labels(k), 15, 'the ambassador to be added')
    hk.check(k.find(pyatspi.ROLE_PUSH_BUTTON, 'Change the PIN of %s' % AMBASSADOR),
             'the ambassador is not listed')
    k.audit()


def test(make):
    k = make('staff-assisted', idle=(IDLE, 20))
    hs.set_admin_pin(k, ADMIN_PIN)
    k.start()

    hs.sign_in(k, ADMIN_PIN, 'Kiosk dashboard')
    add_ambassador(k)
    k.next_page('Kiosk dashboard', 'Back to the dashboard')
    old = k.app_pid()
    k.press('Sign out')
    k.wait_new_session(old, START)

    # The ambassador's sign-in starts the report, with their guide beside it.
    hs.sign_in(k, AMBASSADOR_PIN, 'Who is making this report?')
    k.choose('Switch off the idle timeout for this report')
    k.find(pyatspi.ROLE_HEADING, GUIDE)
    texts = hs.labels(k)
    for needed in ('Signed in: %s' % AMBASSADOR, 'Listen', 'What happens next',
                   'Keeping people safe'):
        hk.check(needed in texts or k.find(pyatspi.ROLE_HEADING, needed, 2),
                 'the guide lacks "%s"' % needed)
    hk.check([t for t in texts if t.startswith('Call 999 if anyone is in danger now')],
             'the guide does not say when to call 999')
    k.audit()
    k.screenshot('staff-assisted-page')

    k.choose('It happened to me')
    k.next_page('What happened?')
    # Left alone longer than the idle timeout, the report stays.
    time.sleep(IDLE + 4)
    hk.check(k.heading() == 'What happened?', 'the idle timeout was not off: %s' % k.describe())
    k.choose('Verbal abuse or gestures')
    k.next_page('Why do you think it happened?')
    k.choose('Race, ethnicity or nationality, including Gypsy, Roma and Traveller')
    k.answer_the_rest_minimally(DESCRIPTION)

    # The ambassador's own questions, one a page.
    k.next_page('How did this report reach you?')
    k.audit()
    k.screenshot('staff-assisted-question')
    k.choose('In person, here at the centre')
    k.next_page('Did the reporter agree to this report being made?')
    k.choose('Yes, they agreed')
    k.next_page('Did you see signs of repeat victimisation or immediate risk?')
    k.choose('It has happened to them before (repeat victimisation)')
    k.type_into('What did you notice? (optional)', NOTICED)
    k.next_page('Did you make any referral?')
    k.choose('The police')
    k.next_page('Check your answers')
    k.next_page('Your report has been saved', 'Send report')
    old = k.app_pid()
    k.press('Finish')
    k.wait_new_session(old, START)

    reports = k.outbox()
    hk.check(len(reports) == 1, 'the outbox holds %d reports, not 1' % len(reports))
    report = reports[0]
    hk.check(report['meta'].get('assisted') is True and
             report['meta'].get('ambassador_id') == 'amb-1',
             'the report says %r' % report['meta'])
    expected = {'received': 'in_person', 'reporter_agreed': 'agreed',
                'risk_signs': ['repeat_victimisation'], 'risk_details': NOTICED,
                'referrals': ['police']}
    hk.check(report.get('assisted') == expected, 'the ambassador\'s answers are %r' %
             report.get('assisted'))
    hk.check(report['description'] == DESCRIPTION, 'the description is %r' %
             report['description'])
    hk.log('the report is assisted by %s: %s' % (report['meta']['ambassador_id'],
                                                  report['assisted']))

    events = [(e[0], e[1], e[2]) for e in hs.audit_events(k)]
    for needed in [('admin', 'ambassador-added', 'amb-1'), ('admin', 'staff-signed-out', None),
                   ('amb-1', 'staff-signed-in', None), ('amb-1', 'idle-timeout-off', None),
                   ('amb-1', 'assisted-report-saved', None),
                   ('amb-1', 'staff-signed-out', None)]:
        hk.check(needed in events, 'the audit log lacks %s: %s' % (needed, events))


# The whole journey and the staff screens besides: more than the usual time limit.
os.environ.setdefault('HIRC_UI_TEST_LIMIT', '450')
hk.run(test)
