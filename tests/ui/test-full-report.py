# SPDX-License-Identifier: GPL-3.0-or-later
# test-full-report.py: a reporter answers every question of the journey by touch (through the
# accessibility tree), uses "Change" on "Check your answers", and sends. The outbox must then
# hold exactly one envelope which, opened with the intake's key, equals the answers given. On
# the way, every page is audited (names, roles, 48x48 targets) and photographed.

import datetime
import re

import pyatspi

import hirckiosk as hk

SHOT = 'full-%02d-%s'


def slug(text):
    return re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')[:40]


def test(make):
    k = make('full')
    k.start()
    page = [0]

    def visit(expected):
        """Checks the page, audits it and photographs it."""
        k.wait_heading(expected)
        k.audit()
        k.screenshot(SHOT % (page[0], slug(expected)))
        page[0] += 1

    def answer_page(expected, answers, button='Continue'):
        visit(expected)
        answers()
        k.next_page(None, button)

    visit('Tell us about a hate incident')
    k.next_page('Who is making this report?', 'Report a hate incident')

    # Continue without an answer: a summary at the top that takes focus, the message again at
    # the question, nothing lost.
    visit('Who is making this report?')
    k.press('Continue')
    summary = k.wait_for(lambda: [a for a in k.all(lambda a: a.getRole() == pyatspi.ROLE_ALERT)],
                         5, 'the error summary')[0]
    hk.check(summary.name == 'There is a problem', 'the summary is named "%s"' % summary.name)
    hk.check(summary.getState().contains(pyatspi.STATE_FOCUSED), 'the summary has no focus')
    message = 'Tell us if it happened to you, you saw it, or you are reporting for someone else.'
    hk.check(k.find(pyatspi.ROLE_PUSH_BUTTON, message) is not None, 'no link to the question')
    hk.check(k.heading() == 'Who is making this report?', 'the page changed on an error')
    k.audit()
    k.screenshot(SHOT % (page[0], 'role-error'))
    page[0] += 1
    k.choose('I am reporting for someone else')
    k.next_page(None)

    def incident():
        k.choose('Verbal abuse or gestures')
        k.choose('Something else')
        k.type_into('Tell us briefly what else happened (optional)', 'They spat at my door')
    answer_page('What happened?', incident)

    def motivation():
        k.choose('Religion or belief')
        k.choose('Race, ethnicity or nationality, including Gypsy, Roma and Traveller')
    answer_page('Why do you think it happened?', motivation)

    date = datetime.date.today() - datetime.timedelta(days=2)

    def when():
        k.choose('Last week')
        k.choose('I know the exact date')
        # A pressed button takes a moment to act, as a finger's press would: wait for each.
        for days in (1, 2):
            day = datetime.date.today() - datetime.timedelta(days=days)
            k.press('Previous day')
            k.find(pyatspi.ROLE_LABEL, day.strftime('%A ') + str(day.day) + day.strftime(' %B %Y'))
        k.screenshot(SHOT % (page[0], 'when-date'))
    answer_page('When did it happen? (optional)', when)

    def when_more():
        k.choose('In the evening')
        k.choose('Yes', group='Is it still happening? (optional)')
        k.choose('No', group='Has something like this happened before? (optional)')
    answer_page('More about when it happened', when_more)

    answer_page('Which area did it happen in? (optional)', lambda: k.choose('Northbridge'))

    def place():
        k.choose('Street')
        k.type_into('Where exactly? (optional)', 'Outside the bakery on Mill Road')
    answer_page('What kind of place was it? (optional)', place)

    def setting():
        k.choose('Both in person and online')
        k.type_into('Which website, app or game? (optional)', 'A neighbourhood chat group')
        k.type_into('The web address or user name, if you know it (optional)', 'millroad-chat')
        k.screenshot(SHOT % (page[0], 'setting-revealed'))
    answer_page('Did it happen online or in person? (optional)', setting)

    description = ('Two men shouted at me about my headscarf and followed me home.\n'
                   'The next day the same words were posted in the chat group.')

    def describe():
        k.type_into('Tell us what happened, in your own words', description)
        k.screenshot(SHOT % (page[0], 'description-typed'))
    answer_page('Tell us what happened, in your own words', describe)

    def offenders():
        k.choose('Two people')
        k.choose('A stranger')
        k.type_into('Describe them, if you can (optional)', 'Both in grey hooded tops')
    answer_page('About the people who did it', offenders)

    def harm():
        k.choose('No', group='Was anyone hurt? (optional)')
        k.type_into('Tell us about any injuries, damage or other harm (optional)',
                    'I am afraid to walk home')
    answer_page('Was anyone hurt? (optional)', harm)

    def evidence():
        k.choose('Photos or videos')
        k.choose('CCTV')
        k.type_into('Tell us about the evidence (optional)', 'The bakery has a camera')
        k.choose('Yes', group='Did anyone else see it happen? (optional)')
        k.type_into('Tell us about them (optional)', 'The baker saw it')
    answer_page('Evidence and witnesses', evidence)

    def reported():
        k.choose('Yes', group='Have you reported this before? (optional)')
        k.type_into('Who did you report it to? (optional)', 'My housing officer')
        k.type_into('Their reference number, if you have it (optional)', 'HO-4471')
    answer_page('Have you reported this before? (optional)', reported)

    def victim():
        k.type_into('Their name (optional)', 'Amina')
        k.choose('25 to 34')
    answer_page('About the person it happened to', victim)

    answer_page('Can we contact you about your report? (optional)',
                lambda: k.choose('Yes, you can contact me'))

    def details():
        k.type_into('Your name (optional)', 'Sara Example')
        k.type_into('Phone number (optional)', '01632 960123')
        k.type_into('Email address (optional)', 'sara@example.org')
    answer_page('How can we reach you?', details)

    def safety():
        k.choose('Phone call')
        k.choose('Text message')
        k.choose('No', group='Is it safe to leave you a message? (optional)')
        k.type_into('When is it safe to contact you? (optional)', 'Weekdays after 6pm')
    answer_page('Contacting you safely', safety)

    def names():
        k.type_into('What name should we use for you? (optional)', 'Sara')
        k.type_into('Your pronouns (optional)', 'she/her')
    answer_page('What should we call you? (optional)', names)

    def communication():
        k.choose('An interpreter')
        k.choose('Polski')
    answer_page('How should we communicate with you?', communication)

    def consents():
        k.choose('Yes', group='Can we send your report to the police, with your details? '
                              '(optional)')
        k.choose('Yes', group='Can we tell the police it happened, without any details about '
                              'who you are? (optional)')
        k.choose('Yes', group='Would you like a support service to contact you? (optional)')
        k.choose('Example County Victim Care')
        k.screenshot(SHOT % (page[0], 'consents-service'))
    answer_page('What can we do with your report?', consents)

    answer_page('Equality questions (optional)',
                lambda: k.choose('Answer the equality questions'))

    def age():
        k.choose('35 to 44')
        k.choose('Woman')
        k.choose('No', group='Are they trans, or do they have a trans history? (optional)')
    answer_page('Age, gender and trans history', age)

    def orientation():
        k.choose('Prefer not to say', group='Sexual orientation (optional)')
        k.choose('Yes', group='Are they disabled? (optional)')
    answer_page('Sexual orientation and disability', orientation)

    def background():
        k.choose('Asian or Asian British')
        k.choose('Muslim')
    answer_page('Ethnic group and religion', background)

    # Check your answers: every answer, then Change one and come back here.
    visit('Check your answers')
    for shown in ('I am reporting for someone else', 'Polski', 'Example County Victim Care',
                  'Outside the bakery on Mill Road'):
        hk.check(k.find(pyatspi.ROLE_LABEL, shown) is not None, '"%s" is not listed' % shown)
    k.press('Change: Who is reporting')
    k.wait_heading('Who is making this report?')
    k.choose('It happened to me')
    k.next_page('Check your answers')
    hk.check(not [a for a in k.find_all(pyatspi.ROLE_LABEL) if a.name == 'Amina'],
             'the victim\'s name is still listed after the role changed')
    # It happened to the reporter now: the equality questions ask about "you".
    k.press('Change: Trans or trans history')
    k.wait_heading('Age, gender and trans history')
    k.choose('Prefer not to say',
             group='Are you trans, or do you have a trans history? (optional)')
    k.next_page('Check your answers')
    k.screenshot(SHOT % (page[0], 'check-after-change'))
    page[0] += 1

    k.next_page('Your report has been saved', 'Send report')
    visit('Your report has been saved')
    # The reference is named by its caption ("Your reference is"); its text is the code.
    reference = [hk.text_of(a) for a in k.find_all(pyatspi.ROLE_LABEL)
                 if re.fullmatch(r'HR-[0-9A-Z]{4}-[0-9A-Z]{4}', hk.text_of(a) or '')]
    hk.check(len(reference) == 1, 'no reference on the confirmation: %s' % reference)

    reports = k.outbox()
    hk.check(len(reports) == 1, 'the outbox holds %d envelopes, not 1' % len(reports))
    report = reports[0]
    hk.check(report['reference'] == reference[0], 'the reference shown is not the one sent')
    for key in ('schema', 'id', 'reference', 'created'):
        del report[key]
    del report['meta']['software_version']
    expected = {
        'role': 'victim',
        'incident_types': ['verbal_abuse', 'other'],
        'incident_other': 'They spat at my door',
        'motivations': ['race', 'religion'],
        'when': {'approximate': 'last_week', 'date': date.isoformat(),
                 'time_of_day': 'evening', 'ongoing': 'yes', 'happened_before': 'no'},
        'where': {'area': 'northbridge', 'place_type': 'street',
                  'details': 'Outside the bakery on Mill Road'},
        'setting': 'both',
        'online': {'platform': 'A neighbourhood chat group', 'address': 'millroad-chat'},
        'description': description,
        'offenders': {'count': 'two', 'known': 'stranger',
                      'description': 'Both in grey hooded tops'},
        'harm': {'injured': 'no', 'details': 'I am afraid to walk home'},
        'evidence': {'types': ['photos', 'cctv'], 'details': 'The bakery has a camera'},
        'witnesses': {'any': 'yes', 'details': 'The baker saw it'},
        'reported_before': {'any': 'yes', 'to': 'My housing officer', 'reference': 'HO-4471'},
        'contact': {'anonymous': False, 'name': 'Sara Example', 'phone': '01632 960123',
                    'email': 'sara@example.org', 'methods': ['phone', 'text_message'],
                    'safe_to_leave_message': 'no', 'safe_times': 'Weekdays after 6pm'},
        'communication': {'interpreter': True, 'language': 'pl', 'preferred_name': 'Sara',
                          'pronouns': 'she/her'},
        'consents': {'police_identifiable': True, 'police_statistics': True,
                     'support_referral': True, 'support_service': 'victim_care'},
        'equality': {'age_band': '35_44', 'gender': 'woman',
                     'trans_history': 'prefer_not_to_say',
                     'sexual_orientation': 'prefer_not_to_say', 'disability': 'yes',
                     'ethnic_group': 'asian', 'religion': 'muslim'},
        'meta': {'language': 'en', 'assisted': False},
    }
    if report != expected:
        for key in sorted(set(report) | set(expected)):
            if report.get(key) != expected.get(key):
                hk.log('  %s: sent %r, expected %r' % (key, report.get(key), expected.get(key)))
        raise hk.TestFailure('the report sent is not the answers given')

    # Finish clears the screen: a new session shows the start page.
    old = k.app_pid()
    k.press('Finish')
    k.wait_new_session(old, 'Tell us about a hate incident')
    hk.log('full report: %d pages audited and photographed' % page[0])


hk.run(test)
