"""The learner's own record: /portfolio to take it away, /forget to erase it."""

from __future__ import annotations

from sqlmodel import select

from bot.chat.i18n import N_, Translator
from bot.chat.messages import Attachment, Choice
from bot.circles import erasure
from bot.circles.commands import membership
from bot.dialogue import conversations
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.reports import credentials, portfolio
from bot.rhythm.commands.answers import yes_or_no
from bot.storage.models import Credential, Letter, LetterStatus

FORGET_FLOW = "forget"


async def portfolio_(
    ctx: Context, args: Args, issuer: credentials.CredentialIssuer | None = None
) -> None:
    """The portfolio; with an issuer (CREDENTIAL_KEY_FILE), a signed credential for each
    circle the learner completed (the command table binds it)."""
    text = await portfolio.markdown(ctx.session, ctx.tr, ctx.person, ctx.now)
    earned = await _credentials(ctx, issuer) if issuer is not None else []
    if text is None and earned:
        _give(ctx, earned)
        return
    if text is None:
        ctx.reply(
            ctx.tr._(
                "Your portfolio is empty so far. It fills up with your goal, check-ins and "
                "reflections (/reflect)."
            )
        )
        return
    # The summary is all an SMS reader gets; chats with files also get the whole record.
    summary = await portfolio.summary(ctx.session, ctx.tr, ctx.person, ctx.now)
    described = ctx.platforms.get(ctx.inbound.platform)
    if described is not None and not described.capabilities.files:
        # No file to talk of: the summary, and where the whole record can be had.
        ctx.reply(
            "\n".join(
                [
                    ctx.tr._("Your portfolio, in short:"),
                    summary,
                    # Offered, not needed: what she keeps is above (many have no chat app).
                    ctx.tr._("Have a chat app too? Send /link to get the whole record as a file."),
                ]
            )
        )
    else:
        heading = (
            ctx.tr._("Here is your portfolio, yours to keep.")
            if await portfolio.words_removed(ctx.session, ctx.person)
            else ctx.tr._("Here is your portfolio: everything you wrote, yours to keep.")
        )
        ctx.reply(
            heading + "\n" + summary,
            attachments=[Attachment("portfolio.md", "text/markdown", text.encode("utf-8"))],
        )
    if earned:
        _give(ctx, earned)


async def _credentials(
    ctx: Context, issuer: credentials.CredentialIssuer
) -> list[tuple[Credential, str, str]]:
    """(credential, its short link, course title) for each circle the learner completed,
    issued once each."""
    done = await credentials.completions(ctx.session, ctx.person_id, ctx.now, issuer.min_meetings)
    earned = []
    for one in done:
        credential = await credentials.issue(ctx.session, issuer, ctx.tr, ctx.person, one, ctx.now)
        earned.append((credential, issuer.short_url(credential.code), one.circle.course_title))
    return earned


def _give(ctx: Context, earned: list[tuple[Credential, str, str]]) -> None:
    """The links (short, for SMS readers to open later) and, where files travel, the signed
    files (by SMS, a file's name would only cost characters: the link is the certificate)."""
    lines = [
        ctx.tr._(
            "You completed %(course)s. Your signed certificate, for anyone to check: %(link)s",
            course=course,
            link=link,
        )
        for _, link, course in earned
    ]
    files = [
        Attachment(
            f"credential-{credential.code}.jwt",
            credentials.MEDIA_TYPE,
            credential.token.encode("ascii"),
        )
        for credential, _, _ in earned
    ]
    described = ctx.platforms.get(ctx.inbound.platform)
    if described is not None and not described.capabilities.files:
        files = []
    ctx.reply("\n".join(lines), attachments=files)


FORGET_WARNING = N_(
    "This deletes everything I know about you: your circles, answers, reflections and "
    "portfolio. It can't be undone. (/portfolio first if you'd like a copy.) Delete it all?"
)
# For someone with a signed certificate: it goes too, and whoever has its link finds nothing.
FORGET_WARNING_CERTIFICATES = N_(
    "This deletes everything I know about you: your circles, answers, reflections, portfolio "
    "and certificates (their links will stop working). It can't be undone. (/portfolio first "
    "if you'd like a copy.) Delete it all?"
)
# A letter another circle has read stays with them, signed "a learner in <city>" (erasure).
LETTERS_STAY = N_("Letters that another circle has already read stay with them, without your name.")


async def forget(ctx: Context, args: Args) -> None:
    await erasure.check_can_forget(ctx.session, ctx.person, ctx.now)
    conversations.begin(ctx.conversation, FORGET_FLOW, {}, ctx.now)
    certified = await ctx.session.exec(
        select(Credential.id).where(Credential.person_id == ctx.person_id).limit(1)
    )
    warning = FORGET_WARNING_CERTIFICATES if certified.first() is not None else FORGET_WARNING
    ctx.reply(ctx.tr._(warning) + await _letters_stay(ctx), choices=_forget_choices(ctx.tr))


# An approved letter not yet delivered keeps travelling, unsigned (erasure: a pooled letter
# is kept); one still waiting for its review is deleted (D40).
LETTER_TRAVELS = N_("Your letter waiting to reach another circle still travels, without your name.")
LETTER_DELETED = N_("Your letter still waiting for review is deleted too.")
# A question asked back at the /forget confirmation ("und was passiert mit meinem brief?").
FORGET_NOT_YET = N_("Nothing is deleted until you say so. Delete it all?")


async def _letters_stay(ctx: Context) -> str:
    """The lines saying what /forget does with the person's letters: delivered ones stay
    (anonymised), an approved one still travels (anonymised), one in review goes."""
    found = await ctx.session.exec(
        select(Letter.status, Letter.deliveries).where(Letter.author_id == ctx.person_id)
    )
    letters = found.all()
    lines = []
    if any(deliveries > 0 for _, deliveries in letters):
        lines.append(ctx.tr._(LETTERS_STAY))
    if any(status == LetterStatus.POOLED and not deliveries for status, deliveries in letters):
        lines.append(ctx.tr._(LETTER_TRAVELS))
    if any(status in (LetterStatus.REVIEW, LetterStatus.MODERATION) for status, _ in letters):
        lines.append(ctx.tr._(LETTER_DELETED))
    return "".join("\n" + line for line in lines)


def _forget_choices(tr: Translator) -> list[Choice]:
    return [Choice(tr._("Yes, delete everything"), "yes"), Choice(tr._("No, keep it"), "no")]


async def forget_answer(ctx: Context, text: str) -> None:
    said = yes_or_no(ctx.tr, text)
    if said is None and text.rstrip().endswith(("?", "？")):
        # A question ("und was passiert mit meinem brief?"): what happens to the letters,
        # and the question again, never "please answer yes or no" (D40).
        letters = (await _letters_stay(ctx)).lstrip("\n")
        ctx.reply(
            (letters + "\n" if letters else "") + ctx.tr._(FORGET_NOT_YET),
            choices=_forget_choices(ctx.tr),
        )
        return
    if said is None:
        ctx.reply(
            ctx.tr._("Please answer yes or no."),
            choices=_forget_choices(ctx.tr),
        )
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(ctx.tr._("OK, nothing was deleted."))
        return
    letters_stay = await _letters_stay(ctx)
    await erasure.forget(ctx.session, ctx.person, now=ctx.now, platforms=ctx.platforms)
    await membership.tell_learner_gone(ctx, ctx.memberships)  # as /leave does, unnamed
    ctx.reply(
        ctx.tr._("Done: everything about you is deleted. Take care, and come back any time.")
        + letters_stay
    )
