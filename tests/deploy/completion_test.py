"""rebookctl's bash completion (deploy/rebookctl.bash-completion) completes every subcommand
rebookctl knows, at every level, and the global flags everywhere. The list of subcommands comes
from `rebookctl ... --help` (CLI11's "Subcommands:" sections), not from the completer itself.

Environment: REBOOK_BIN_DIR. Usage: completion_test.py COMPLETION_SCRIPT
"""
import os
import re
import subprocess
import sys

BIN = os.environ["REBOOK_BIN_DIR"]
CTL = os.path.join(BIN, "rebookctl")
GLOBAL_FLAGS = {"--server", "--token", "--token-file", "--timeout", "--json", "--help"}


def subcommands(path):
    text = subprocess.run([CTL, *path, "--help"], capture_output=True, text=True,
                          timeout=30).stdout
    if "Subcommands:" not in text:
        return []
    section = text.split("Subcommands:", 1)[1]
    names = []
    for line in section.splitlines()[1:] if section.startswith("\n") else section.splitlines():
        match = re.match(r"^  ([\w-]+)(,|\s|$)", line)  # "appointments, appointment  ..."
        if match:
            names.append(match.group(1))
        elif line.strip() and not line.startswith(" "):
            break
    return names


def complete(script, words):
    """COMPREPLY of _rebookctl with the cursor on the last of `words`."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in [CTL, *words])
    program = (f"source '{script}'; COMP_WORDS=({quoted}); COMP_CWORD={len(words)}; "
               "_rebookctl; printf '%s\\n' \"${COMPREPLY[@]}\"")
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return set(filter(None, result.stdout.split("\n")))


def main():
    script = sys.argv[1]
    failures, checked = [], 0
    queue = [[]]
    while queue:
        path = queue.pop()
        assert len(path) <= 4, f"subcommands nest implausibly deep: {path}"
        names = subcommands(path)
        offered = complete(script, [*path, ""])
        for name in names:
            checked += 1
            if name not in offered:
                failures.append(f"'rebookctl {' '.join(path)} <TAB>' does not offer {name}")
            queue.append([*path, name])
        missing_flags = GLOBAL_FLAGS - offered
        if missing_flags:
            failures.append(f"'rebookctl {' '.join(path)} <TAB>' misses {sorted(missing_flags)}")
    assert checked >= 10, f"only {checked} subcommands found in --help"
    # A typed prefix filters, and a global flag's value is skipped on the way down.
    if complete(script, ["--server", "127.0.0.1:1", "outa"]) != {"outage"}:
        failures.append("'--server X outa<TAB>' is not exactly 'outage'")
    if not complete(script, ["outage", "--json", "--tok"]) >= {"--token", "--token-file"}:
        failures.append("'outage --json --tok<TAB>' misses --token/--token-file")
    for failure in failures:
        print("FAIL:", failure)
    print(f"completion_test: {checked} subcommands checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
