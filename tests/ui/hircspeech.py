# SPDX-License-Identifier: GPL-3.0-or-later
# hircspeech.py: read aloud in the end-to-end UI tests. espeak-ng is real and speaks into
# ALSA's null device (HIRC_SPEECH_SINK=null), which takes the sound at once; a wrapper in front
# of it, a pretend sound card, records where each request was sent (the loudspeaker, "null", or
# the headphones' device) and what it said, then "plays" for as long as the speech would last
# at a given number of characters a second, so that there is time to see it and stop it.

import os

import pyatspi

import hirckiosk as hk

CARD = r'''#!/bin/sh
# espeak-ng on a pretend sound card: records the device, this process and the words, has the
# real espeak-ng say them into the device, then plays for as long as the speech lasts.
if [ "$1" = --voices ]; then exec '%(real)s' --voices; fi
device=default
previous=
for argument in "$@"; do
  if [ "$previous" = -d ]; then device=$argument; fi
  previous=$argument
done
name='%(log)s'/$(date +%%s%%N)-$$
cat > "$name.words"
'%(real)s' "$@" < "$name.words" || exit $?
{ echo "$device"; echo $$; cat "$name.words"; } > "$name.tmp"
rm "$name.words"
mv "$name.tmp" "$name.txt"
exec sleep $(( $(wc -m < "$name.txt") / %(rate)d + 1 ))
'''


class SoundCard:
    def __init__(self, kiosk, chars_per_second):
        self.log = os.path.join(kiosk.root, 'spoken')
        bin_dir = os.path.join(kiosk.root, 'bin')
        os.makedirs(self.log)
        os.makedirs(bin_dir)
        real = [os.path.join(d, 'espeak-ng') for d in os.environ['PATH'].split(':')
                if os.access(os.path.join(d, 'espeak-ng'), os.X_OK)][0]
        script = os.path.join(bin_dir, 'espeak-ng')
        with open(script, 'w') as f:
            f.write(CARD % {'real': real, 'log': self.log, 'rate': chars_per_second})
        os.chmod(script, 0o700)
        kiosk.extra_env.update({'PATH': bin_dir + ':' + os.environ['PATH'],
                                'HIRC_SPEECH_SINK': 'null'})

    def requests(self):
        found = []
        for name in sorted(n for n in os.listdir(self.log) if n.endswith('.txt')):
            with open(os.path.join(self.log, name)) as f:
                device, pid, words = f.read().split('\n', 2)
            found.append((device, int(pid), words))
        return found

    def wait(self, count, k):
        """The count-th request (from 1), once it has been made."""
        return k.wait_for(lambda: len(self.requests()) >= count and self.requests()[count - 1],
                          15, 'request %d to the sound card' % count)


def utterances(words):
    """What was said, one item for each label or field read."""
    return [u.strip() for u in words.split('\n\n') if u.strip()]


def gone(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] == 'Z'
    except FileNotFoundError:
        return True


def read_aloud(k, name='Read aloud'):
    return k.find(pyatspi.ROLE_PUSH_BUTTON, name)


def start_reading(k, card, count, heading):
    """Presses Read aloud; returns the request it made, which starts with heading."""
    k.tap(read_aloud(k))
    read_aloud(k, 'Stop reading')
    device, pid, words = card.wait(count, k)
    hk.check(words.startswith(heading + '\n'), 'reading "%s" began with %r'
             % (heading, words[:80]))
    hk.check(not gone(pid), 'the speech ended before it could be stopped')
    return device, pid, words


def stopped(k, pid, what):
    k.wait_for(lambda: gone(pid), 5, 'the speech to stop after %s' % what)
    read_aloud(k)
    hk.log('ok - %s stopped the reading' % what)
