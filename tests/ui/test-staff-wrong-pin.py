# SPDX-License-Identifier: GPL-3.0-or-later
# test-staff-wrong-pin.py: "Test the connection" against an intake that presents a key the
# kiosk was not provisioned with. Its certificate still comes from the trusted CA, so only the
# pin is wrong, and the dashboard must say so in plain words (and the audit log record the
# code, not the words).

import hirckiosk as hk
import hircstaff as hs

ADMIN_PIN = '604913'
PLAIN = ("The intake's certificate does not match the one this kiosk was set up with, so the "
         "kiosk will not send reports to it.")


def test(make):
    k = make('staff-wrong-pin', provision=False)
    intake = hs.Intake(k.root)
    sync = hs.Sync(k)
    try:
        intake.start()
        hs.provision(k, intake)
        hs.set_admin_pin(k, ADMIN_PIN)
        intake.stop()
        intake.present_other_key()
        intake.start()
        sync.start()
        k.start()
        hs.sign_in(k, ADMIN_PIN, 'Kiosk dashboard')

        k.press('Test the connection')
        k.wait_for(lambda: 'The connection to the intake has a problem.' in hs.labels(k), 90,
                   'the connection test')
        said = [t for t in hs.labels(k) if t.startswith(PLAIN)]
        hk.check(said, 'the dashboard does not say the pin is wrong: %s' % hs.labels(k))
        hk.log('the dashboard says: %s' % said[0])
        hk.check(not [t for t in hs.labels(k) if 'curl' in t or 'sha256//' in t],
                 'the dashboard shows technical detail: %s' % hs.labels(k))
        k.audit()
        k.screenshot('staff-dashboard-wrong-pin')
        events = [e for e in hs.audit_events(k) if e[1] == 'connection-tested']
        hk.check(events == [('admin', 'connection-tested', 'pin-mismatch')],
                 'the audit log holds %s' % events)
    finally:
        sync.stop()
        intake.stop()


hk.run(test)
