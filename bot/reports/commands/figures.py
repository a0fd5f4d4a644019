"""/report, /export and /calendar: a circle's numbers, records and meetings, to take away;
/team: organizers over several circles."""

from __future__ import annotations

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.chat.messages import Attachment, Choice
from bot.circles import circles, joincodes, meetings
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.reports import charts, exports, reports, retention, teams
from bot.rhythm import calendars
from bot.rhythm.commands import meeting_dates
from bot.storage.models import Circle, Role, Team

PNG = "image/png"


async def report(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    figures = await reports.build(
        ctx.session,
        circle,
        ctx.now,
        ctx.catalogs,
        ctx.platforms,
        # After the retention date nobody is named (fac 31).
        labels=await retention.member_labels(ctx.session, ctx.tr, circle, ctx.person_id),
    )
    if not figures.held:
        ctx.reply(reports.nothing_yet(ctx.tr, figures))
        return
    # The text says everything the chart shows, so it stands alone where files can't go (SMS).
    ctx.reply(
        reports.render(ctx.tr, figures),
        attachments=[Attachment("report.png", PNG, charts.circle_chart(ctx.tr, figures))],
    )


async def export(ctx: Context, args: Args) -> None:
    circle, membership = ctx.require_circle()
    ctx.reply(
        ctx.tr._(
            "The records of %(circle)s as spreadsheet files (CSV): the roster, attendance at "
            "each meeting, and check-ins. Written answers are there only from learners who "
            "agreed to share them with you.",
            circle=circle.name,
        ),
        attachments=await exports.export(
            ctx.session,
            ctx.tr,
            circle,
            ctx.now,
            ctx.platforms,
            membership.leads_from(),
            ctx.catalogs,
            ctx.person_id,
        ),
    )


async def calendar(ctx: Context, args: Args) -> None:
    if meeting_dates.without_files(ctx):  # SMS: the dates themselves, not a file's name
        await meeting_dates.reply_with_dates(ctx)
        return
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    schedule = await meetings.schedule(ctx.session, circle.id)
    ctx.reply(
        ctx.tr._(
            "Every meeting of %(circle)s, for your calendar app: open the file to add them. "
            "If a meeting moves, a newer file updates your calendar. /schedule lists them here.",
            circle=circle.name,
        ),
        # In the asker's own time for an online circle; a group's file is the circle's.
        attachments=[
            calendars.attachment(
                ctx.tr,
                circle,
                schedule,
                ctx.now,
                None if ctx.inbound.is_group else ctx.person.timezone,
                await meetings.removed(ctx.session, circle.id),
            )
        ],
    )


# -- /team --------------------------------------------------------------------------------------

TEAM_USAGE = N_(
    "Usage: /team (your team's circles), /team new NAME, /team add CODE (adds your circle), "
    "/team leave (takes it out again), /team weekly on|off"
)


async def team(ctx: Context, args: Args) -> None:
    """/team alone: the teams the person organizes (its sub-commands, declared in the command
    table, have handlers of their own below)."""
    if args.get("action"):
        raise UserError(TEAM_USAGE)
    await _team_view(ctx)


async def team_new(ctx: Context, args: Args) -> None:
    await _team_new(ctx, str(args["name"]))


async def team_add(ctx: Context, args: Args) -> None:
    await _team_add(ctx, str(args["code"]))


async def team_leave(ctx: Context, args: Args) -> None:
    await _team_leave(ctx)


async def team_weekly(ctx: Context, args: Args) -> None:
    await _team_weekly(ctx, args["switch"] == "on")


async def _team_view(ctx: Context) -> None:
    organized = await teams.organized_by(ctx.session, ctx.person_id)
    if not organized:
        ctx.reply(
            ctx.tr._(
                "You don't organize a team yet. /team new NAME starts one for several circles "
                "(a library service, say); facilitators then add their circle with its code."
            )
        )
        return
    for found, _ in organized:
        view = await teams.view(ctx.session, found, ctx.now)
        files = [teams.chart(ctx.tr, view)] if view.circles else []
        ctx.reply(teams.render(ctx.tr, view), attachments=files)


async def _team_new(ctx: Context, name: str) -> None:
    created = await teams.create(ctx.session, ctx.person_id, name, ctx.rng, ctx.now)
    ctx.reply(
        ctx.tr._(
            "%(team)s is ready, and you're its organizer. Its code is %(code)s: a circle's "
            "facilitator adds their circle with /team add %(code)s. You'll see each circle's "
            "numbers, never names or written answers. /team shows them; /team weekly on sends "
            "them every Monday.",
            team=created.name,
            code=created.code,
        )
    )


async def _facilitated(ctx: Context, refusal: str) -> list[Circle]:
    """The circles the sender leads as their facilitator (the one they picked, if they did),
    or `refusal`: a co-facilitator doesn't move a circle between teams (registry: /team add)."""
    led = await circles.active_memberships(ctx.session, ctx.person_id, (Role.FACILITATOR,))
    found = [c for _, c in led if ctx.chosen_circle_id in (None, c.id)]
    if not found:
        raise UserError(refusal)
    return found


async def _team_add(ctx: Context, code: str) -> None:
    tr = ctx.tr
    facilitating = await _facilitated(ctx, N_("Only a circle's facilitator can add it to a team."))
    assert ctx.account.id is not None
    wait = await joincodes.wait_before_next_try(ctx.session, ctx.account.id, ctx.now)
    if wait is not None:
        ctx.reply(joincodes.slow_down(tr, wait))
        return
    found = await teams.by_code(ctx.session, ctx.account.id, code, ctx.now)
    own = next((c for c in facilitating if c.join_code == joincodes.normalize(code)), None)
    if found is None and own is not None:
        # Her own circle's join code where the team's is wanted: say which code goes here.
        _suggest_team_code(
            ctx, own, [t for t, _ in await teams.organized_by(ctx.session, ctx.person_id)]
        )
        return
    if found is None:
        # A reply, not a refusal: the wrong code stays counted (a refusal would roll it back).
        ctx.reply(
            tr._(
                "There's no team with the code %(code)s. Please check it with the team's "
                "organizer.",
                code=code.strip(),
            )
        )
        return
    if len(facilitating) > 1:
        ctx.reply(
            tr._("Which circle should join %(team)s?", team=found.name),
            choices=[Choice(c.name, f"#{c.id} /team add {found.code}") for c in facilitating],
        )
        return
    circle = facilitating[0]
    if not await teams.add_circle(ctx.session, found, circle, ctx.now):
        ctx.reply(tr._("%(circle)s is already in %(team)s.", circle=circle.name, team=found.name))
        return
    await _tell_organizers(
        ctx,
        found,
        circle,
        MessageKind.TEAM_CIRCLE,
        N_("%(circle)s (%(city)s) joined %(team)s. /team shows how it's doing."),
    )
    ctx.reply(
        tr._(
            "%(circle)s is now part of %(team)s. Its organizers see your circle's numbers "
            "(attendance, check-ins, how many may be drifting away), never names or written "
            "answers.",
            circle=circle.name,
            team=found.name,
        )
    )


def _suggest_team_code(ctx: Context, circle: Circle, organized: list[Team]) -> None:
    """The join code of `circle` was given to /team add: the team's code goes there, which
    an organizer of just one team is told outright."""
    if len(organized) == 1:
        ctx.reply(
            ctx.tr._(
                "That's the join code of %(circle)s, for its learners. To add it to "
                "%(team)s, send /team add %(code)s",
                circle=circle.name,
                team=organized[0].name,
                code=organized[0].code,
            )
        )
        return
    ctx.reply(
        ctx.tr._(
            "That's the join code of %(circle)s, for its learners. To add it to a team, send "
            "/team add with the team's code; its organizer has it.",
            circle=circle.name,
        )
    )


async def _team_leave(ctx: Context) -> None:
    """A facilitator takes their circle out of its teams: its numbers stop being shown."""
    tr = ctx.tr
    refusal = N_("Only a circle's facilitator can take it out of a team.")
    facilitating = await _facilitated(ctx, refusal)
    if len(facilitating) > 1:
        ctx.reply(
            tr._("Which circle should leave its team?"),
            choices=[Choice(c.name, f"#{c.id} /team leave") for c in facilitating],
        )
        return
    circle = facilitating[0]
    left = await teams.remove_circle(ctx.session, circle)
    if not left:
        ctx.reply(tr._("%(circle)s is not part of a team.", circle=circle.name))
        return
    for found in left:
        await _tell_organizers(
            ctx,
            found,
            circle,
            MessageKind.TEAM_CIRCLE_LEFT,
            N_("%(circle)s (%(city)s) has left %(team)s; /team no longer shows it."),
        )
    ctx.reply(
        tr._(
            "%(circle)s has left %(team)s. Its organizers no longer see your circle's numbers.",
            circle=circle.name,
            team=", ".join(found.name for found in left),
        )
    )


async def _tell_organizers(
    ctx: Context, team: Team, circle: Circle, kind: MessageKind, message: str
) -> None:
    """`message` (a msgid with circle, city and team) to each of the team's organizers."""
    assert team.id is not None
    for organizer in await teams.organizers_of(ctx.session, team.id):
        await ctx.notify(
            organizer.person_id,
            OutboxKey(
                kind,
                f"team:{team.id}",
                f"person:{organizer.person_id}",
                # With the time: a circle that leaves and comes back is news each time.
                f"circle:{circle.id}@{ctx.now:%Y%m%dT%H%M%S}",
            ),
            lambda tr: tr._(message, circle=circle.name, city=circle.city, team=team.name),
        )


async def _team_weekly(ctx: Context, on: bool) -> None:
    changed = await teams.set_weekly(ctx.session, ctx.person_id, on)
    if not changed:
        raise UserError(N_("You don't organize a team yet. /team new NAME starts one."))
    names = ", ".join(t.name for t in changed)
    if not on:
        ctx.reply(ctx.tr._("No more weekly summaries of %(team)s.", team=names))
        return
    lines = [ctx.tr._("Every Monday you'll get a summary of %(team)s.", team=names)]
    # A Monday with nothing running sends nothing: say so rather than promise a summary.
    for team in changed:
        if await teams.nothing_to_send(ctx.session, team, ctx.now):
            lines.append(
                ctx.tr._(
                    "No circle in %(team)s is running now, so there's nothing to send yet. "
                    "The summaries start when one of its circles is planned or running.",
                    team=team.name,
                )
            )
    ctx.reply("\n".join(lines))
