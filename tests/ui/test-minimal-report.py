# SPDX-License-Identifier: GPL-3.0-or-later
# test-minimal-report.py: the least a report can be (who, what, why "I'm not sure", where, in
# their own words, anonymous), made by touch alone; the taps are counted and printed, and the
# outbox must hold exactly that report.

import hirckiosk as hk

DESCRIPTION = 'Someone shouted abuse at me at the bus stop.'


def test(make):
    k = make('minimal')
    k.start()

    k.next_page('Who is making this report?', 'Report a hate incident')
    k.choose('It happened to me')
    k.next_page('What happened?')
    k.choose('Verbal abuse or gestures')
    k.next_page('Why do you think it happened?')
    k.choose("I'm not sure")
    k.next_page('When did it happen? (optional)')
    k.next_page('More about when it happened')
    k.next_page('Which area did it happen in? (optional)')
    k.choose('Kingsford City')
    k.next_page('What kind of place was it? (optional)')
    k.next_page('Did it happen online or in person? (optional)')
    k.next_page('Tell us what happened, in your own words')
    k.type_into('Tell us what happened, in your own words', DESCRIPTION)
    k.next_page('About the people who did it')
    k.next_page('Was anyone hurt? (optional)')
    k.next_page('Evidence and witnesses')
    k.next_page('Have you reported this before? (optional)')
    k.next_page('Can we contact you about your report? (optional)')
    k.choose('No, I want to stay anonymous')
    k.next_page('How should we communicate with you?')
    k.next_page('What can we do with your report?')
    k.next_page('Equality questions (optional)')
    k.choose('Skip these questions')
    k.next_page('Check your answers')
    k.next_page('Your report has been saved', 'Send report')

    hk.log('minimal report: %d taps and %d text field(s) typed into, from the start page to '
           'the reference' % (k.taps, k.typed))

    reports = k.outbox()
    hk.check(len(reports) == 1, 'the outbox holds %d envelopes, not 1' % len(reports))
    report = reports[0]
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
        'meta': {'language': 'en', 'assisted': False},
    }
    hk.check(report == expected, 'sent %r, expected %r' % (report, expected))


hk.run(test)
