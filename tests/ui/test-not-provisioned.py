# SPDX-License-Identifier: GPL-3.0-or-later
# test-not-provisioned.py: a kiosk that has not been provisioned shows a calm "not set up yet"
# page instead of the journey, never a crash, and its log says how to provision it.

import pyatspi

import hirckiosk as hk


def test(make):
    k = make('not-provisioned', provision=False)
    k.start()
    k.wait_heading('This kiosk is not set up yet')
    hk.check(k.find(pyatspi.ROLE_LABEL, 'Please ask a member of staff.') is not None,
             'the page does not ask for staff')
    hk.check(not k.find_all(pyatspi.ROLE_PUSH_BUTTON), 'the page offers buttons to press')
    k.screenshot('not-provisioned')
    hk.check('--provision' in k.log_text(), 'the log does not say how to provision the kiosk')


hk.run(test)
