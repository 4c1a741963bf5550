# SPDX-License-Identifier: GPL-3.0-or-later
# test-canary.py: a canary typed into the description never reaches the disk, and after the
# report is sent (and, separately, after "Leave now") no kiosk process still holds it in
# memory: core dumps (gcore) of the supervisor and of every session running then are searched
# for it. The session that held it has exited; that is the kiosk's design.

import base64
import os
import subprocess

import hirckiosk as hk

START = 'Tell us about a hate incident'
CHUNK = 16 * 1024 * 1024


def file_contains(path, needle):
    with open(path, 'rb') as f:
        tail = b''
        while True:
            block = f.read(CHUNK)
            if not block:
                return False
            if needle in tail + block:
                return True
            tail = block[-len(needle):]


def files_containing(roots, needle, skip=()):
    found = []
    for root in roots:
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                if path in skip or not os.path.isfile(path) or os.path.islink(path):
                    continue
                try:
                    if file_contains(path, needle):
                        found.append(path)
                except OSError:
                    pass
    return found


def memory_contains(pid, needle):
    """Searches a live process's mapped memory through /proc, skipping mappings over 1 GiB:
    under AddressSanitizer those are its shadow memory, terabytes of address space that gcore
    cannot dump in reasonable time and that never hold program data."""
    with open('/proc/%d/maps' % pid) as maps, open('/proc/%d/mem' % pid, 'rb', 0) as mem:
        for line in maps:
            span, perms = line.split()[:2]
            start, end = (int(x, 16) for x in span.split('-'))
            if 'r' not in perms or end - start > (1 << 30):
                continue
            tail = b''
            for offset in range(start, end, CHUNK):
                try:
                    mem.seek(offset)
                    data = mem.read(min(CHUNK, end - offset))
                except OSError:
                    break
                if needle in tail + data:
                    return True
                tail = data[-len(needle):]
    return False


def cores_containing(k, needle):
    """Dumps the supervisor and every session it runs, one at a time, and searches each."""
    pids = [k.process.pid] + k.session_pids()
    found = []
    if os.environ.get('HIRC_SANITIZED'):
        hk.log('built with sanitizers: searching live memory through /proc instead of gcore')
        return pids, [pid for pid in pids if memory_contains(pid, needle)]
    for pid in pids:
        prefix = os.path.join(k.root, 'core')
        path = '%s.%d' % (prefix, pid)
        out = subprocess.run(['gcore', '-o', prefix, str(pid)], capture_output=True, text=True,
                             timeout=120)
        hk.check(os.path.exists(path), 'gcore could not dump %d: %s' % (pid, out.stderr))
        try:
            if file_contains(path, needle):
                found.append(pid)
        finally:
            os.unlink(path)
    return pids, found


def to_description(k):
    k.next_page('Who is making this report?', 'Report a hate incident')
    k.choose('I saw it happen')
    k.next_page('What happened?')
    k.choose('Graffiti')
    k.next_page('Why do you think it happened?')
    k.choose("I'm not sure")
    k.next_page(None)
    while k.heading() != 'Tell us what happened, in your own words':
        k.next_page(None)


def test(make):
    k = make('canary', env={'HIRC_ALLOW_CORE_DUMPS': '1'})
    canary = 'CANARY-' + base64.b32encode(os.urandom(10)).decode()
    needle = canary.encode()
    k.start()

    # Sent, then finished.
    to_description(k)
    k.type_into('Tell us what happened, in your own words', 'It said %s on the wall' % canary)
    while k.heading() != 'Check your answers':
        k.next_page(None)
    k.next_page('Your report has been saved', 'Send report')
    old = k.app_pid()
    k.press('Finish')
    k.wait_new_session(old, START)
    k.wait_for(lambda: len(k.session_pids()) == 2, 30, 'the next standby session')

    on_disk = files_containing([k.root, '/dev/shm'], needle)
    hk.check(not on_disk, 'the canary reached the disk: %s' % on_disk)
    reports = k.outbox()
    hk.check(len(reports) == 1 and canary in reports[0]['description'],
             'the canary is not in the sealed report')
    pids, found = cores_containing(k, needle)
    hk.check(not found, 'after sending, the canary is in the memory of %s' % found)
    hk.log('after sending: the canary is in no file and in none of %d processes' % len(pids))

    # Typed, then left.
    canary = 'CANARY-' + base64.b32encode(os.urandom(10)).decode()
    needle = canary.encode()
    to_description(k)
    k.type_into('Tell us what happened, in your own words', 'It said %s on the door' % canary)
    old = k.app_pid()
    # A positive control: while the canary is on screen, the search must find it in the session
    # showing it, or finding nothing elsewhere would prove nothing.
    pids, found = cores_containing(k, needle)
    hk.check(old in found, 'the memory search missed the canary in the session showing it')
    k.press('Leave now')
    k.wait_new_session(old, START)
    k.wait_for(lambda: len(k.session_pids()) == 2, 30, 'the next standby session')
    on_disk = files_containing([k.root, '/dev/shm'], needle)
    hk.check(not on_disk, 'the canary reached the disk: %s' % on_disk)
    pids, found = cores_containing(k, needle)
    hk.check(not found, 'after "Leave now", the canary is in the memory of %s' % found)
    hk.log('after Leave now: the canary is in no file and in none of %d processes' % len(pids))


hk.run(test)
