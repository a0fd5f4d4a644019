"""The message templates a proactive message goes out as, outside WhatsApp's 24-hour window.

WhatsApp lets a business write freely only within 24 hours of the person's last message; after
that, only a template Meta approved beforehand. Each proactive kind of message (the first part
of its idempotency key, see bot/delivery/kinds.py) has one template, submitted once per
language: a short fixed line and one body parameter, {{1}}, which carries the message as the
bot wrote it. The fixed lines below are msgids, so their translations in locales/ are the texts
to submit in the other languages (README.md lists the English ones).

A body parameter holds no line breaks, tabs or runs of more than four spaces, and the whole body
at most 1,024 characters: the message is flattened to fit, or it does not fit (then it waits for
the person's next message).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.i18n import N_

# Meta's limit for a template's body, fixed line and parameter together.
MAX_BODY_CHARS = 1024
# Where the message's lines meet once flattened (a parameter holds no line break).
LINE_JOIN = " · "


@dataclass(frozen=True)
class Template:
    suffix: str  # the name after the prefix: "<prefix>_<suffix>"
    body: str  # the fixed line, with {{1}} where the message goes (an N_() msgid)

    def name(self, prefix: str) -> str:
        return f"{prefix}_{self.suffix}"


# Kinds are outbox values (never changed), by kind; kinds missing here have no template.
TEMPLATES: dict[str, Template] = {
    "reminder": Template("reminder", N_("Your learning circle meets soon. {{1}}")),
    "checkin": Template("checkin", N_("Your weekly check-in from your learning circle: {{1}}")),
    "checkin-nudge": Template("checkin_nudge", N_("A word from your learning circle: {{1}}")),
    "goal-review": Template("goal_review", N_("Looking back at your goal: {{1}}")),
    "digest": Template("digest", N_("Your circle before its next meeting: {{1}}")),
    "attendance-reminder": Template("attendance", N_("Attendance for your learning circle: {{1}}")),
    "letter-invite": Template("letter_invite", N_("An invitation from your circle: {{1}}")),
    "letter": Template("letter", N_("A letter has arrived for your circle: {{1}}")),
    "announcement": Template("announcement", N_("A message from your circle's facilitator: {{1}}")),
    "facilitator-reply": Template("facilitator_reply", N_("Your facilitator answered you: {{1}}")),
    "sms-forward": Template("passed_on", N_("A learner in your circle wrote: {{1}}")),
    "closing": Template("closing", N_("Your learning circle has come to an end. {{1}}")),
    "closing-summary": Template("closing_summary", N_("Your circle's closing summary: {{1}}")),
}
SCHEDULE_CHANGE = Template("schedule_change", N_("A change to your circle's meetings: {{1}}"))
for _kind in (
    "meeting-moved",
    "meeting-cancelled",
    "meeting-restored",
    "meeting-added",
    "meetings-shifted",
    "meetings-removed",
    "venue-changed",
):
    TEMPLATES[_kind] = SCHEDULE_CHANGE


def kind_of(idempotency_key: str | None) -> str | None:
    """The kind of an outbox message, from its key ("reminder|meeting:3|person:7|1440")."""
    if not idempotency_key or "|" not in idempotency_key:
        return None
    return idempotency_key.split("|", 1)[0]


def template_for(idempotency_key: str | None) -> Template | None:
    kind = kind_of(idempotency_key)
    return TEMPLATES.get(kind) if kind else None


def as_parameter(text: str, body: str) -> str | None:
    """`text` as the body parameter of a template whose fixed line is `body`: its lines joined
    on one line; None when it does not fit the body's 1,024 characters."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    flat = LINE_JOIN.join(line for line in lines if line)  # no tab, no run of spaces left
    room = MAX_BODY_CHARS - len(body.replace("{{1}}", ""))
    if not flat or len(flat) > room:
        return None
    return flat


def language_for(locale: str | None, approved: tuple[str, ...]) -> str | None:
    """The template language for a message in `locale`: its own when approved (a regional
    locale by its language), else the first approved; None when none is."""
    if not approved:
        return None
    if locale:
        for candidate in (locale, locale.split("_")[0].split("-")[0]):
            if candidate in approved:
                return candidate
    return approved[0]
