# SPDX-License-Identifier: GPL-3.0-or-later
# bench-kiosk.py: the kiosk window's benchmarks, run under Xvfb with a session bus (see
# tests/bench/meson.build):
#   start     exec to the start page's first painted frame, beside a minimal GTK4 window with
#             the same renderer, alternating, 10 runs each (target: at most 1.5x the minimal)
#   reset     "Leave now" to the next start page's first frame, 10 times (target: 300 ms)
#   memory    RSS of the supervisor and of the session on screen after the first and after the
#             200th report cycle (start, minimal report, send, finish) (target: 5% growth)
#   idle-cpu  CPU used by every kiosk process over 60 s with the start page showing (target:
#             1% of one core)
# Each prints its figures and whether the target is met.

import os
import statistics
import subprocess
import sys
import time

import hirckiosk as hk

START = 'Tell us about a hate incident'


def monotonic_us():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


def first_frame(text):
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[:2] == ['hirc-timing:', 'first-frame']:
            return int(parts[2])
    return None


def verdict(met):
    return 'target met' if met else 'TARGET MISSED'


def bench_start(make):
    runs = 10
    minimal, kiosk = [], []
    k = make('start')
    for _ in range(runs):
        began = monotonic_us()
        out = subprocess.run([os.environ['HIRC_MINIMAL_WINDOW'], '1920', '1080'],
                             capture_output=True, text=True, timeout=60)
        minimal.append((first_frame(out.stderr) - began) / 1000)

        k.process = None
        began = monotonic_us()
        k.launch()
        frame = k.wait_for(lambda: first_frame(k.log_text()), 60, 'the first frame')
        kiosk.append((frame - began) / 1000)
        k.stop()
        time.sleep(0.5)

    m, s = statistics.median(minimal), statistics.median(kiosk)
    hk.log('start, exec to first frame (ms), %d runs each, renderer %s:' %
           (runs, os.environ.get('GSK_RENDERER', 'cairo')))
    hk.log('  minimal GTK4 window: median %.0f, min %.0f, max %.0f' %
           (m, min(minimal), max(minimal)))
    hk.log('  hirc-kiosk:          median %.0f, min %.0f, max %.0f' % (s, min(kiosk), max(kiosk)))
    hk.log('  ratio %.2f (target at most 1.50): %s' % (s / m, verdict(s / m <= 1.5)))


def bench_reset(make):
    runs = 10
    resets = []
    k = make('reset')
    k.start()
    for _ in range(runs):
        # The next reporter does not arrive the same instant: let the standby get ready.
        k.wait_for(lambda: len(k.session_pids()) == 2, 30, 'the standby session')
        time.sleep(2)
        k.next_page('Who is making this report?', 'Report a hate incident')
        k.choose('I saw it happen')
        mark = monotonic_us()
        old = k.app_pid()
        k.press('Leave now')
        k.wait_new_session(old, START)
        leave = min(t for t in k.timings('leave') if t > mark)
        frame = min(t for t in k.timings('first-frame') if t > leave)
        resets.append((frame - leave) / 1000)
    hk.log('reset, "Leave now" to the next start page\'s first frame (ms), %d runs:' % runs)
    hk.log('  median %.0f, min %.0f, max %.0f (target at most 300): %s' %
           (statistics.median(resets), min(resets), max(resets), verdict(max(resets) <= 300)))


def rss_kib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def report_cycle(k):
    """One minimal report, sent, then Finish; returns the RSS of the session on screen at the
    confirmation (KiB)."""
    k.next_page('Who is making this report?', 'Report a hate incident')
    k.choose('It happened to me')
    k.next_page('What happened?')
    k.choose('Graffiti')
    k.next_page('Why do you think it happened?')
    k.choose("I'm not sure")
    k.next_page(None)
    while k.heading() != 'Tell us what happened, in your own words':
        k.next_page(None)
    k.type_into('Tell us what happened, in your own words', 'Stickers on the bus shelter.')
    while k.heading() != 'Check your answers':
        k.next_page(None)
    k.next_page('Your report has been saved', 'Send report')
    session = k.app_pid()
    rss = rss_kib(session)
    k.press('Finish')
    k.wait_new_session(session, START)
    return rss


def bench_memory(make):
    cycles = int(os.environ.get('HIRC_BENCH_CYCLES', '200'))
    k = make('memory')
    k.start()
    began = time.monotonic()
    session_first = report_cycle(k)
    supervisor_first = rss_kib(k.process.pid)
    session_last = session_first
    for i in range(2, cycles + 1):
        session_last = report_cycle(k)
        if i % 20 == 0:
            hk.log('  %d cycles, %.0f s' % (i, time.monotonic() - began))
    supervisor_last = rss_kib(k.process.pid)
    reports = k.outbox()
    hk.check(len(reports) == cycles, 'the outbox holds %d reports, not %d' %
             (len(reports), cycles))

    def growth(first, last):
        return 100.0 * (last - first) / first

    g_super = growth(supervisor_first, supervisor_last)
    g_session = growth(session_first, session_last)
    hk.log('memory, RSS (KiB) after report cycle 1 and after cycle %d:' % cycles)
    hk.log('  supervisor:         %d -> %d (%+.1f%%)' % (supervisor_first, supervisor_last,
                                                        g_super))
    hk.log('  session on screen:  %d -> %d (%+.1f%%), a new process for each reporter' %
           (session_first, session_last, g_session))
    hk.log('  target at most +5%%: %s' % verdict(g_super <= 5 and g_session <= 5))


def cpu_ticks(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    # utime and stime are fields 14 and 15 of the line; 12 and 13 after the command.
    return int(fields[11]) + int(fields[12])


def bench_idle_cpu(make):
    seconds = 60
    k = make('idle-cpu')
    k.start()
    k.wait_for(lambda: len(k.session_pids()) == 2, 30, 'the standby session')
    time.sleep(3)
    pids = [k.process.pid] + k.session_pids()
    before = {pid: cpu_ticks(pid) for pid in pids}
    time.sleep(seconds)
    after = {pid: cpu_ticks(pid) for pid in pids}
    hz = os.sysconf('SC_CLK_TCK')
    names = ['supervisor', 'session on screen', 'standby session']
    hk.log('idle CPU over %d s with the start page showing (%% of one core):' % seconds)
    total = 0.0
    for name, pid in zip(names, pids):
        share = 100.0 * (after[pid] - before[pid]) / hz / seconds
        total += share
        hk.log('  %-18s %.2f%%' % (name, share))
    hk.log('  all kiosk processes %.2f%% (target at most 1%%): %s' % (total, verdict(total <= 1)))
    hk.check(k.heading() == START, 'the start page went away while idle')


BENCHMARKS = {
    'start': bench_start,
    'reset': bench_reset,
    'memory': bench_memory,
    'idle-cpu': bench_idle_cpu,
}

if len(sys.argv) != 2 or sys.argv[1] not in BENCHMARKS:
    sys.exit('usage: bench-kiosk.py %s' % '|'.join(BENCHMARKS))
hk.run(BENCHMARKS[sys.argv[1]])
