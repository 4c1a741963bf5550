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
    k.answer_the_rest_minimally(DESCRIPTION)
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
