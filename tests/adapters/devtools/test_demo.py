"""`circlebot demo`: the scripted season a newcomer runs first."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path

from tests.conftest import circlebot_command


def run_demo(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*circlebot_command(), "demo"], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_the_demo_plays_a_season_across_cities_and_is_deterministic(tmp_path: Path) -> None:
    first = run_demo(tmp_path)
    assert first.returncode == 0, first.stderr
    transcript = first.stdout
    # Two facilitators in two zones create circles; learners join with codes.
    assert "Detroit 10:00 AM EDT · Nairobi 5:00 PM EAT" in transcript
    assert "Your circle Python for Everyone is ready" in transcript
    assert "Your circle Digital Skills for Work is ready: 8 weekly meetings" in transcript
    assert "I couldn't find a circle with the code ABC234" in transcript
    assert "bot → Amina: Brian joined Python for Everyone." in transcript
    # After Detroit leaves DST the circle still meets at 18:00 local.
    assert "Meeting 2 of 6: Thursday, November 5, 2026 at 6:00 PM (EST)" in transcript
    # The reschedule reaches the learner through the outbox.
    assert "bot → Brian: Python for Everyone: meeting 2 has moved to Friday, Nov 6" in (transcript)
    assert "Did you mean /next?" in transcript
    # A newcomer four meetings in is never shown a past meeting, nor reminded of one.
    dana = transcript.split("Dana: /next")[1]
    assert "Meeting 5 of 6: Thursday, November 26, 2026" in dana
    assert "bot → Dana: Python for Everyone meets in" not in transcript.split("Dana: /join")[0]
    # The weekly rhythm: a reminder with RSVP choices, the digest, attendance, the check-in.
    assert (
        "bot → Brian: Python for Everyone meets in 24 hours: Thursday at 6:00 PM, "
        "at Detroit Public Library, Room 2. Will you come?\n    Reply 1 for Yes or 2 for No."
    ) in transcript
    assert "Brian: 1\n  bot → Brian: Great, see you at meeting 1" in transcript
    assert "bot → Wanjiku: Digital Skills for Work (Nairobi) has left Kenya National" in transcript
    assert "Saved: 2 of 2 learners came to meeting 1." in transcript
    assert "bot → Brian: Hi Brian! How did meeting 1 of Python for Everyone go" in transcript
    assert "(missed the last two meetings): Carlos. A friendly word might help:" in transcript
    assert "how is Python for Everyone going?" in transcript  # the nudge
    assert "At the start of Python for Everyone you said:" in transcript
    # Amina moved reminders to 48 h: the next meeting's first reminder comes two days ahead.
    assert "Python for Everyone meets in 2 days" in transcript
    # The portfolio keeps the goal, every check-in and the reflection.
    portfolio = transcript.split("Brian: /portfolio")[1].split("Amina: /digest")[0]
    assert "# Learning portfolio: Brian" in portfolio
    assert "> Write a small script that sorts the invoices at work" in portfolio
    assert "- Meeting 6, Thursday, December 3, 2026: 5 of 5" in portfolio
    # Grace uses SMS only: she joins, names herself, gets the announcement and her reply
    # reaches Wanjiru; she answers her check-in by SMS.
    assert "Grace (SMS): /name Grace" in transcript
    assert "Grace (SMS): JOIN " in transcript
    # Reports: the facilitator's summary with its chart, a calendar file, the export, a team.
    report = transcript.split("Amina: /report")[1].split("Brian: /calendar")[0]
    assert "3 meetings held of 6." in report and "[file report.png]" in report
    # A calendar is a file for an app: named, never printed as raw text.
    assert "[file python-for-everyone.ics]" in transcript
    assert "BEGIN:VCALENDAR" not in transcript
    assert "[file python-for-everyone-attendance.csv]" in transcript
    assert "bot → Wanjiku: Kenya National Library Service: 1 circle" in transcript
    assert "bot → Grace (SMS): I'm circlebot" in transcript
    assert "bot → Grace (SMS): You won't get any more messages from me." in transcript
    assert "bot → Grace (SMS): Welcome back!" in transcript
    assert "bot → Wanjiru: Sent to 3 members: 1 by SMS, 2 by console." in transcript
    assert "bot → Wanjiru: Grace replied about Digital Skills for Work:" in transcript
    # By SMS the check-in is the shorter wording, to fit one SMS part.
    assert "bot → Grace (SMS): Hi Grace! How was meeting 1 of Digital Skills for Work?" in (
        transcript
    )
    # Detroit's last meeting writes letters; Amina approves; Achieng's first meeting in
    # Nairobi reads them, the global channel posts them, the authors hear, thanks go back.
    assert "bot → Amina: A letter from Python for Everyone for a circle somewhere else" in (
        transcript
    )
    assert "bot → Achieng: For your first meeting: 2 letters" in transcript
    assert "bot → Global channel: From Detroit, United States to Nairobi, Kenya:" in transcript
    assert "bot → Brian: Your letter reached a learning circle in Nairobi, Kenya today." in (
        transcript
    )
    # "1" thanks the first writer listed under the letters (each thanks its own writer).
    assert "bot → Brian: Someone in Nairobi, Kenya says thank you for your letter." in transcript
    assert "bot → Global channel: This week 2 letters travelled between 2 cities" in transcript
    assert "went wrong" not in transcript
    # The story is told in order: the clock never goes back, and joins that came close
    # together reach the facilitator as one notice rather than expiring unseen.
    headers = [
        datetime.strptime(day + " " + clock, "%A, %B %d, %Y %I:%M %p")
        for day, clock in re.findall(r"^── (.+) · Detroit (\d+:\d\d [AP]M)", transcript, re.M)
    ]
    assert len(headers) > 30 and headers == sorted(headers)
    assert "bot → Amina: Carlos joined Python for Everyone. That's 2 learners now." in transcript
    assert "expired" not in first.stderr
    # Nothing is left behind in the working directory.
    assert list(tmp_path.iterdir()) == []
    # Same script, same clock, same seed: the same transcript.
    assert run_demo(tmp_path).stdout == transcript


def test_the_benchmark_prints_its_figures(tmp_path: Path) -> None:
    result = subprocess.run(
        [*circlebot_command(), "bench", "--learners", "5"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("demo: ") and lines[0].endswith("(goal: under 10 s)")
    assert lines[1].startswith("sqlite: /join ") and "messages/s" in lines[1]
    assert lines[2].startswith("SQL statements per message: /join ")
    # Every message runs a few statements at least (its receipt, the person, the answer).
    counts = [float(part.rsplit(" ", 1)[1]) for part in lines[2].split(": ", 1)[1].split(", ")]
    assert len(counts) == 5 and all(count >= 3 for count in counts)
    assert lines[3].startswith("peak memory: ")
