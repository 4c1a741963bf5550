# SPDX-License-Identifier: GPL-3.0-or-later
# test-fonts.py: fontconfig has a font for every language the kiosk offers (its orthography, as
# fontconfig knows it) and one with every letter of the language's own name, as the chooser
# shows it, so that no letter can fall back to a box. The screenshots of test-languages.py show
# the same in the window itself.

import subprocess

import hirckiosk as hk


def families(pattern):
    out = subprocess.run(['fc-list', pattern, 'family'], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split('\n')
    return sorted({f.split(',')[0] for f in out if f.strip()})


def test(make):
    missing = []
    for code, name, _ in hk.LANGUAGES:
        # fontconfig names languages without gettext's modifier (en@easyread is English).
        language = code.split('@')[0]
        for what, pattern in (
                ('language', ':lang=%s' % language),
                ('letters of "%s"' % name,
                 ':charset=%s' % ' '.join('%x' % ord(c) for c in sorted(set(name)) if c != ' '))):
            found = families(pattern)
            hk.log('%s, %s: %s' % (code, what, ', '.join(found) or 'none'))
            if not found:
                missing.append('%s (%s)' % (what, code))
    hk.check(not missing, 'no font covers %s: add its fonts to .ci/setup' % ', '.join(missing))


hk.run(test)
