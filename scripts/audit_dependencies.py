"""`make audit`: check the locked packages for known vulnerabilities, and say so plainly when it can't.

pip-audit asks PyPI's advisory API about every pin in requirements.lock. On a machine without
internet access it cannot: it then reports each package as "not found" and exits 0, which reads
like a clean bill of health. This wrapper tells the three outcomes apart: audited and clean (exit
0), vulnerabilities found (exit 1), and not audited because the database was out of reach (exit 2).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOCK_FILE = Path(__file__).resolve().parent.parent / "requirements.lock"


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--disable-pip",
        "--no-deps",
        "--requirement",
        str(LOCK_FILE),
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        reason = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"Dependency audit NOT done: pip-audit could not run ({reason}).")
        return 2
    packages = report.get("dependencies", [])
    unchecked = [p for p in packages if "skip_reason" in p]
    if packages and len(unchecked) == len(packages):
        print(
            f"Dependency audit NOT done: the vulnerability database (PyPI's advisory API) could not "
            f"be reached, so none of the {len(packages)} locked packages was checked. This says "
            "nothing about their safety; run `make audit` on a machine with internet access."
        )
        return 2
    vulnerable = [p for p in packages if p.get("vulns")]
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            print(f"{package['name']} {package['version']}: {vuln['id']} (fixed in {fixed})")
    if unchecked:
        names = ", ".join(p["name"] for p in unchecked)
        print(f"Not checked ({len(unchecked)}): {names}")
    if vulnerable:
        print(f"{len(vulnerable)} of {len(packages)} locked packages have known vulnerabilities.")
        return 1
    print(f"No known vulnerabilities in the {len(packages) - len(unchecked)} packages checked.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
