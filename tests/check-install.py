#!/usr/bin/env python3
"""`meson install` into a scratch folder, then check what a real kiosk needs is in place and
valid: both programs, the translations, the desktop file, the AppStream metainfo, the icon,
the systemd units (and their hardening exposure) and the system user.

    check-install.py BUILDDIR
"""
import glob
import os
import subprocess
import sys
import tempfile

# systemd-analyze security's exposure, 0 (locked down) to 10; above these a unit has lost some
# of its hardening. The figures measured are in the README.
EXPOSURE_LIMITS = {"hirc-kiosk.service": 2.0, "hirc-sync.service": 2.0}


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    return result.returncode, result.stdout + result.stderr


def main(build_dir):
    problems = []
    with tempfile.TemporaryDirectory(prefix="hirc-install-") as dest:
        code, out = run(["meson", "install", "-C", build_dir, "--no-rebuild", "--quiet",
                         "--destdir", dest])
        if code != 0:
            print(out)
            return 1
        prefix = glob.glob(os.path.join(dest, "**", "bin", "hirc-kiosk"), recursive=True)
        if not prefix:
            print("hirc-kiosk was not installed")
            return 1
        root = os.path.dirname(os.path.dirname(prefix[0]))

        def need(relative):
            path = os.path.join(root, relative)
            if not os.path.exists(path):
                problems.append(f"not installed: {relative}")
            return path

        for program in ("hirc-kiosk", "hirc-sync", "hirc-intake"):
            need(os.path.join("bin", program))
        with open(os.path.join(os.path.dirname(__file__), "..", "po", "LINGUAS"),
                  encoding="utf-8") as f:
            languages = [w for line in f for w in line.split("#")[0].split()]
        for code in languages:
            need(os.path.join("share", "locale", code, "LC_MESSAGES", "hirc-kiosk.mo"))
        need(os.path.join("share", "icons", "hicolor", "scalable", "apps", "org.hirc.Kiosk.svg"))
        need(os.path.join("lib", "sysusers.d", "hirc-kiosk.conf"))

        desktop = need(os.path.join("share", "applications", "org.hirc.Kiosk.desktop"))
        code, out = run(["desktop-file-validate", desktop])
        print(f"# desktop-file-validate: {out.strip() or 'valid'}")
        if code != 0 or out.strip():
            problems.append(f"the desktop file is not valid:\n{out}")

        metainfo = need(os.path.join("share", "metainfo", "org.hirc.Kiosk.metainfo.xml"))
        code, out = run(["appstreamcli", "validate", "--no-net", "--explain", metainfo])
        print("# appstreamcli: " + out.strip().replace("\n", "\n# "))
        if code != 0:
            problems.append(f"the AppStream metainfo is not valid:\n{out}")

        for unit, limit in EXPOSURE_LIMITS.items():
            path = need(os.path.join("lib", "systemd", "system", unit))
            code, out = run(["systemd-analyze", "security", "--offline=true", path])
            overall = [line for line in out.splitlines() if "Overall exposure" in line]
            if not overall:
                problems.append(f"systemd-analyze security gave no score for {unit}:\n{out}")
                continue
            print("# " + overall[0].strip())
            score = float(overall[0].split(":")[1].split()[0])
            if score > limit:
                problems.append(f"{unit}: exposure {score} is above {limit}")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if "Restart=always" not in text or "User=hirc-kiosk" not in text:
                problems.append(f"{unit} must restart by itself and run as hirc-kiosk")
        with open(os.path.join(root, "lib", "systemd", "system", "hirc-kiosk.service"),
                  encoding="utf-8") as f:
            kiosk_unit = f.read()
        for setting in ("PrivateNetwork=yes", "RestrictAddressFamilies=AF_UNIX", "IPAddressDeny=any"):
            if setting not in kiosk_unit:
                problems.append(f"the window's unit lacks {setting}: it must have no network")
        with open(os.path.join(root, "lib", "systemd", "system", "hirc-sync.service"),
                  encoding="utf-8") as f:
            sync_unit = f.read()
        for setting in ("InaccessiblePaths=-/var/lib/hirc-kiosk/keys", "ProtectSystem=strict",
                        "NoNewPrivileges=yes", "MemoryDenyWriteExecute=yes"):
            if setting not in sync_unit:
                problems.append(f"the sync service's unit lacks {setting}")

    for problem in problems:
        print(problem)
    print(f"install: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
