# SPDX-License-Identifier: GPL-3.0-or-later
# test-staff-dashboard.py: the administrator's dashboard against a real intake on 127.0.0.1.
# Two reports are queued while the intake is down: the dashboard says they are waiting, as the
# outbox does, and says why in plain words. The intake comes back, "Send reports now" asks the
# sync service to send them, and the dashboard says they were sent today, as the outbox does;
# the intake holds both. "Test the connection" then says the connection works. Last, the
# administrator sets the kiosk up again for another centre from a bundle on a USB stick: the
# window enrols through the sync service, shows the new fingerprints, and the next report goes
# out under the new centre.

import json
import os
import shutil
import subprocess

import hirckiosk as hk
import hircstaff as hs

ADMIN_PIN = '604913'
REPORT = {
    'role': 'witness',
    'incident_types': ['graffiti'],
    'motivations': ['religion'],
    'where': {'area': 'kingsford'},
    'description': 'Abusive words were sprayed on the wall of the community centre.',
    'contact': {'anonymous': True},
    'meta': {'language': 'en', 'assisted': False},
}


def queue_report(k):
    out = subprocess.run([k.kiosk, '--state-dir', k.state_dir, '--submit-json', '-'],
                         input=json.dumps(REPORT), capture_output=True, text=True, timeout=60,
                         env=k.environment())
    hk.check(out.returncode == 0, 'cannot queue a report: %s' % out.stderr)


def outbox_counts(sync):
    status = sync.status()
    hk.check(status is not None, 'the sync service does not answer')
    return status['outbox']


AFTER_THE_MOVE = 'Someone shouted abuse at me outside the library.'


def set_up_again(k, intake, sync):
    before = sync.status()
    k.press('Set this kiosk up again')
    k.wait_heading('Set this kiosk up again')
    k.press('Riverside Library, %s \u00b7 riverside.bundle' % intake.url, timeout=20)
    k.wait_for(lambda: [t for t in hs.labels(k) if t.startswith(
        'Set this kiosk up for Riverside Library? Its reports will then go to %s.' % intake.url)],
        10, 'the question before the change')
    k.screenshot('staff-reprovision-question')
    k.press('Set up again')
    done = k.wait_for(lambda: [t for t in hs.labels(k)
                               if t.startswith('This kiosk is now set up for Riverside Library.')],
                      90, 'the kiosk to be set up again: %s' % hs.labels(k))
    hk.log('set up again: %s' % done[0])
    after = sync.status()
    hk.check(after['centre']['name'] == 'Riverside Library', 'the status says %s' % after['centre'])
    hk.check(after['device_id'] != before['device_id'],
             'the device id did not change')
    hk.check(after['sync'].get('device_id') == after['device_id'],
             'the sync service sends for %s' % after['sync'].get('device_id'))
    fingerprints = [t for t in hs.labels(k) if 'fingerprint: ' in t]
    hk.check(fingerprints == ["This kiosk's fingerprint: %s" % after['device_fingerprint'],
                              "The intake's fingerprint: %s" % after['intake_fingerprint']],
             'the page shows %s; the status says %s' % (fingerprints, after))
    hk.check(not [t for t in hs.labels(k) if t.startswith('The sync service did not restart')],
             'the sync service did not restart')
    k.audit()
    k.screenshot('staff-reprovision-done')
    k.press('High contrast')
    k.screenshot('staff-reprovision-done-high-contrast')
    k.press('High contrast')
    hk.check(('admin', 'reprovisioned', None) in hs.audit_events(k),
             'the activity log does not say the kiosk was set up again')

    # The session held the old set-up, and so did the one waiting on standby: leaving signs
    # out, a fresh session comes on, and the next reporter's report goes out under the new
    # centre, sealed and signed with the new set-up.
    k.press('Sign out')
    k.wait_for(lambda: 'Riverside Library' in hs.labels(k), 30,
               'a session with the new set-up: %s' % k.describe())
    k.next_page('Who is making this report?', 'Report a hate incident')
    k.choose('It happened to me')
    k.next_page('What happened?')
    k.choose('Verbal abuse or gestures')
    k.next_page('Why do you think it happened?')
    k.choose("I'm not sure")
    k.answer_the_rest_minimally(AFTER_THE_MOVE)
    k.next_page('Check your answers')
    k.next_page('Your report has been saved', 'Send report')
    k.wait_for(lambda: outbox_counts(sync)['pending'] == 0, 60, 'the new report to be sent')
    hk.check(outbox_counts(sync)['rejected'] == 0, 'the intake refused the new report')
    received = intake.export()
    hk.check(len(received) == 3, 'the intake holds %d reports, not 3' % len(received))
    hk.check(AFTER_THE_MOVE in json.dumps(received), 'the new report is not at the intake')
    centres = subprocess.run([intake.program, 'centres', '--data', intake.data],
                             capture_output=True, text=True, timeout=60)
    hk.log(centres.stdout)
    hk.check('Riverside Library' in centres.stdout, 'the intake has not heard from Riverside')


def test(make):
    k = make('staff-dashboard', provision=False)
    intake = hs.Intake(k.root)
    sync = hs.Sync(k)
    try:
        intake.start()
        hs.provision(k, intake)
        hs.set_admin_pin(k, ADMIN_PIN)
        usb = os.path.join(k.root, 'media', 'kiosk', 'STICK')
        os.makedirs(usb)
        shutil.copy(intake.enrol('Riverside Library'), os.path.join(usb, 'riverside.bundle'))
        with open(os.path.join(k.state_dir, 'kiosk.conf'), 'a') as f:
            f.write('\n[provision]\nbundle_folders=%s\n' % os.path.join(k.root, 'media'))
        intake.stop()
        queue_report(k)
        queue_report(k)
        sync.start()
        k.start()
        hs.sign_in(k, ADMIN_PIN, 'Kiosk dashboard')

        # The intake is down: both are waiting, as the outbox says, and the dashboard says why.
        hs.wait_value(k, 'Waiting to be sent', '2')
        hs.wait_value(k, 'Sent today', '0')
        counts = outbox_counts(sync)
        hk.check((counts['pending'], counts['delivered_today']) == (2, 0),
                 'the outbox says %s' % counts)
        problem = k.wait_for(lambda: (lambda v: v if v and v.startswith("The intake's computer")
                                      else None)(hs.value_after(k, 'Last problem')), 60,
                             'the dashboard to say why nothing was sent')
        hk.log('while the intake is down: 2 waiting, 0 sent; last problem: %s' % problem)
        hk.check('Reports are leaving this kiosk as they should.' not in hs.labels(k),
                 'the dashboard says all is well while the intake is down')
        hk.check(not [t for t in hs.labels(k) if t.startswith('The sync service is not running')],
                 'the dashboard says the sync service is not running while it is')
        hk.check(hs.value_after(k, 'Centre') == 'Kingsford Central Library',
                 'the centre is %r' % hs.value_after(k, 'Centre'))
        hk.check(hs.value_after(k, 'Intake address') == intake.url,
                 'the intake address is %r' % hs.value_after(k, 'Intake address'))
        k.audit()
        k.screenshot('staff-dashboard-intake-down')

        # The intake is back; the administrator does not wait for the next attempt.
        intake.start()
        k.press('Send reports now')
        k.wait_for(lambda: 'The sync service is sending every waiting report now.'
                   in hs.labels(k), 20, 'the answer to "Send reports now"')
        hs.wait_value(k, 'Waiting to be sent', '0', timeout=60)
        hs.wait_value(k, 'Sent today', '2')
        hs.wait_value(k, 'Sent this month', '2')
        counts = outbox_counts(sync)
        hk.check((counts['pending'], counts['delivered_today']) == (0, 2),
                 'the outbox says %s' % counts)
        hk.check(hs.value_after(k, 'Last problem') == 'None',
                 'after sending, the last problem is %r' % hs.value_after(k, 'Last problem'))
        k.wait_for(lambda: 'Reports are leaving this kiosk as they should.' in hs.labels(k), 15,
                   'the dashboard to say all is well')
        received = intake.export()
        hk.check(len(received) == 2, 'the intake holds %d reports, not 2' % len(received))
        hk.log('after the intake came back: 0 waiting, 2 sent today; the intake holds 2')

        k.press('Test the connection')
        k.wait_for(lambda: 'The connection to the intake works.' in hs.labels(k), 90,
                   'the connection test')
        hk.check("The intake recognises this kiosk." in hs.labels(k),
                 'the test does not say the intake knows this kiosk: %s' % hs.labels(k))
        k.audit()
        k.screenshot('staff-dashboard-sent')

        events = [(e[0], e[1], e[2]) for e in hs.audit_events(k)
                  if e[1] in ('sync-now', 'connection-tested')]
        hk.check(events == [('admin', 'sync-now', None), ('admin', 'connection-tested', 'ok')],
                 'the audit log holds %s' % events)

        set_up_again(k, intake, sync)
    finally:
        sync.stop()
        intake.stop()


hk.run(test)
