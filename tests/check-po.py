#!/usr/bin/env python3
"""Checks of the translation catalogues, one per mode, each a meson test in the 'po' suite.

  check-po.py catalogues SRCDIR   every offered language has a catalogue in LINGUAS, and each,
                                  merged with a template extracted from the sources now,
                                  compiles with msgfmt --check: 0 untranslated, 0 fuzzy, and a
                                  header saying it awaits review by a native speaker
  check-po.py potfiles SRCDIR     every source file with translatable strings is in POTFILES.in
  check-po.py pofilter SRCDIR     translate-toolkit's pofilter finds nothing but the exceptions
                                  listed, with reasons, in po/pofilter-exceptions.txt
  check-po.py taxonomy SRCDIR     po/taxonomy-default-strings.c is in step with the taxonomy
"""
import os
import re
import subprocess
import sys
import tempfile

# The languages the kiosk offers besides its English source (the list).
OFFERED = ["en@easyread", "cy", "pl", "ro", "pt", "es", "lt", "bg", "uk", "ru",
           "pa", "bn", "gu", "so", "ur", "ar", "fa", "ps"]

# doublespacing is left out: the operator's --status lines pad their labels into a column, and
# each catalogue pads to its own labels' widths.
POFILTER_CHECKS = ["variables", "printf", "escapes", "newlines", "xmltags", "brackets",
                   "endpunc", "unchanged"]

REVIEW_NOTE = "awaits review by a native speaker in the partnership"

# Messages in this context (ui/hirc-easy-read.c) only Easy Read English needs.
EASY_READ = "en@easyread"
EASY_READ_CONTEXT = "Easy Read picture"

TRANSLATABLE = re.compile(r'(\b(N_|_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\()'
                          r'|translatable="yes"')


def linguas(srcdir):
    with open(os.path.join(srcdir, "po", "LINGUAS"), encoding="utf-8") as f:
        return [w for line in f for w in line.split("#")[0].split()]


# As meson's i18n 'glib' preset extracts them.
XGETTEXT_ARGS = ["--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
                 "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
                 "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
                 "--keyword=ngettext:1,2"]


def fresh_template(srcdir, scratch):
    """The template as the sources are now, so that a catalogue made from an older one shows
    the messages it lacks."""
    pot = os.path.join(scratch, "fresh.pot")
    subprocess.run(["xgettext", "--files-from=" + os.path.join(srcdir, "po", "POTFILES.in"),
                    "--directory=" + srcdir, "-o", pot] + XGETTEXT_ARGS,
                   check=True, capture_output=True)
    return pot


def check_catalogues(srcdir):
    with tempfile.TemporaryDirectory() as scratch:
        return check_catalogues_against(srcdir, fresh_template(srcdir, scratch), scratch)


def check_catalogues_against(srcdir, pot, scratch):
    problems = []
    listed = linguas(srcdir)
    for code in OFFERED:
        if code not in listed:
            problems.append(f"{code}: no catalogue listed in po/LINGUAS")
    for code in listed:
        path = os.path.join(srcdir, "po", code + ".po")
        if not os.path.exists(path):
            problems.append(f"{code}: po/LINGUAS lists it but po/{code}.po does not exist")
            continue
        merged = os.path.join(scratch, code + ".po")
        subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, path, pot],
                       check=True, capture_output=True)
        # The descriptions of Easy Read's pictures are only ever shown in Easy Read English.
        if code != EASY_READ:
            subprocess.run(["msggrep", "--invert-match", "--msgctxt", "--regexp",
                            "^" + EASY_READ_CONTEXT + "$", "-o", merged, merged],
                           check=True, capture_output=True)
        result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, merged],
                                capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
        statistics = result.stderr.strip()
        print(f"# {code}: {statistics}")
        if result.returncode != 0:
            problems.append(f"{code}: msgfmt --check failed:\n{statistics}")
        elif "untranslated" in statistics or "fuzzy" in statistics:
            problems.append(f"{code}: not fully translated: {statistics}")
        with open(path, encoding="utf-8") as f:
            head = f.read(4000)
        if REVIEW_NOTE not in head:
            problems.append(f"{code}: the header does not say it {REVIEW_NOTE}")
    return problems


def check_potfiles(srcdir):
    with open(os.path.join(srcdir, "po", "POTFILES.in"), encoding="utf-8") as f:
        listed = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    problems = [f"po/POTFILES.in lists {p}, which does not exist"
                for p in sorted(listed) if not os.path.exists(os.path.join(srcdir, p))]
    for layer in ("app", "ui", "sync", "crypto"):
        for root, _, files in os.walk(os.path.join(srcdir, layer)):
            for name in sorted(files):
                if not name.endswith((".c", ".ui")):
                    continue
                path = os.path.join(root, name)
                relative = os.path.relpath(path, srcdir)
                with open(path, encoding="utf-8") as f:
                    if TRANSLATABLE.search(f.read()) and relative not in listed:
                        problems.append(f"{relative} has translatable strings but is not in "
                                        "po/POTFILES.in")
    return problems


def read_exceptions(srcdir):
    """Lines 'code<TAB>check<TAB>msgid<TAB>reason'; the msgid as in the catalogue."""
    exceptions = set()
    path = os.path.join(srcdir, "po", "pofilter-exceptions.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.rstrip("\n").split("\t")
                if len(fields) != 4 or not fields[3].strip():
                    raise SystemExit(f"po/pofilter-exceptions.txt:{number}: want code, check, "
                                     "msgid and a reason, separated by tabs")
                exceptions.add((fields[0], fields[1], fields[2]))
    return exceptions


def pofilter_findings(path, code):
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "found.po")
        # The language lets pofilter know, for example, that Bengali and Punjabi end sentences
        # with a danda.
        args = ["pofilter", "--nofuzzy", "--progress=none", "--language=" + code.split("@")[0]]
        for check in POFILTER_CHECKS:
            args += ["-t", check]
        subprocess.run(args + [path, out], check=True, capture_output=True)
        if not os.path.exists(out):
            return []
        with open(out, encoding="utf-8") as f:
            text = f.read()
    findings = []
    for entry in text.split("\n\n"):
        checks = re.findall(r"\(pofilter\) (\w+):", entry)
        msgid = re.search(r'^msgid "(.*)"', entry, re.M)
        continued = re.findall(r'^"(.*)"', entry.split("msgstr")[0], re.M)
        if not checks or not msgid:
            continue
        full = msgid.group(1) + "".join(continued)
        findings += [(check, full) for check in checks]
    return findings


def check_pofilter(srcdir):
    exceptions = read_exceptions(srcdir)
    problems = []
    for code in linguas(srcdir):
        path = os.path.join(srcdir, "po", code + ".po")
        if not os.path.exists(path):
            continue
        for check, msgid in pofilter_findings(path, code):
            if (code, check, msgid) not in exceptions:
                problems.append(f"{code}: pofilter {check}: \"{msgid[:90]}\"")
    return problems


def check_taxonomy(srcdir):
    result = subprocess.run([sys.executable, os.path.join(srcdir, "po", "taxonomy-strings.py"),
                             "--check", os.path.join(srcdir, "app", "taxonomy-default.json"),
                             os.path.join(srcdir, "po", "taxonomy-default-strings.c")],
                            capture_output=True, text=True)
    return [result.stderr.strip()] if result.returncode != 0 else []


CHECKS = {
    "catalogues": check_catalogues,
    "potfiles": check_potfiles,
    "pofilter": check_pofilter,
    "taxonomy": check_taxonomy,
}


def main(argv):
    if len(argv) != 2 or argv[0] not in CHECKS:
        sys.stderr.write(__doc__)
        return 2
    problems = CHECKS[argv[0]](argv[1])
    for problem in problems:
        print(problem)
    print(f"{argv[0]}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
