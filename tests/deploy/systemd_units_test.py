"""Every systemd unit in deploy/ scores "OK" (exposure <= 4.0) in `systemd-analyze security`
(offline, on the unit file) and keeps the hardening settings docs/deploying.md promises. Skips
(ctest SKIP_RETURN_CODE 77) where systemd-analyze is absent.

Usage: systemd_units_test.py DEPLOY_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys

REQUIRED = [
    "UMask=0077", "CapabilityBoundingSet=\n", "NoNewPrivileges=true", "ProtectSystem=strict",
    "PrivateTmp=true", "ProtectKernelTunables=true", "ProtectKernelModules=true",
    "ProtectKernelLogs=true", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
    "SystemCallFilter=@system-service", "MemoryDenyWriteExecute=true", "LockPersonality=true",
    "User=rebook",
]


def main():
    deploy = sys.argv[1]
    units = sorted(glob.glob(os.path.join(deploy, "*.service")))
    assert len(units) >= 4, units
    failures = []
    for unit in units:
        text = open(unit).read()
        for setting in REQUIRED:
            if setting not in text:
                failures.append(f"{os.path.basename(unit)}: no {setting.strip()}")
    tool = shutil.which("systemd-analyze")
    if tool is None:
        print("\n".join(failures) or "settings ok")
        print("SKIP: systemd-analyze is not installed")
        return 1 if failures else 77
    for unit in units:
        result = subprocess.run([tool, "security", "--offline=true", "--no-pager", unit],
                                capture_output=True, text=True, timeout=60)
        match = re.search(r"Overall exposure level for \S+: (\d+\.\d+) (\w+)", result.stdout)
        if match is None:
            failures.append(f"{unit}: no score in {result.stdout[-300:]}{result.stderr}")
            continue
        score, verdict = float(match.group(1)), match.group(2)
        print(f"{os.path.basename(unit)}: {score} {verdict}")
        if score > 4.0 or verdict != "OK":
            failures.append(f"{os.path.basename(unit)} scores {score} {verdict}, not OK")
    timer = open(os.path.join(deploy, "rebook-batch.timer")).read()
    if "[Timer]" not in timer:
        failures.append("rebook-batch.timer has no [Timer] section")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
