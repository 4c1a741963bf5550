# SPDX-License-Identifier: GPL-3.0-or-later
# test-report-language.py: a short report made in Polish, every word read from the built Polish
# catalogue. An error shown in English is shown again, announced, in Polish when the reporter
# switches to read it; "Check your answers" and the confirmation are switched to English and
# back on the way, and keep what they show. The report in the outbox, opened with the intake's
# key, records the language it was made in ("pl") and the same codes an English report would.
# Then the idle warning comes in the language chosen.

import re
import time

import pyatspi

import hirckiosk as hk

DESCRIPTION = 'Ktoś krzyczał na mnie na przystanku autobusowym.'


def reference_shown(k):
    return [hk.text_of(a) for a in k.find_all(pyatspi.ROLE_LABEL)
            if re.fullmatch(r'HR-[0-9A-Z]{4}-[0-9A-Z]{4}', hk.text_of(a) or '')]


def test(make):
    k = make('report-language')
    k.start()
    _ = hk.catalogue('pl')

    k.next_page('Who is making this report?', 'Report a hate incident')

    # An error shown in English is shown again, announced, in the language chosen to read it.
    k.press('Continue')
    k.wait_for(lambda: k.alert() is not None, 10, 'the error summary')
    k.switch_language('Polski')
    k.wait_heading(_('Who is making this report?'))
    summary = k.wait_for(k.alert, 10, 'the error summary in Polish')
    hk.check(summary.name == _('There is a problem'), 'the summary is named "%s"' % summary.name)
    hk.check(summary.getState().contains(pyatspi.STATE_FOCUSED), 'the summary has no focus')
    message = _('Tell us if it happened to you, you saw it, or you are reporting for someone '
                'else.')
    hk.check(message != 'Tell us if it happened to you, you saw it, or you are reporting for '
             'someone else.', 'the catalogue does not translate the error')
    k.find(pyatspi.ROLE_PUSH_BUTTON, message)
    k.screenshot('report-pl-error')

    def go_on(heading):
        k.next_page(_(heading), _('Continue'))

    k.choose(_('It happened to me'))
    go_on('What happened?')
    k.choose(_('Verbal abuse or gestures'))
    go_on('Why do you think it happened?')
    k.choose(_("I'm not sure"))
    for heading in ('When did it happen? (optional)', 'More about when it happened',
                    'Which area did it happen in? (optional)'):
        go_on(heading)
    k.choose(_('Kingsford City'))
    for heading in ('What kind of place was it? (optional)',
                    'Did it happen online or in person? (optional)',
                    'Tell us what happened, in your own words'):
        go_on(heading)
    k.type_into(_('Tell us what happened, in your own words'), DESCRIPTION)
    for heading in ('About the people who did it', 'Was anyone hurt? (optional)',
                    'Evidence and witnesses', 'Have you reported this before? (optional)',
                    'Can we contact you about your report? (optional)'):
        go_on(heading)
    k.choose(_('No, I want to stay anonymous'))
    for heading in ('How should we communicate with you?', 'What can we do with your report?',
                    'Equality questions (optional)'):
        go_on(heading)
    k.choose(_('Skip these questions'))
    go_on('Check your answers')

    # "Check your answers" lists the answers in the language on screen, and again after a
    # change of language.
    def listed(role, description=DESCRIPTION):
        hk.check(k.find(pyatspi.ROLE_LABEL, role) is not None, '"%s" is not listed' % role)
        hk.check(k.find(pyatspi.ROLE_LABEL, description) is not None,
                 'the description is not listed')
    listed(_('It happened to me'))
    k.switch_language('English', _)
    k.wait_heading('Check your answers')
    listed('It happened to me')
    k.switch_language('Polski')
    k.wait_heading(_('Check your answers'))
    listed(_('It happened to me'))
    k.screenshot('report-pl-check')
    k.next_page(_('Your report has been saved'), _('Send report'))

    # The confirmation too, with the same reference.
    reference = reference_shown(k)
    hk.check(len(reference) == 1, 'no reference on the confirmation: %s' % reference)
    k.switch_language('English', _)
    k.wait_heading('Your report has been saved')
    hk.check(reference_shown(k) == reference, 'the reference changed with the language')
    k.switch_language('Polski')
    k.wait_heading(_('Your report has been saved'))
    k.screenshot('report-pl-confirmation')

    reports = k.outbox()
    hk.check(len(reports) == 1, 'the outbox holds %d envelopes, not 1' % len(reports))
    report = reports[0]
    hk.check(report['reference'] == reference[0], 'the reference shown is not the one sent')
    for key in ('schema', 'id', 'reference', 'created'):
        del report[key]
    del report['meta']['software_version']
    expected = {
        'role': 'victim',
        'incident_types': ['verbal_abuse'],
        'motivations': ['not_sure'],
        'where': {'area': 'kingsford'},
        'description': DESCRIPTION,
        'contact': {'anonymous': True},
        'meta': {'language': 'pl', 'assisted': False},
    }
    hk.check(report == expected, 'sent %r, expected %r' % (report, expected))
    k.stop()

    # "Are you still there?" comes in the language chosen, and the language cannot be changed
    # under it.
    k = make('idle-language', idle=(6, 30))
    k.start()
    k.next_page('Who is making this report?', 'Report a hate incident')
    k.switch_language('Polski')
    k.wait_heading(_('Who is making this report?'))
    k.wait_heading(_('Are you still there?'), 30)
    k.press(_('Language'))
    # A press acts after about 250 ms; give it far longer to show that it does nothing.
    time.sleep(1.5)
    hk.check(k.heading() == _('Are you still there?'),
             'the language list opened over the warning: %s' % k.describe())
    k.press(_('I need more time'))
    k.wait_heading(_('Who is making this report?'))


hk.run(test)
