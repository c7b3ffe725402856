#!/usr/bin/env python3
"""Runs the documented walk-through as a new user would, so the documents and what works cannot drift
apart.

The run command comes from README.md: the first `mvn ... quarkus:run` line of the first ```sh block
under "## The two commands". Everything else comes from the documents' HTML comments (invisible when
rendered), wherever they are: README.md first, then every docs/*.md in name order, each file searched
on its own and the sections found joined in that order (today they are all in docs/walkthrough.md).
A marker counts only on a line of its own, so a document may mention one in its text:
  <!-- ci:meta-standin --> ... <!-- /ci -->  the Meta stand-in, started in the background;
  <!-- ci:start --> ... <!-- /ci -->         the walk-through's start command, which must end with
                                             the run command of "The two commands";
  <!-- ci:steps --> ... <!-- /ci -->         the curl walk-through, run in order in one shell.

In the steps, the comment lines right under a command that begin with `{`, `[` or a digit are the
output the documents promise: the command's output must match them, where `...` stands for anything
and whitespace is ignored. Then the service is stopped as the README says (Ctrl+C: SIGINT to the
whole process group, as a terminal sends it) and must exit cleanly: within a minute, every process of
the group gone, the embedded PostgreSQL stopped, and a console without ERROR, FATAL or a WARN the
user cannot act on.

Usage: python3 .ci/readme-walkthrough.py   (from the repository root; needs curl and python3)
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

README = "README.md"
DOCS = "docs/*.md"
SERVICE = "http://localhost:8080"
READY_DEADLINE_S = 25 * 60   # the first run builds everything, Maven downloads included
STOP_DEADLINE_S = 60
LOG_DIR = "target/walkthrough"

# Console lines allowed at WARN level, each with the reason a user can (or need not) act on it.
ALLOWED_WARNINGS = [
    # The service's own: a first start generates the token encryption key; the user must back it up.
    (r"io\.wabasync\.channel\.TokenCipher", r"No encryption key configured"),
    # Maven 3.8 loads the Quarkus plugin's build extension in a realm of its own, so the plugin does
    # not see it enabled although the POM enables it (<extensions>true</extensions>); build-time only.
    (r"^\[WARNING\] ", r"The Maven extensions for the Quarkus Maven plugin are not enabled"),
]


def fail(message):
    print(f"README walk-through: FAILED: {message}", flush=True)
    sys.exit(1)


def documents():
    """README.md, then docs/*.md in name order: (path, text) pairs, the order the sections are joined in."""
    paths = [README] + sorted(glob.glob(DOCS))
    return [(path, open(path, encoding="utf-8").read()) for path in paths]


def section(docs, name):
    """The text of every <!-- ci:name --> ... <!-- /ci --> section, file by file, joined."""
    pattern = r"(?ms)^<!-- ci:%s -->$(.*?)^<!-- /ci -->$" % re.escape(name)
    found = [part for _, text in docs for part in re.findall(pattern, text)]
    if not found:
        fail(f"no <!-- ci:{name} --> section in {', '.join(path for path, _ in docs)}")
    return "\n".join(found)


def sh_blocks(text):
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def run_command_of_readme(text):
    """The run command shown first, under "The two commands"."""
    part = text.split("## The two commands", 1)
    if len(part) < 2:
        fail('README.md has no "## The two commands" section')
    for line in sh_blocks(part[1])[0].splitlines():
        if line.startswith("mvn ") and "quarkus:run" in line:
            return line.split("#", 1)[0].strip()
    fail('"The two commands" shows no mvn … quarkus:run line')


def commands_with_expectations(block):
    """Splits a block into (command, expected output or None), in order."""
    items, command, expected, lines = [], None, None, block.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            command = None
            i += 1
            continue
        if stripped.startswith("#"):
            body = stripped[1:]
            starts_output = re.match(r" [\[{0-9]", body) is not None
            continues_output = expected is not None and re.match(r"  +\S", body) is not None
            if command is not None and (starts_output or continues_output):
                if items[-1][1] is None:
                    items[-1] = (items[-1][0], "")
                items[-1] = (items[-1][0], items[-1][1] + body)
                expected = items[-1][1]
            else:
                expected = None
            i += 1
            continue
        text = line
        while text.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            text += "\n" + lines[i]
        items.append((text, None))
        command, expected = text, None
        i += 1
    return items


def matches(expected, actual):
    want = re.sub(r"\s+", "", expected)
    got = re.sub(r"\s+", "", actual)
    pattern = ".*?".join(re.escape(part) for part in want.split("..."))
    return re.fullmatch(pattern, got, re.S) is not None


def ready():
    try:
        with urllib.request.urlopen(SERVICE + "/q/health/ready", timeout=2) as answer:
            return answer.status == 200
    except Exception:
        return False


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def console_problems(log_text):
    problems = []
    for line in log_text.splitlines():
        level, logger, message = None, "", line
        if line.startswith("{"):
            try:
                entry = json.loads(line)
                level, logger = entry.get("level"), entry.get("loggerName", "")
                message = entry.get("message", "") + " " + json.dumps(entry.get("exception", ""))
            except ValueError:
                pass
        else:
            m = re.search(r"\b(ERROR|WARN|WARNING|FATAL)\b", line)
            level = m.group(1) if m else None
            logger = line
        text = f"{logger} {message}"
        if "FATAL" in text or re.search(r"[Cc]onnection refused", text):
            problems.append(line)
        elif level in ("ERROR", "FATAL", "SEVERE"):
            problems.append(line)
        elif level in ("WARN", "WARNING"):
            if not any(re.search(who, logger) and re.search(what, message) for who, what in ALLOWED_WARNINGS):
                problems.append(line)
    return problems


def stop_left_postgres():
    """After a failure: a PostgreSQL left running would hold its port for the test suite after us."""
    pid_file = "data/postgres/postmaster.pid"
    if not os.path.exists(pid_file):
        return
    try:
        os.kill(int(open(pid_file).readline()), signal.SIGINT)
        for _ in range(100):
            if not os.path.exists(pid_file):
                break
            time.sleep(0.1)
    except (ValueError, ProcessLookupError):
        pass


def main():
    if not os.path.exists(README):
        fail("run it from the repository root")
    docs = documents()
    run_command = run_command_of_readme(docs[0][1])
    start_blocks = sh_blocks(section(docs, "start"))
    start = " ".join(l.rstrip("\\").strip() for l in start_blocks[0].splitlines()
                     if l.strip() and not l.strip().startswith("#"))
    if not start.endswith(run_command):
        fail(f"the walk-through starts the service with `{start}`, not with the run command `{run_command}`")
    steps = [c for block in sh_blocks(section(docs, "steps")) for c in commands_with_expectations(block)]
    checked = sum(1 for _, e in steps if e is not None)
    if checked == 0:
        fail("the walk-through's steps show no expected output to check")
    sources = ", ".join(path for path, text in docs if re.search(r"(?m)^<!-- ci:", text))
    print(f"README walk-through: sections from {sources}; run command `{run_command}`; {len(steps)} commands, "
          f"{checked} with output to check", flush=True)

    os.makedirs(LOG_DIR, exist_ok=True)
    had_data = os.path.exists("data")
    standin = subprocess.Popen(["bash", "-c", "\n".join(sh_blocks(section(docs, "meta-standin")))],
                               start_new_session=True, stdout=open(f"{LOG_DIR}/meta-standin.log", "w"),
                               stderr=subprocess.STDOUT)
    console_path = f"{LOG_DIR}/service-console.log"
    console = open(console_path, "w")
    service = subprocess.Popen(["bash", "-c", start], start_new_session=True, stdout=console,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        began = time.monotonic()
        while not ready():
            if service.poll() is not None:
                fail(f"`{start}` ended with status {service.returncode} before the service was ready "
                     f"(console in {console_path}):\n" + open(console_path).read()[-3000:])
            if time.monotonic() - began > READY_DEADLINE_S:
                fail(f"the service was not ready within {READY_DEADLINE_S} s (console in {console_path})")
            time.sleep(1)
        print(f"README walk-through: service ready after {time.monotonic() - began:.0f} s", flush=True)

        script = ["exec 2>&1"]
        for n, (command, _) in enumerate(steps):
            script += [f"printf '\\n@@step {n}@@\\n'", command]
        script.append("printf '\\n@@end@@\\n'")
        out = subprocess.run(["bash", "-c", "\n".join(script)], capture_output=True, text=True, timeout=300,
                             stdin=subprocess.DEVNULL).stdout
        outputs = re.split(r"\n@@step \d+@@\n", out.split("\n@@end@@")[0])[1:]
        if len(outputs) != len(steps):
            fail(f"the steps stopped after {len(outputs)} of {len(steps)} commands:\n{out[-2000:]}")
        for (command, expected), output in zip(steps, outputs):
            if expected is not None and not matches(expected, output):
                fail(f"\n$ {command}\nREADME promises:\n  {expected.strip()}\nthe service answered:\n  {output.strip()}")
        print(f"README walk-through: all {checked} outputs as the README shows them", flush=True)

        # "Stop the service with Ctrl+C": the terminal sends SIGINT to the whole foreground group.
        os.killpg(service.pid, signal.SIGINT)
        began = time.monotonic()
        # poll() first: it reaps the command, which would otherwise still count in its group.
        while service.poll() is None or group_alive(service.pid):
            if time.monotonic() - began > STOP_DEADLINE_S:
                fail(f"processes of the service were still running {STOP_DEADLINE_S} s after Ctrl+C")
            time.sleep(0.2)
        stopped_after = time.monotonic() - began
        status = service.returncode
        if status not in (0, 130, -signal.SIGINT):
            fail(f"after Ctrl+C `{start}` exited with status {status}, not as for an interrupted command (130)")
        if os.path.exists("data/postgres/postmaster.pid"):
            fail("the embedded PostgreSQL was left running (data/postgres/postmaster.pid is still there)")
        console.close()
        log_text = open(console_path, encoding="utf-8", errors="replace").read()
        if "stopped in" not in log_text:
            fail("the console does not show the service stopping (no 'stopped in' line)")
        problems = console_problems(log_text)
        if problems:
            fail("the console of a start and stop has lines a user cannot act on:\n" + "\n".join(problems[:20]))
        print(f"README walk-through: stopped cleanly by Ctrl+C in {stopped_after:.1f} s (status {status}), "
              f"no ERROR/FATAL and no WARN beyond the allowed ones", flush=True)
    finally:
        stop_left_postgres()
        for process in (service, standin):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if not had_data and os.path.exists("data"):
            shutil.rmtree("data", ignore_errors=True)


if __name__ == "__main__":
    main()
