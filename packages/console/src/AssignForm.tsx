import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { useConsole } from './context.js';
import type { Copy } from './copy.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import type { LeadDetail, TeamMember } from './types.js';

/**
 * The center's accounts (`GET /admin/api/team`, open to every staff member), to pick a colleague
 * from; null until they load, and if they cannot be loaded (the choices of "Me" and "No one" still work).
 */
export function useTeam(api: Api): readonly TeamMember[] | null {
  const [members, setMembers] = useState<readonly TeamMember[] | null>(null);
  useEffect(() => {
    let stopped = false;
    api.team().then(
      (team) => {
        if (!stopped) setMembers(team.members);
      },
      () => {},
    );
    return () => {
      stopped = true;
    };
  }, [api]);
  return members;
}

/** Who has a lead, in words: "You", a colleague's address, or "No one yet". */
export function assigneeText(assignee: string | null, me: string, t: Copy): string {
  if (!assignee) return t.noOneYet;
  return assignee.toLowerCase() === me.toLowerCase() ? t.you : assignee;
}

interface Props {
  readonly lead: LeadDetail;
  readonly onChanged: (lead: LeadDetail) => void;
}

/**
 * Who calls this person back: "Assign to me", a colleague from the team, or "Give back" to no one.
 * The server's sentence is shown as it is when it says no (an address that is no longer an account).
 */
export function AssignForm({ lead, onChanged }: Props) {
  const { api, t, session, announce, refreshInbox } = useConsole();
  const isAdmin = session.staff.role === 'admin';
  const members = useTeam(api);
  const [colleague, setColleague] = useState('');
  const [error, setError] = useState<{ message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const alert = useRef<HTMLParagraphElement>(null);
  const me = session.staff.email;
  const mine = lead.assignee?.toLowerCase() === me.toLowerCase();
  const colleagues = (members ?? []).filter((member) => member.email.toLowerCase() !== me.toLowerCase());

  useLayoutEffect(() => {
    if (error) alert.current?.focus();
  }, [error]);

  const assign = async (to: string | null) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await api.assign(lead.id, to);
      onChanged(updated);
      setColleague('');
      // The pressed button may be gone now; the section's heading keeps the place.
      heading.current?.focus();
      const now = updated.assignee;
      announce(!now ? t.givenBack : now.toLowerCase() === me.toLowerCase() ? t.assignedToYou : t.assignedToOther(now));
      refreshInbox();
    } catch (failure) {
      if (!isSignedOut(failure)) setError({ message: errorMessage(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const busyAttribute = busy ? 'true' : undefined;
  return (
    <section class="panel" aria-labelledby="assign-title">
      <h2 id="assign-title" ref={heading} tabIndex={-1}>
        {t.assignTitle}
      </h2>
      <p>
        {t.assignedTo}: <strong class="wrap">{assigneeText(lead.assignee, me, t)}</strong>
      </p>
      {error && (
        <p class="error-box" role="alert" tabIndex={-1} ref={alert}>
          {error.message}
        </p>
      )}
      <div class="actions">
        {!mine && (
          <button type="button" class="primary" aria-busy={busyAttribute} onClick={() => assign(me)}>
            {t.assignToMe}
          </button>
        )}
        {lead.assignee && (
          <button type="button" aria-busy={busyAttribute} onClick={() => assign(null)}>
            {t.giveBack}
          </button>
        )}
      </div>
      <form
        class="assign-other"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (colleague) void assign(colleague);
          else setError({ message: t.pickColleague });
        }}
      >
        <div class="field">
          <label for="assign-colleague">{t.colleague}</label>
          <select id="assign-colleague" value={colleague} onChange={(event) => setColleague(event.currentTarget.value)}>
            <option value="">{t.chooseColleague}</option>
            {colleagues.map((member) => (
              <option key={member.email} value={member.email}>
                {/* Only admins are told who signed in when (API.md, team): for staff it is always null. */}
                {member.lastSignInAt || !isAdmin ? member.email : `${member.email} (${t.notSignedInYet})`}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" aria-busy={busyAttribute}>
          {t.assign}
        </button>
      </form>
    </section>
  );
}
